"""The numeric keypad's entry rules: ID numbers, dates written dd/mm/yyyy, phone numbers.

The keypad only has digits, backspace and confirm, so whatever else a value needs (the
slashes of a date) is added by us as the digits come, and taken away with them. The
``complete`` check is what enables the confirm key: the resident is never told a value
is wrong after pressing a big green button that looked ready.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from kiosk.keyboard.errors import UnknownKey

__all__ = ["Entry", "press_digit", "press_backspace", "is_complete", "digits_of"]


class Entry(Enum):
    """What the keypad is typing, with the number of digits it takes."""

    ID = "id"          # the 12-digit personal ID number (số định danh cá nhân)
    DATE = "date"      # dd/mm/yyyy
    PHONE = "phone"    # 10 digits for mobiles (0 + 9), 11 for landlines (02x + 8)
    DIGITS = "digits"  # any count up to 20: house numbers, counts, codes

    @classmethod
    def named(cls, name: str) -> Entry:
        try:
            return cls(name)
        except ValueError:
            raise UnknownKey(f"{name!r} is not a keypad entry: use id, date, phone or digits") \
                from None


_MAX_DIGITS = {Entry.ID: 12, Entry.DATE: 8, Entry.PHONE: 11, Entry.DIGITS: 20}


def digits_of(text: str) -> str:
    return "".join(char for char in text if char.isascii() and char.isdigit())


def _formatted(digits: str, entry: Entry) -> str:
    if entry is not Entry.DATE:
        return digits
    # Slashes appear as soon as a part is full, so "15" shows "15/" and invites the month.
    day, month, year = digits[:2], digits[2:4], digits[4:]
    out = day
    if len(day) == 2:
        out += "/" + month
    if len(month) == 2:
        out += "/" + year
    return out


def press_digit(text: str, digit: str, entry: Entry) -> str:
    """The value after one more digit; a full value ignores further digits."""
    if len(digit) != 1 or not digit.isascii() or not digit.isdigit():
        raise UnknownKey(f"{digit!r} is not a keypad digit")
    digits = digits_of(text)
    if len(digits) >= _MAX_DIGITS[entry]:
        return _formatted(digits, entry)
    return _formatted(digits + digit, entry)


def press_backspace(text: str, entry: Entry) -> str:
    """The value with its last digit gone (and the slash it brought, for a date)."""
    return _formatted(digits_of(text)[:-1], entry)


def is_complete(text: str, entry: Entry) -> bool:
    """True when the value can be confirmed: full length, and a real date for dates."""
    digits = digits_of(text)
    if entry is Entry.ID:
        return len(digits) == 12
    if entry is Entry.PHONE:
        return digits.startswith("0") and (len(digits) == 10 or
                                           (len(digits) == 11 and digits.startswith("02")))
    if entry is Entry.DIGITS:
        return len(digits) >= 1
    if len(digits) != 8:
        return False
    try:
        date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    except ValueError:
        return False
    return True  # whether the date may be in the future is the form's rule, not the keypad's
