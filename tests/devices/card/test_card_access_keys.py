"""Access keys: check digits, the CCCD's BAC key (last 9 digits), the expiry rule, the
card QR parser and the typed errors for bad input (exit code 2)."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.devices.card.access import AccessKey
from kiosk.devices.card.errors import AccessKeyError, CardDataError
from kiosk.devices.card.mrz import (
    can_from_id,
    check_digit,
    expiry_by_rule,
    mrz_key_from_card_qr,
    mrz_key_from_id,
    parse_td1,
)
from kiosk.devices.card.qr import parse_card_qr

EXAMPLE_MRZ = ("IDVNM0900123450001090012345<<1"
               "9002155M3002153VNM<<<<<<<<<<<0"
               "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<")
QR = "001090012345||Nguyễn Văn An|15021990|Nam|Hà Nội|10052021"


def test_check_digits_of_reference_example() -> None:
    """REFERENCE §1: 090012345→0, 900215→5, 300215→3."""
    assert (check_digit("090012345"), check_digit("900215"), check_digit("300215")) == (0, 5, 3)


def test_bac_key_uses_last_nine_digits() -> None:
    """The document number is the last 9 digits of the ID, never the first 9."""
    key = mrz_key_from_id("001090012345", date(1990, 2, 15), date(2021, 5, 10))
    assert key.key_input() == "090012345" "0" "900215" "5" "300215" "3"
    assert can_from_id("001090012345") == "012345"


def test_td1_of_reference_example() -> None:
    """The example MRZ parses: ID from the optional data, name, same key as typed."""
    td1 = parse_td1(EXAMPLE_MRZ)
    assert td1.id_number == "001090012345" and td1.document_number == "090012345"
    assert td1.primary_identifier == "NGUYEN" and td1.secondary_identifier == "VAN AN"
    assert td1.access_key() == mrz_key_from_id("001090012345", date(1990, 2, 15),
                                               date(2021, 5, 10))


@pytest.mark.parametrize("position", [14, 36, 44, 59])
def test_td1_check_digit_errors_are_named(position: int) -> None:
    """Each wrong check digit (document, birth, expiry, composite) raises CardDataError."""
    spoiled = EXAMPLE_MRZ[:position] + str((int(EXAMPLE_MRZ[position]) + 1) % 10) \
        + EXAMPLE_MRZ[position + 1:]
    with pytest.raises(CardDataError, match="check digit"):
        parse_td1(spoiled)


@pytest.mark.parametrize("dob, issued, expected", [
    (date(1990, 2, 15), date(2021, 5, 10), date(2030, 2, 15)),   # 31 → 40
    (date(1990, 2, 15), date(2028, 6, 1), date(2050, 2, 15)),    # within 2 y of 40 → 60
    (date(2000, 3, 1), date(2021, 1, 4), date(2025, 3, 1)),      # 20 → 25
    (date(2000, 3, 1), date(2023, 6, 1), date(2040, 3, 1)),      # 23.25 → within 2 y → 40
    (date(2014, 7, 7), date(2024, 9, 1), date(2028, 7, 7)),      # 2023 law: 10 → 14
    (date(2012, 7, 7), date(2024, 9, 1), date(2037, 7, 7)),      # 12, within 2 y of 14 → 25
    (date(2012, 7, 7), date(2024, 6, 1), date(2037, 7, 7)),      # 2014 law: no 14 → 25
    (date(1960, 1, 1), date(2021, 1, 1), None),                  # ≥ 58 → lifelong
    (date(1965, 5, 5), date(2021, 1, 1), date(2025, 5, 5)),      # 55 → 60
])
def test_expiry_rule(dob: date, issued: date, expected: date | None) -> None:
    """Replacement at 14 (2023 law), 25, 40, 60; 2-year grace; lifelong from 58."""
    assert expiry_by_rule(dob, issued) == expected


def test_lifelong_card_key_uses_991231() -> None:
    """A lifelong card's key uses the DOE 991231 (one worked example; unverified)."""
    key = mrz_key_from_id("001060012345", date(1960, 1, 1), date(2021, 1, 1))
    assert key.date_of_expiry == "991231"


def test_qr_parses_and_gives_the_same_key() -> None:
    """The 2021 card QR yields ID, birth and issue dates, and the same BAC key."""
    qr = parse_card_qr(QR)
    assert (qr.id_number, qr.date_of_birth, qr.date_of_issue) == (
        "001090012345", date(1990, 2, 15), date(2021, 5, 10))
    assert mrz_key_from_card_qr(QR).key_input() == "090012345090021553002153"
    key = AccessKey.from_card_qr(QR)
    assert key.can == "012345" and key.from_qr and "0010" not in repr(key)


@pytest.mark.parametrize("text, field", [
    ("", "empty"),
    ("001090012345|Nguyễn", "fields"),
    ("00109001234X||A|15021990|Nam|B|10052021", "field 1"),
    ("001090012345|12|A|15021990|Nam|B|10052021", "field 2"),
    ("001090012345||A|31021990|Nam|B|10052021", "field 4"),
    ("001090012345||A|1502199|Nam|B|10052021", "field 4"),
    ("001090012345||A|15021990|Nam|B|1005202", "field 7"),
])
def test_bad_qr_names_the_field(text: str, field: str) -> None:
    """A bad QR raises AccessKeyError (exit 2) whose message names the bad part."""
    with pytest.raises(AccessKeyError, match=field) as caught:
        parse_card_qr(text)
    assert caught.value.exit_code == 2


def test_bad_typed_id_is_bad_input() -> None:
    """An ID that is not 12 digits is refused before touching the card."""
    with pytest.raises(AccessKeyError, match="12 digits"):
        AccessKey.from_id("12345", date(1990, 1, 1))


def test_messages_carry_no_personal_data() -> None:
    """Errors about a QR never echo the ID or the name."""
    with pytest.raises(AccessKeyError) as caught:
        parse_card_qr("001090012345||Nguyễn Văn An|99999999|Nam|B|10052021")
    assert "001090012345" not in caught.value.message and "Nguyễn" not in caught.value.message
