"""VietQR payloads: a published worked example, the CRC, round trips, limits, typed errors."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.errors import BadInput
from kiosk.receipts.errors import PaymentInputError, VietQrInvalid
from kiosk.receipts.vietqr import (
    MAX_AMOUNT,
    BankAccount,
    PaymentRequest,
    crc16,
    parse_payment,
    tlv,
)

# Published by github.com/duyquoc1508/napas-qr (README): 10,000 đồng to account 224528479 at
# BIN 970416, bill number NPS6869, purpose "TRANSFER TO SOMEONE". Independent of our code.
NAPAS_QR_EXAMPLE = ("00020101021238530010A0000007270123000697041601092245284790208QRIBFTTA"
                    "53037045405100005802VN62340107NPS68690819TRANSFER TO SOMEONE6304AC13")
# Published by github.com/thanhtinhpas1/vietqr-parser (README): a static QR, CRC CD60.
PARSER_STATIC_EXAMPLE = ("00020001021238570010A00000072701270006970436011308810004580860208"
                         "QRIBFTTA53037045802VN6304CD60")
DEMO = BankAccount("970415", "000000000000")


def _with_crc(body_without_crc: str) -> str:
    body = body_without_crc + "6304"
    return body + crc16(body)


def test_builds_the_published_example_byte_for_byte() -> None:
    """Our builder reproduces a third party's published VietQR exactly, CRC included."""
    request = PaymentRequest(10_000, "TRANSFER TO SOMEONE", BankAccount("970416", "224528479"),
                             bill_number="NPS6869")
    assert request.payload() == NAPAS_QR_EXAMPLE


def test_parses_the_published_example() -> None:
    """The parser reads the published example's account, amount, bill number and purpose."""
    parsed = parse_payment(NAPAS_QR_EXAMPLE)
    assert parsed == PaymentRequest(10_000, "TRANSFER TO SOMEONE",
                                    BankAccount("970416", "224528479"), "NPS6869")


def test_crc_is_ccitt_false() -> None:
    """CRC-16/CCITT-FALSE: the catalogue check value of "123456789" is 29B1, and a second
    published payload's CRC (CD60) comes out of our function."""
    assert crc16("123456789") == "29B1"
    assert crc16(PARSER_STATIC_EXAMPLE[:-4]) == "CD60"


def test_kiosk_payload_layout() -> None:
    """A kiosk payment is dynamic (01=12), NAPAS GUID, QRIBFTTA, đồng, VN, reference in 62-08."""
    text = PaymentRequest(20_000, "T261122-ABC123", DEMO).payload()
    assert text.startswith("000201" "010212" "3856" "0010A000000727" "0126" "0006970415"
                           "0112000000000000" "0208QRIBFTTA" "5303704" "540520000" "5802VN"
                           "6218" "0814T261122-ABC123" "6304")
    assert len(text) == text.index("6304") + 8


references = st.text(alphabet=string.ascii_letters + string.digits + " .-/_:", min_size=1,
                     max_size=25).filter(lambda s: s.strip())
accounts = st.builds(BankAccount, st.from_regex(r"\A[0-9]{6}\Z"),
                     st.from_regex(r"\A[0-9A-Z]{1,19}\Z"))


@settings(max_examples=200, deadline=None)
@given(amount=st.integers(1, MAX_AMOUNT), reference=references, account=accounts)
def test_round_trip(amount: int, reference: str, account: BankAccount) -> None:
    """Every valid request survives payload → parse unchanged."""
    request = PaymentRequest(amount, reference, account)
    assert parse_payment(request.payload()) == request


@settings(max_examples=200, deadline=None)
@given(position=st.integers(0, 10_000), replacement=st.sampled_from(string.digits + "AZ .-"))
def test_any_single_character_change_is_caught(position: int, replacement: str) -> None:
    """Altering any one character (a misprint, a tampered digit) never parses as valid."""
    text = PaymentRequest(150_000, "000.00.12.H62-261122-0004", DEMO).payload()
    position %= len(text)
    if text[position] == replacement:
        return
    altered = text[:position] + replacement + text[position + 1:]
    with pytest.raises(VietQrInvalid):
        parse_payment(altered)


