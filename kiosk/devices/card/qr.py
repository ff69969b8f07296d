"""The QR code printed on the ID card: an unsigned text, used only to derive the access
key and to cross-check the chip, never as proof of identity (REFERENCE §1).

2021 card (front): ``ID12|CMND9|Full name|DDMMYYYY birth|Sex|Permanent address|DDMMYYYY issue``.
The 2024 card's QR adds fields whose format is unverified: anything after the seventh
field is kept raw in ``extra`` and never interpreted.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from kiosk.devices.card.errors import AccessKeyError

__all__ = ["CardQr", "parse_card_qr", "parse_ddmmyyyy"]

_MAX_QR_CHARS = 4096


@dataclass
class CardQr:
    """What the card's QR says. Holds personal data: drop it with the session."""

    id_number: str
    old_id_number: str
    full_name: str
    date_of_birth: date
    sex: str
    address: str
    date_of_issue: date | None
    extra: list[str] = field(default_factory=list)

    def __repr__(self) -> str:  # keeps people out of logs and tracebacks
        return "CardQr(<redacted>)"

    def wipe(self) -> None:
        """Drop the personal values (Python strings cannot be overwritten in place)."""
        self.id_number = self.old_id_number = self.full_name = self.sex = self.address = ""
        self.date_of_birth = date.min
        self.date_of_issue = None
        self.extra = []


def parse_ddmmyyyy(text: str, what: str) -> date:
    """A date written DDMMYYYY (QR) or DD/MM/YYYY (typed); ``what`` names it in errors."""
    digits = text.strip().replace("/", "")
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        raise AccessKeyError(f"{what} must be a date written DD/MM/YYYY")
    try:
        return date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    except ValueError as error:
        raise AccessKeyError(f"{what} is not a real calendar date") from error


def parse_card_qr(text: str) -> CardQr:
    """Parse the card's QR text; raise AccessKeyError naming the first bad field."""
    if not isinstance(text, str) or not text.strip():
        raise AccessKeyError("the QR text is empty: scan the QR code on the card again")
    if len(text) > _MAX_QR_CHARS:
        raise AccessKeyError("the QR text is too long to be an ID card's QR code")
    parts = unicodedata.normalize("NFC", text.strip()).split("|")
    if len(parts) < 7:
        raise AccessKeyError(f"the QR text has {len(parts)} fields separated by '|', an ID "
                             "card's QR has at least 7: scan the QR code on the card's front")
    id_number = parts[0].strip()
    if len(id_number) != 12 or not id_number.isascii() or not id_number.isdigit():
        raise AccessKeyError("QR field 1 (personal ID number) must be 12 digits")
    old_id = parts[1].strip()
    if old_id and (not old_id.isascii() or not old_id.isdigit() or len(old_id) not in (9, 12)):
        raise AccessKeyError("QR field 2 (old ID number) must be empty or 9 digits")
    birth = parse_ddmmyyyy(parts[3], "QR field 4 (date of birth)")
    issue_text = parts[6].strip()
    issued = parse_ddmmyyyy(issue_text, "QR field 7 (date of issue)") if issue_text else None
    return CardQr(id_number=id_number, old_id_number=old_id, full_name=parts[2].strip(),
                  date_of_birth=birth, sex=parts[4].strip(), address=parts[5].strip(),
                  date_of_issue=issued, extra=parts[7:])
