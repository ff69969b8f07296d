"""The 12-digit personal identification number (số định danh cá nhân) and phone numbers.

Structure (Circular 59/2021/TT-BCA, art. 7): 3 digits of the province where the birth
was registered (the 63 pre-2025 codes; the 34 merged provinces kept one of them), 1
digit for century and sex, 2 digits for the year of birth, 6 serial digits.
Century/sex digit: 1900s male 0 / female 1, 2000s 2 / 3, 2100s 4 / 5, 2200s 6 / 7,
2300s 8 / 9.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.forms.units import OLD_PROVINCES

_ID = re.compile(r"\d{12}")
_CENTURIES = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200,
              8: 2300, 9: 2300}


@dataclass(frozen=True)
class IdCheck:
    """The outcome of checking an ID number; ``problem`` is a message key or ""."""

    ok: bool
    problem: str = ""


def id_birth_year_and_sex(id_number: str) -> tuple[int, str]:
    """The year of birth and sex ("Nam"/"Nữ") that an ID number encodes."""
    digit = int(id_number[3])
    return _CENTURIES[digit] + int(id_number[4:6]), ("Nam" if digit % 2 == 0 else "Nữ")


def check_id_number(id_number: str, *, birth_year: int | None = None,
                    sex: str | None = None) -> IdCheck:
    """Check the format, the province code and (when given) the year of birth and sex."""
    if not isinstance(id_number, str) or not _ID.fullmatch(id_number):
        return IdCheck(False, "id_format")
    if int(id_number[:3]) not in OLD_PROVINCES:
        return IdCheck(False, "id_province")
    year, encoded_sex = id_birth_year_and_sex(id_number)
    if birth_year is not None and birth_year != year:
        return IdCheck(False, "id_birth_year")
    if sex and sex != encoded_sex:
        return IdCheck(False, "id_sex")
    return IdCheck(True)


_MOBILE = re.compile(r"0[35789]\d{8}")
# Landlines since the 2017 renumbering: 02 + area code + subscriber, 10 or 11 digits.
_LANDLINE = re.compile(r"02\d{8,9}")


def normalize_phone(text: str) -> str:
    """Digits only, with +84 / 84 turned into the domestic leading 0."""
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def is_phone(text: str) -> bool:
    """A Vietnamese mobile (03/05/07/08/09 + 8 digits) or landline (02…) number."""
    digits = normalize_phone(text)
    return bool(_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits))