@pytest.mark.parametrize("amount, reference, account", [
    (0, "T1", DEMO),                                   # free: no QR
    (-5, "T1", DEMO),
    (MAX_AMOUNT + 1, "T1", DEMO),                      # 54 holds 13 characters
    (True, "T1", DEMO),
    (1, "x" * 26, DEMO),                               # 62-08 holds 25
    (1, "Lệ phí", DEMO),                               # not ASCII: transliterate first
    (1, "   ", DEMO),
    (1, "", DEMO),
])
def test_limits_are_typed_errors(amount, reference, account) -> None:
    """Out-of-range amounts and references are refused with PaymentInputError (exit 2)."""
    with pytest.raises(PaymentInputError) as caught:
        PaymentRequest(amount, reference, account)
    assert isinstance(caught.value, BadInput)


def test_limits_accept_the_edges() -> None:
    """25 characters and a 13-digit amount are still allowed."""
    text = PaymentRequest(MAX_AMOUNT, "x" * 25, DEMO).payload()
    assert parse_payment(text).reference == "x" * 25


@pytest.mark.parametrize("bank_bin, number", [("97041", "1"), ("9704150", "1"), ("97041A", "1"),
                                              ("970415", ""), ("970415", "1" * 20),
                                              ("970415", "DEMO-1")])
def test_bad_accounts_are_refused(bank_bin, number) -> None:
    """A BIN is 6 digits, an account 1-19 digits or capitals."""
    with pytest.raises(PaymentInputError):
        BankAccount(bank_bin, number)


def test_bad_crc_names_both_values() -> None:
    """A wrong CRC is reported with the printed and the computed value."""
    with pytest.raises(VietQrInvalid, match="AC14.*AC13"):
        parse_payment(NAPAS_QR_EXAMPLE[:-1] + "4")


@pytest.mark.parametrize("body, message", [
    ("000201010212" + tlv("38", tlv("00", "A000000999") + tlv("01", tlv("00", "970415")
                                                               + tlv("01", "1"))
                          + tlv("02", "QRIBFTTA")) + "5303704540211" + "5802VN"
     + tlv("62", tlv("08", "T1")), "GUID"),
    ("000201010212" + tlv("38", tlv("00", "A000000727") + tlv("01", tlv("00", "970415")
                                                               + tlv("01", "1"))
                          + tlv("02", "QRIBFTTC")) + "5303704540211" + "5802VN"
     + tlv("62", tlv("08", "T1")), "QRIBFTTC"),
    ("000201010211" + tlv("38", tlv("00", "A000000727") + tlv("01", tlv("00", "970415")
                                                               + tlv("01", "1"))
                          + tlv("02", "QRIBFTTA")) + "5303704" + "5802VN", "static"),
    ("000201010212" + tlv("38", tlv("00", "A000000727") + tlv("01", tlv("00", "970415")
                                                               + tlv("01", "1"))
                          + tlv("02", "QRIBFTTA")) + "5303840540211" + "5802VN"
     + tlv("62", tlv("08", "T1")), "currency"),
    ("000201010212010212", "twice"),
    ("00020101021238991234", "cut short"),
    ("000201010212" + tlv("38", tlv("00", "A000000727") + tlv("01", tlv("00", "970415")
                                                               + tlv("01", "1"))
                          + tlv("02", "QRIBFTTA")) + "5303704540510.50" + "5802VN"
     + tlv("62", tlv("08", "T1")), "whole number"),
])
def test_malformed_payloads_are_typed_errors(body: str, message: str) -> None:
    """Wrong GUID, card service, static, wrong currency, repeated or cut fields, decimals:
    each is a VietQrInvalid naming the problem, even with a correct CRC."""
    with pytest.raises(VietQrInvalid, match=message):
        parse_payment(_with_crc(body))


def test_not_a_vietqr_at_all() -> None:
    """Text that is not an EMV payload (a receipt seal, Vietnamese text) is refused."""
    for text in ("VNK1:ABC", "Xin chào", "", "6304"):
        with pytest.raises(VietQrInvalid):
            parse_payment(text)
