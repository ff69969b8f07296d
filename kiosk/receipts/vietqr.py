"""VietQR: the NAPAS interbank transfer QR that every Vietnamese bank app can pay from.

A VietQR is an EMVCo Merchant-Presented Mode payload (EMV QRCPS-MPM): a run of
tag-length-value data objects, each a 2-digit tag, a 2-digit length and the value, ending
with a CRC. NAPAS ("Technical Specifications on NAPAS QR Switching", v1.5.2) fixes the
Vietnamese parts: tag 38 holds the NAPAS GUID, the beneficiary (bank BIN + account) and the
service code; the currency is 704 (đồng, no minor unit) and the country VN.

Checked against a published worked example (github.com/duyquoc1508/napas-qr, README):
``00020101021238530010A0000007270123000697041601092245284790208QRIBFTTA5303704540510000
5802VN62340107NPS68690819TRANSFER TO SOMEONE6304AC13`` — tests/receipts/test_vietqr.py
rebuilds it byte for byte.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass

from kiosk.receipts.errors import PaymentInputError, VietQrInvalid

NAPAS_GUID = "A000000727"          # NAPAS's application identifier, tag 38-00
SERVICE_TO_ACCOUNT = "QRIBFTTA"    # interbank fund transfer to an account, tag 38-02
CURRENCY_VND = "704"               # ISO 4217 numeric, tag 53
COUNTRY_VN = "VN"                  # ISO 3166-1 alpha-2, tag 58
PAYLOAD_FORMAT = "01"              # EMV MPM §4.2: tag 00 is always "01"
DYNAMIC = "12"                     # tag 01: "11" static (reusable), "12" one payment, amount set
STATIC = "11"
MAX_REFERENCE = 25                 # tag 62-08 "purpose of transaction": ans, up to 25
MAX_BILL_NUMBER = 25               # tag 62-01 "bill number": ans, up to 25
MAX_AMOUNT = 10**13 - 1            # tag 54: up to 13 characters
MAX_ACCOUNT = 19                   # tag 38-01-01 consumer/account id: up to 19 (NAPAS §5.2)

_BIN = re.compile(r"^[0-9]{6}$")
_ACCOUNT = re.compile(r"^[0-9A-Z]{1,19}$")
_PRINTABLE = re.compile(r"^[\x20-\x7e]*$")  # EMV "ans": printable ASCII only


@dataclass(frozen=True)
class BankAccount:
    """Where the money goes: a bank by its NAPAS BIN and an account at that bank.

    The names are for the paper only (the QR carries neither): the payer's bank app shows
    the holder's name its own bank looks up, which is what protects against a tampered QR.
    """

    bank_bin: str
    account_number: str
    account_name: str = ""
    bank_name: str = ""

    def __post_init__(self) -> None:
        if not _BIN.match(self.bank_bin):
            raise PaymentInputError(f"bank BIN must be 6 digits (NAPAS acquirer id), got "
                                    f"{self.bank_bin!r}")
        if not _ACCOUNT.match(self.account_number):
            raise PaymentInputError("account number must be 1-19 digits or capital letters")


@dataclass(frozen=True)
class PaymentRequest:
    """One payment: this many đồng to this account, marked with this reference."""

    amount_vnd: int
    reference: str
    account: BankAccount
    bill_number: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.amount_vnd, bool) or not isinstance(self.amount_vnd, int):
            raise PaymentInputError("amount must be a whole number of đồng (VND has no decimals)")
        if not 1 <= self.amount_vnd <= MAX_AMOUNT:
            raise PaymentInputError(f"amount must be 1 to {MAX_AMOUNT} đồng; a free dossier has "
                                    "no payment QR")
        for name, value, limit in (("reference", self.reference, MAX_REFERENCE),
                                   ("bill number", self.bill_number, MAX_BILL_NUMBER)):
            if not _PRINTABLE.match(value):
                raise PaymentInputError(f"{name} must be printable ASCII (bank apps show it "
                                        "as the transfer content); transliterate it first")
            if len(value) > limit:
                raise PaymentInputError(f"{name} is {len(value)} characters; VietQR allows "
                                        f"at most {limit}")
        if not self.reference.strip():
            raise PaymentInputError("reference must not be empty: it is how the payment is "
                                    "matched to the dossier")

    def payload(self) -> str:
        """The QR text, fields in the order of EMV MPM §4.1 (tags ascending, CRC last)."""
        beneficiary = tlv("00", self.account.bank_bin) + tlv("01", self.account.account_number)
        merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
        additional = (tlv("01", self.bill_number) if self.bill_number else "") + \
            tlv("08", self.reference)
        body = (tlv("00", PAYLOAD_FORMAT) + tlv("01", DYNAMIC) + tlv("38", merchant)
                + tlv("53", CURRENCY_VND) + tlv("54", str(self.amount_vnd))
                + tlv("58", COUNTRY_VN) + tlv("62", additional) + "6304")
        return body + crc16(body)


def crc16(text: str) -> str:
    """EMV MPM §4.7.2: CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over every character up
    to and including "6304", as 4 upper-case hex digits. binascii.crc_hqx is that CRC."""
    return f"{binascii.crc_hqx(text.encode('ascii'), 0xFFFF):04X}"


def tlv(tag: str, value: str) -> str:
    """One data object: tag, 2-digit length, value (EMV MPM §4.1: lengths 01-99)."""
    if not 1 <= len(value) <= 99:
        raise PaymentInputError(f"field {tag} would be {len(value)} characters; 1-99 allowed")
    return f"{tag}{len(value):02d}{value}"


def read_tlv(text: str, where: str = "payload") -> dict[str, str]:
    """The data objects of one TLV run, by tag; a repeated tag or a cut field is an error."""
    found: dict[str, str] = {}
    index = 0
    while index < len(text):
        head = text[index:index + 4]
        if len(head) < 4 or not head.isdigit():
            raise VietQrInvalid(f"{where}: expected a 2-digit tag and 2-digit length at "
                                f"position {index}")
        tag, length = head[:2], int(head[2:])
        value = text[index + 4:index + 4 + length]
        if length == 0 or len(value) < length:
            raise VietQrInvalid(f"{where}: field {tag} is cut short or empty")
        if tag in found:
            raise VietQrInvalid(f"{where}: field {tag} appears twice")
        found[tag] = value
        index += 4 + length
    return found


def _need(fields: dict[str, str], tag: str, where: str) -> str:
    if tag not in fields:
        raise VietQrInvalid(f"{where}: required field {tag} is missing")
    return fields[tag]


def parse_payment(text: str) -> PaymentRequest:
    """Read a VietQR transfer payload back (tests, technicians): checks the CRC first, then
    every field the kiosk writes. Other EMV fields (merchant name, city…) are ignored."""
    text = text.strip()
    if not _PRINTABLE.match(text):
        raise VietQrInvalid("payload: not printable ASCII, so not an EMV QR payload")
    if len(text) < 12 or text[-8:-4] != "6304":
        raise VietQrInvalid("payload: does not end with the CRC field 63 (\"6304\" + 4 hex)")
    expected = crc16(text[:-4])
    if text[-4:].upper() != expected:
        raise VietQrInvalid(f"payload: CRC is {text[-4:]}, content gives {expected}: the text "
                            "was altered or mistyped")
    if not text.startswith("000201"):
        raise VietQrInvalid("payload: must begin with field 00 = \"01\" (EMV payload format)")
    top = read_tlv(text[:-8])
    if _need(top, "01", "payload") not in (STATIC, DYNAMIC):
        raise VietQrInvalid("field 01 (point of initiation) must be 11 or 12")
    merchant = read_tlv(_need(top, "38", "payload"), "field 38")
    if _need(merchant, "00", "field 38") != NAPAS_GUID:
        raise VietQrInvalid(f"field 38: GUID is not NAPAS's {NAPAS_GUID}: not a VietQR")
    service = _need(merchant, "02", "field 38")
    if service != SERVICE_TO_ACCOUNT:
        raise VietQrInvalid(f"field 38-02: service {service!r} is not a transfer to an account "
                            f"({SERVICE_TO_ACCOUNT})")
    beneficiary = read_tlv(_need(merchant, "01", "field 38"), "field 38-01")
    if _need(top, "53", "payload") != CURRENCY_VND:
        raise VietQrInvalid("field 53: currency is not 704 (đồng)")
    if _need(top, "58", "payload") != COUNTRY_VN:
        raise VietQrInvalid("field 58: country is not VN")
    if "54" not in top:
        raise VietQrInvalid("field 54 missing: a static QR without an amount was not made by "
                            "the kiosk")
    amount = top["54"]
    if not amount.isdigit():
        raise VietQrInvalid(f"field 54: amount {amount!r} is not a whole number of đồng")
    additional = read_tlv(top["62"], "field 62") if "62" in top else {}
    try:
        account = BankAccount(_need(beneficiary, "00", "field 38-01"),
                              _need(beneficiary, "01", "field 38-01"))
        return PaymentRequest(int(amount), additional.get("08", ""), account,
                              additional.get("01", ""))
    except PaymentInputError as error:
        raise VietQrInvalid(f"payload: {error.message}") from None
