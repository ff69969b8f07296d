"""DG13 of the Vietnamese ID card: the personal data, keyed by field number (REFERENCE §1).

6D → SEQUENCE { INTEGER version, OID 1.0.10646.1.0.8, SET OF SEQUENCE { INTEGER n, value } }.
Fields are found by number, never by position; values are UTF8String (PrintableString
accepted), decoded strictly and NFC-normalized; 13 and 14 are nested SEQUENCEs of names.
"""

from __future__ import annotations

import re
import unicodedata

from kiosk.devices.card.errors import CardDataError
from kiosk.devices.card.security_infos import der_integer
from kiosk.devices.card.tlv import TlvError, decode_tlv, expect_tlv, iter_tlv

__all__ = ["parse_dg13", "FIELD_KEYS", "dg13_date"]

_MAX_VALUE_BYTES = 2048
_STRING_TAGS = {0x0C: "utf-8", 0x13: "ascii"}

# field number -> canonical key (interface A); 13 and 14 are expanded below.
FIELD_KEYS = {1: "id_number", 2: "full_name", 3: "date_of_birth", 4: "sex", 5: "nationality",
              6: "ethnicity", 7: "religion", 8: "place_of_origin", 9: "residence",
              10: "identifying_marks", 11: "date_of_issue", 12: "date_of_expiry",
              15: "old_id_number", 16: "dg13_field_16_raw"}
_DATE_FIELDS = {3, 11, 12}
_FULL = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")


def dg13_date(text: str, field: int) -> str:
    """dd/mm/yyyy → YYYY-MM-DD; mm/yyyy → YYYY-MM; yyyy → YYYY (partial dates exist)."""
    text = text.strip()
    if m := _FULL.match(text):
        day, month, year = int(m[1]), int(m[2]), m[3]
        if not (1 <= month <= 12 and 1 <= day <= 31):
            raise CardDataError(f"DG13 field {field}: not a calendar date")
        return f"{year}-{month:02d}-{day:02d}"
    if m := _MONTH.match(text):
        if not 1 <= int(m[1]) <= 12:
            raise CardDataError(f"DG13 field {field}: not a calendar month")
        return f"{m[2]}-{int(m[1]):02d}"
    if _YEAR.match(text):
        return text
    raise CardDataError(f"DG13 field {field}: not a date (dd/mm/yyyy)")


def _string(tlv_tag: int, value: bytes, field: int) -> str:
    encoding = _STRING_TAGS.get(tlv_tag)
    if encoding is None:
        raise CardDataError(f"DG13 field {field}: value tag {tlv_tag:X} is not a string")
    if len(value) > _MAX_VALUE_BYTES:
        raise CardDataError(f"DG13 field {field}: value is {len(value)} bytes, over the limit")
    try:
        text = value.decode(encoding, errors="strict")
    except UnicodeDecodeError as error:
        raise CardDataError(f"DG13 field {field}: invalid {encoding.upper()}") from error
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise CardDataError(f"DG13 field {field}: control characters in the text")
    return unicodedata.normalize("NFC", text).strip()


def _names(value_tlv: tuple[int, bytes], field: int) -> list[str]:
    tag, value = value_tlv
    if tag in _STRING_TAGS:
        return [_string(tag, value, field)]
    if tag != 0x30:
        raise CardDataError(f"DG13 field {field}: expected a SEQUENCE of names")
    return [_string(t, v, field) for t, v in iter_tlv(value)]


def _fields(body: bytes) -> list[bytes]:
    """The field SEQUENCEs: inside a SET (as on the card), or loose after the OID."""
    out: list[bytes] = []
    for tag, value in iter_tlv(body):
        members = list(iter_tlv(value)) if tag == 0x31 else [(tag, value)]
        for member_tag, member in members:
            if member_tag != 0x30:
                raise CardDataError(f"DG13: a field is {member_tag:X}, not a SEQUENCE")
            out.append(member)
    return out


def parse_dg13(data: bytes) -> dict[str, str]:
    """The DG13 fields by canonical key; raises CardDataError naming the bad field."""
    try:
        outer = expect_tlv(data, 0x6D, "DG13")
        sequence = expect_tlv(outer, 0x30, "DG13 content")
        _, _, after_version = decode_tlv(sequence, 0)
        der_integer(sequence[:after_version], "DG13 version")
        oid_tag, _, after_oid = decode_tlv(sequence, after_version)
        if oid_tag != 0x06:
            raise CardDataError("DG13: the object identifier is missing")
        records = _fields(sequence[after_oid:])
        seen: dict[int, tuple[int, bytes]] = {}
        for record in records:
            _, _, after_number = decode_tlv(record, 0)
            number = der_integer(record[:after_number], "DG13 field number")
            value_tag, value, end = decode_tlv(record, after_number)
            if end != len(record):
                raise CardDataError(f"DG13 field {number}: extra data after the value")
            if number in seen:
                raise CardDataError(f"DG13 field {number} appears twice")
            seen[number] = (value_tag, value)
    except TlvError as error:
        raise CardDataError(f"DG13: {error.message}") from error
    result: dict[str, str] = {}
    for number, (tag, value) in sorted(seen.items()):
        if number == 13:
            names = _names((tag, value), 13) + ["", ""]
            result["father_name"], result["mother_name"] = names[0], names[1]
        elif number == 14:
            names = _names((tag, value), 14)
            result["spouse_name"] = names[0] if names else ""
        elif number in FIELD_KEYS:
            if number == 16 and tag not in _STRING_TAGS:
                result[FIELD_KEYS[16]] = value.hex().upper()
                continue
            text = _string(tag, value, number)
            if number in _DATE_FIELDS and text:
                try:
                    text = dg13_date(text, number)
                except CardDataError:
                    if number != 12:  # a lifelong card's expiry is text, not a date
                        raise
                    text = ""
            result[FIELD_KEYS[number]] = text
    for required in (1, 2):
        if FIELD_KEYS[required] not in result or not result[FIELD_KEYS[required]]:
            raise CardDataError(f"DG13: required field {required} is missing")
    if not re.fullmatch(r"\d{12}", result["id_number"]):
        raise CardDataError("DG13 field 1: the personal ID is not 12 digits")
    return result
