"""The numeric keypad's rules: dates get their slashes, values stop at their length."""

from __future__ import annotations

import pytest

from kiosk.keyboard.errors import UnknownKey
from kiosk.keyboard.keypad import Entry, is_complete, press_backspace, press_digit


def typed(digits: str, entry: Entry) -> str:
    text = ""
    for digit in digits:
        text = press_digit(text, digit, entry)
    return text


@pytest.mark.parametrize(("digits", "shown"), [
    ("1", "1"), ("15", "15/"), ("150", "15/0"), ("1502", "15/02/"), ("15021990", "15/02/1990"),
    ("150219901", "15/02/1990"),
])
def test_date_slashes_come_with_the_digits(digits: str, shown: str) -> None:
    """dd/mm/yyyy: a slash appears as each part fills; a ninth digit is ignored."""
    assert typed(digits, Entry.DATE) == shown


def test_backspace_takes_the_slash_with_the_digit() -> None:
    """Backspace after "15/" leaves "1": the resident never has to delete a slash."""
    assert press_backspace("15/", Entry.DATE) == "1"
    assert press_backspace("15/02/1990", Entry.DATE) == "15/02/199"
    assert press_backspace("15/02/", Entry.DATE) == "15/0"
    assert press_backspace("", Entry.DATE) == ""


@pytest.mark.parametrize(("text", "entry", "complete"), [
    ("001090012345", Entry.ID, True),
    ("00109001234", Entry.ID, False),
    ("15/02/1990", Entry.DATE, True),
    ("29/02/2024", Entry.DATE, True),
    ("29/02/2023", Entry.DATE, False),
    ("31/04/1990", Entry.DATE, False),
    ("15/02/199", Entry.DATE, False),
    ("0912345678", Entry.PHONE, True),
    ("02439876543", Entry.PHONE, True),
    ("09123456789", Entry.PHONE, False),
    ("912345678", Entry.PHONE, False),
    ("7", Entry.DIGITS, True),
    ("", Entry.DIGITS, False),
])
def test_complete_values(text: str, entry: Entry, complete: bool) -> None:
    """"Xong" is enabled for a 12-digit ID, a real calendar date, a Vietnamese phone number."""
    assert is_complete(text, entry) is complete


def test_id_stops_at_twelve_digits() -> None:
    """A thirteenth digit of an ID number is ignored, not appended."""
    assert typed("0010900123459", Entry.ID) == "001090012345"


def test_bad_keys_are_typed_errors() -> None:
    """Only ASCII digits are keypad keys; entry names are checked."""
    with pytest.raises(UnknownKey):
        press_digit("", "٣", Entry.ID)  # an Arabic-Indic three is a digit, but not ours
    with pytest.raises(UnknownKey):
        press_digit("", "12", Entry.ID)
    with pytest.raises(UnknownKey, match="not a keypad entry"):
        Entry.named("pin")
