"""Machine readable zone: check digits, the TD1 layout of the ID card, and the access keys.

BAC key input (ICAO 9303-11 §9.7.2): document number + check digit + date of birth +
check digit + date of expiry + check digit. On the CCCD the MRZ document number is the
**last 9 digits** of the 12-digit personal ID, and the full ID sits in the optional data
(REFERENCE §1). The PACE password is the CAN = the last 6 digits of the ID.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from kiosk.devices.card.errors import AccessKeyError, CardDataError
from kiosk.devices.card.qr import parse_card_qr

__all__ = [
    "check_digit", "MrzKey", "Td1", "parse_td1", "can_from_id", "mrz_key_from_id",
    "mrz_key_from_card_qr", "expiry_by_rule", "yymmdd", "mrz_date", "LIFELONG_EXPIRY",
]

_WEIGHTS = (7, 3, 1)
# One worked example shows 991231 as a lifelong card's DOE; unverified in general.
LIFELONG_EXPIRY = "991231"
# Law on Identification 2023 (in force 1 July 2024) adds the age-14 replacement.
_LAW_2023_FROM = date(2024, 7, 1)


def _char_value(char: str) -> int:
    if char == "<":
        return 0
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise AccessKeyError(f"character {char!r} is not allowed in a machine readable zone")


def check_digit(s: str) -> int:
    """ICAO 9303-3 §4.9: weights 7-3-1, '<' = 0, A = 10 … Z = 35, sum modulo 10."""
    return sum(_char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(s)) % 10


def _is_yymmdd(text: str) -> bool:
    if len(text) != 6 or not text.isascii() or not text.isdigit():
        return False
    month, day = int(text[2:4]), int(text[4:])
    return 1 <= month <= 12 and 1 <= day <= 31


def yymmdd(day: date) -> str:
    """A date as the MRZ writes it."""
    return day.strftime("%y%m%d")


@dataclass(frozen=True)
class MrzKey:
    """The BAC access key: the three MRZ fields whose check digits it includes."""

    document_number: str
    date_of_birth: str  # YYMMDD
    date_of_expiry: str  # YYMMDD

    def __post_init__(self) -> None:
        if not self.document_number or len(self.document_number) > 39:
            raise AccessKeyError("the document number must have 1 to 39 characters")
        for c in self.document_number:
            _char_value(c)
        if not _is_yymmdd(self.date_of_birth):
            raise AccessKeyError("the date of birth must be YYMMDD")
        if not _is_yymmdd(self.date_of_expiry):
            raise AccessKeyError("the date of expiry must be YYMMDD")

    def key_input(self) -> str:
        """The MRZ information hashed into the key seed (ICAO 9303-11 §9.7.2)."""
        doc = self.document_number
        if len(doc) < 9:
            doc = doc.ljust(9, "<")
        return (doc + str(check_digit(doc)) + self.date_of_birth
                + str(check_digit(self.date_of_birth)) + self.date_of_expiry
                + str(check_digit(self.date_of_expiry)))

    def seed(self) -> bytes:
        """K_seed = first 16 bytes of SHA-1 of the key input."""
        return hashlib.sha1(self.key_input().encode("ascii")).digest()[:16]

    def __repr__(self) -> str:  # keeps dates of birth out of logs and tracebacks
        return "MrzKey(<redacted>)"


def _valid_id12(id12: str, what: str = "the personal ID number") -> str:
    id12 = id12.strip()
    if len(id12) != 12 or not id12.isascii() or not id12.isdigit():
        raise AccessKeyError(f"{what} must be exactly 12 digits")
    return id12


def can_from_id(id12: str) -> str:
    """The PACE password of a CCCD: the last 6 digits of the personal ID (REFERENCE §1)."""
    return _valid_id12(id12)[-6:]


def _birthday_at(dob: date, age: int) -> date:
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:  # 29 February in a non-leap year: assumed 28 February (unverified)
        return date(dob.year + age, 2, 28)


def expiry_by_rule(dob: date, issued: date | None, today: date | None = None) -> date | None:
    """A card's expiry from the replacement ages, or None for a lifelong card.

    Cards are replaced at 25, 40 and 60 (and 14 for cards issued under the 2023 law); a
    card issued within 2 years before a milestone lasts to the next one; from 58 it is
    lifelong (REFERENCE §1). Without an issue date we assume the card was issued today's
    side of the last milestone and apply no 2-year extension: pass --expiry when known.
    """
    reference = issued or today or date.today()
    ages = (14, 25, 40, 60) if reference >= _LAW_2023_FROM else (25, 40, 60)
    if _birthday_at(dob, 58) <= reference:
        return None
    for index, age in enumerate(ages):
        milestone = _birthday_at(dob, age)
        if milestone <= reference:
            continue
        if issued is not None and _birthday_at(milestone, -2) <= issued:
            return _birthday_at(dob, ages[index + 1]) if index + 1 < len(ages) else None
        return milestone
    return None


def mrz_key_from_id(id12: str, dob: date, issued: date | None = None,
                    expiry: date | None = None) -> MrzKey:
    """The BAC key from what the resident types or the QR says.

    The document number is the last 9 digits of the ID (a common bug takes the first 9).
    """
    id12 = _valid_id12(id12)
    if expiry is None:
        expiry = expiry_by_rule(dob, issued)
    doe = yymmdd(expiry) if expiry is not None else LIFELONG_EXPIRY
    return MrzKey(document_number=id12[-9:], date_of_birth=yymmdd(dob), date_of_expiry=doe)


def mrz_key_from_card_qr(text: str) -> MrzKey:
    """The BAC key from the card's QR text (ID, birth date and issue date it carries)."""
    qr = parse_card_qr(text)
    try:
        return mrz_key_from_id(qr.id_number, qr.date_of_birth, qr.date_of_issue)
    finally:
        qr.wipe()


