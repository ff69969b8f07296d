"""The access key a resident gives the kiosk: the card's QR text, or a typed ID + date of
birth (+ issue date / expiry). It yields the PACE CAN and the BAC MRZ key, and keeps the
ID for the cross-check with the chip.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.devices.card.mrz import MrzKey, can_from_id, mrz_key_from_id
from kiosk.devices.card.qr import parse_card_qr

__all__ = ["AccessKey"]


@dataclass
class AccessKey:
    """Both passwords of one card; ``claimed_id`` is what the QR or the resident said."""

    can: str
    mrz: MrzKey
    claimed_id: str
    from_qr: bool = False

    @classmethod
    def from_card_qr(cls, text: str) -> AccessKey:
        qr = parse_card_qr(text)
        try:
            return cls(can=can_from_id(qr.id_number),
                       mrz=mrz_key_from_id(qr.id_number, qr.date_of_birth, qr.date_of_issue),
                       claimed_id=qr.id_number, from_qr=True)
        finally:
            qr.wipe()

    @classmethod
    def from_id(cls, id12: str, dob: date, issued: date | None = None,
                expiry: date | None = None) -> AccessKey:
        return cls(can=can_from_id(id12), mrz=mrz_key_from_id(id12, dob, issued, expiry),
                   claimed_id=id12.strip())

    def wipe(self) -> None:
        self.can = ""
        self.claimed_id = ""

    def __repr__(self) -> str:
        return "AccessKey(<redacted>)"
