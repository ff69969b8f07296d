"""Field values: turning what was typed or read into the canonical form, and type checks.

Canonical forms: text NFC and trimmed; names in register case; dates ISO "YYYY-MM-DD"
(partial dates "YYYY" or "YYYY-MM"); times "HH:MM"; numbers int; yes/no bool; phone
numbers digits with a leading 0; e-mail lower case; province and commune official
integer codes. Input in the resident's habits ("15/02/1990", "+84 912 345 678") is
accepted and converted.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from kiosk.forms.personal_id import check_id_number, is_phone, normalize_phone
from kiosk.forms.spec import FieldSpec
from kiosk.forms.units import communes, provinces
from kiosk.forms.vietnamese import name_case, nfc

_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_MY = re.compile(r"(\d{1,2})[/.\-](\d{4})")
_NAME = re.compile(r"[^\W\d_]+(?:[ '\-][^\W\d_]+)*")


def _iso_date(text: str) -> str:
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return text
    return text


def _pad_digits(text: str) -> str:
    """The number pad has no "/": 6 digits read as mmyyyy, 8 as ddmmyyyy (4 stay a year)."""
    if text.isdigit() and len(text) in (6, 8):
        return "/".join((text[:2], text[2:])) if len(text) == 6 else \
            "/".join((text[:2], text[2:4], text[4:]))
    return text


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """The canonical form of ``raw`` for this field, or ``raw`` unchanged if it does not fit
    (the type check then reports it: nothing typed is ever silently dropped)."""
    if raw is None:
        return ""
    kind = spec.type
    if isinstance(raw, str):
        raw = nfc(raw)
    if kind == "name" and isinstance(raw, str):
        return name_case(raw)
    if kind == "date" and isinstance(raw, str):
        return _iso_date(raw)
    if kind == "partial_date" and isinstance(raw, str):
        text = _pad_digits(raw)
        match = _MY.fullmatch(text)
        value = f"{match.group(2)}-{int(match.group(1)):02d}" if match else _iso_date(text)
        return raw if "/" in value else value
    if kind == "number" and isinstance(raw, str) and raw.isdigit():
        return int(raw)
    if kind in ("province", "commune") and isinstance(raw, str) and raw.isdigit():
        return int(raw)
    if kind == "yes_no" and isinstance(raw, str):
        folded = raw.casefold()
        if folded in ("có", "yes", "true", "1"):
            return True
        if folded in ("không", "no", "false", "0"):
            return False
    if kind == "phone" and isinstance(raw, str):
        return normalize_phone(raw)
    if kind == "email" and isinstance(raw, str):
        return raw.lower()
    if kind == "select" and isinstance(raw, str):
        codes = {str(option["code"]): option["code"] for option in spec.options}
        return codes.get(raw, raw)
    return raw


def empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _valid_iso(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def type_problem(spec: FieldSpec, value: Any, today: date, values: dict[str, Any]) -> str:
    """The message key of what is wrong with a non-empty value's type, or ""."""
    kind = spec.type
    if kind in ("text", "attachment"):
        return "" if isinstance(value, str) and len(value) <= 2000 else kind
    if kind == "name":
        return "" if isinstance(value, str) and _NAME.fullmatch(value) and len(value) <= 100 else "name"
    if kind == "date":
        if not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
                and _valid_iso(value)):
            return "date"
        return "future_date" if value > today.isoformat() and not spec.future else ""
    if kind == "partial_date":
        if isinstance(value, str) and re.fullmatch(r"\d{4}", value):
            ok = True
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            ok = True
        else:
            ok = isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None \
                and _valid_iso(value)
        if not ok:
            return "partial_date"
        return "future_date" if value > today.isoformat()[:len(value)] and not spec.future else ""
    if kind == "time":
        ok = isinstance(value, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value)
        return "" if ok else "time"
    if kind == "number":
        return "" if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else "number"
    if kind == "select":
        return "" if any(option["code"] == value for option in spec.options) else "select"
    if kind == "province":
        return "" if any(unit.code == value for unit in provinces()) else "province"
    if kind == "commune":
        province = values.get(spec.province_field)
        if not isinstance(province, int) or not isinstance(value, int):
            return "commune"
        return "" if any(unit.code == value for unit in communes(province)) else "commune"
    if kind == "phone":
        return "" if isinstance(value, str) and is_phone(value) else "phone"
    if kind == "email":
        ok = isinstance(value, str) and re.fullmatch(r"[^@\s]{1,64}@[^@\s]{1,255}\.[a-z]{2,}", value)
        return "" if ok else "email"
    if kind == "id_number":
        return check_id_number(value).problem if isinstance(value, str) else "id_format"
    if kind == "yes_no":
        return "" if isinstance(value, bool) else "yes_no"
    if kind == "repeat":
        return "" if isinstance(value, list) else "repeat"
    return ""


def unit_name(spec: FieldSpec, value: Any, values: dict[str, Any]) -> str:
    """The display name of a province or commune code ("" when unknown)."""
    if spec.type == "province":
        return next((u.name for u in provinces() if u.code == value), "")
    province = values.get(spec.province_field)
    if isinstance(province, int):
        return next((u.name for u in communes(province) if u.code == value), "")
    return ""