def mrz_date(text: str, kind: str) -> str:
    """An MRZ YYMMDD as ISO: births in the past century window, expiries from 2000.

    '991231' as an expiry stays as given ISO (2099-12-31) — the caller decides "lifelong".
    """
    if not _is_yymmdd(text):
        raise CardDataError(f"DG1: {kind} is not a YYMMDD date")
    yy = int(text[:2])
    if kind == "date of birth":
        century = 1900 if yy > date.today().year % 100 else 2000
    else:
        century = 2000
    return f"{century + yy:04d}-{text[2:4]}-{text[4:]}"


@dataclass
class Td1:
    """The three-line MRZ of an ID card (ICAO 9303-5), after check-digit verification."""

    document_code: str
    issuing_state: str
    document_number: str
    optional_data_1: str
    date_of_birth: str  # YYMMDD
    sex: str
    date_of_expiry: str  # YYMMDD
    nationality: str
    optional_data_2: str
    primary_identifier: str
    secondary_identifier: str

    @property
    def id_number(self) -> str:
        """The 12-digit personal ID in the optional data (CCCD), or '' if absent."""
        head = self.optional_data_1[:12]
        return head if len(head) == 12 and head.isdigit() else ""

    def access_key(self) -> MrzKey:
        return MrzKey(self.document_number, self.date_of_birth, self.date_of_expiry)

    def __repr__(self) -> str:
        return "Td1(<redacted>)"


def parse_td1(mrz: str) -> Td1:
    """Parse a TD1 MRZ (90 characters, with or without line breaks) and verify every check
    digit; raise CardDataError naming the failing one."""
    text = "".join(mrz.split())
    if len(text) != 90:
        raise CardDataError(f"DG1: a TD1 MRZ has 90 characters, this one has {len(text)}")
    for c in text:
        if not (c == "<" or "0" <= c <= "9" or "A" <= c <= "Z"):
            raise CardDataError("DG1: the MRZ contains a character outside A-Z, 0-9 and '<'")
    line1, line2, line3 = text[:30], text[30:60], text[60:]
    number, number_cd, optional1 = line1[5:14], line1[14], line1[15:30]
    if number_cd == "<":  # ICAO 9303-5 §4.2.2: long document numbers continue in optional data
        rest = optional1.split("<", 1)[0]
        if len(rest) < 2:
            raise CardDataError("DG1: truncated long document number")
        number, number_cd = number + rest[:-1], rest[-1]
        optional1 = optional1[len(rest):]
    number = number.rstrip("<")
    checks = [
        ("document number", line1[5:14] if line1[14] != "<" else None, number_cd),
        ("date of birth", line2[0:6], line2[6]),
        ("date of expiry", line2[8:14], line2[14]),
    ]
    for what, field_text, digit in checks:
        if field_text is None:
            field_text = number
        if not digit.isdigit() or check_digit(field_text) != int(digit):
            raise CardDataError(f"DG1: check digit of the {what} is wrong")
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    if not line2[29].isdigit() or check_digit(composite) != int(line2[29]):
        raise CardDataError("DG1: composite check digit is wrong")
    for what, value in (("date of birth", line2[0:6]), ("date of expiry", line2[8:14])):
        if not _is_yymmdd(value):
            raise CardDataError(f"DG1: {what} is not a YYMMDD date")
    primary, _, secondary = line3.partition("<<")
    return Td1(
        document_code=line1[0:2].rstrip("<"), issuing_state=line1[2:5],
        document_number=number, optional_data_1=optional1.rstrip("<"),
        date_of_birth=line2[0:6], sex=line2[7], date_of_expiry=line2[8:14],
        nationality=line2[15:18], optional_data_2=line2[18:29].rstrip("<"),
        primary_identifier=primary.replace("<", " ").strip(),
        secondary_identifier=secondary.replace("<", " ").strip(),
    )
