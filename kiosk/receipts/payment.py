"""The dossier's fee and how to pay it: a VietQR for any bank app, or the counter.

The fee itself is the forms engine's (each procedure spec's ``fee`` expression, frozen in
the dossier payload as ``fee_vnd``, carried on :class:`ReceiptData`); this module only
decides how it is paid. A free dossier gets no QR. Without a configured collection account
the receipt says "pay at the counter" and shows no QR: a kiosk never invents an account.

The transfer's reference is the official dossier code when the portal has given one, else
the kiosk ticket, so the treasury can match each payment to one dossier.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from typing import Any

from kiosk.receipts.errors import PaymentInputError, PaymentSettingsError
from kiosk.receipts.record import ReceiptData
from kiosk.receipts.spoken import say_number
from kiosk.receipts.vietqr import MAX_REFERENCE, BankAccount, PaymentRequest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeeNotice:
    """What the receipt and the screen show about a fee that is due."""

    amount_vnd: int
    amount_words: str             # "Hai mươi nghìn đồng"
    qr_text: str | None           # the VietQR payload; None = pay at the counter only
    reference: str
    account_name: str = ""
    bank_name: str = ""
    account_number: str = ""

    @property
    def by_qr(self) -> bool:
        return self.qr_text is not None


def collection_account(settings: Any) -> BankAccount | None:
    """The commune's collection account from the [payment] settings; None = counter only."""
    section = settings.payment
    if not section.account_number.strip():
        return None
    try:
        return BankAccount(section.bank_bin.strip(), section.account_number.strip(),
                           section.account_name.strip(), section.bank_name.strip())
    except PaymentInputError as error:
        raise PaymentSettingsError(f"[payment] settings: {error.message}; fix payment.bank_bin "
                                   "/ payment.account_number, or empty account_number to take "
                                   "fees at the counter only") from None


def ascii_reference(text: str) -> str:
    """A transfer reference in the ASCII bank apps accept: Vietnamese letters lose their
    marks ("Lệ phí Đ" → "Le phi D"); any other non-ASCII character is refused, because a
    silently altered reference would no longer match the dossier."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = " ".join(bare.split())
    bad = sorted({ch for ch in bare if not " " <= ch <= "~"})
    if bad:
        raise PaymentInputError(f"reference has characters a bank transfer cannot carry: "
                                f"{''.join(bad)!r}; use letters, digits and . - / _")
    return bare


def payment_reference(official_code: str | None, ticket: str | None) -> str | None:
    """The official dossier code if it fits the 25 characters of tag 62-08, else the kiosk
    ticket; None when neither fits (the receipt then says: pay at the counter)."""
    for code in (official_code, ticket):
        if code and len(code) <= MAX_REFERENCE and code.isascii() and code.isprintable():
            return code
    return None


def payment_text(fee_vnd: int | None, official_code: str | None, ticket: str | None,
                 account: BankAccount | None) -> str | None:
    """The VietQR text to show for a submitted dossier, or None when no QR applies (free,
    fee unknown, no collection account, or no reference that fits)."""
    request = payment_request(fee_vnd, official_code, ticket, account)
    return request.payload() if request is not None else None


def payment_request(fee_vnd: int | None, official_code: str | None, ticket: str | None,
                    account: BankAccount | None) -> PaymentRequest | None:
    if not fee_vnd or account is None:
        return None
    reference = payment_reference(official_code, ticket)
    if reference is None:
        log.warning("no payment reference fits VietQR's %d characters; counter only",
                    MAX_REFERENCE)
        return None
    return PaymentRequest(fee_vnd, reference, account)


def amount_in_words(amount_vnd: int) -> str:
    """"Hai mươi nghìn đồng": the amount in words, as Vietnamese payment documents add."""
    words = say_number(amount_vnd)
    return words[:1].upper() + words[1:] + " đồng"


def fee_notice(receipt: ReceiptData, account: BankAccount | None) -> FeeNotice | None:
    """The fee block of one receipt; None when nothing is due (free) or the fee is unknown."""
    fee = receipt.fee_vnd
    if not fee:
        return None
    request = payment_request(fee, receipt.official_code, receipt.ticket, account)
    reference = payment_reference(receipt.official_code, receipt.ticket) or receipt.lookup_code
    if request is None:
        return FeeNotice(fee, amount_in_words(fee), None, reference)
    return FeeNotice(fee, amount_in_words(fee), request.payload(), request.reference,
                     account_name=request.account.account_name,
                     bank_name=request.account.bank_name,
                     account_number=request.account.account_number)
