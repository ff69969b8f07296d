"""Administrative units after the 1 July 2025 reorganisation: 34 provinces, no districts.

The current provinces and communes (xã, phường, đặc khu) come from the maintained
``vietnam-provinces`` package. Cards issued before July 2025 still print the old
three-level address ("…, Phường Thượng Đình, Quận Thanh Xuân, Thành phố Hà Nội"):
:func:`remap_address` turns it into the current two levels. Provinces are remapped by
the table below (Resolution 202/2025/QH15); a commune keeps its name when a current
commune of the new province has it, else the curated table in
``resources/forms/units/commune-remap.yaml`` decides, else the resident chooses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from vietnam_provinces import Province, Ward

from kiosk.forms.vietnamese import fold, nfc, search

REMAP_FILE = Path(__file__).resolve().parents[2] / "resources" / "forms" / "units" / "commune-remap.yaml"

# Pre-2025 province code -> (name, code of the province it belongs to since 1 July 2025).
OLD_PROVINCES: dict[int, tuple[str, int]] = {
    1: ("Hà Nội", 1), 2: ("Hà Giang", 8), 4: ("Cao Bằng", 4), 6: ("Bắc Kạn", 19),
    8: ("Tuyên Quang", 8), 10: ("Lào Cai", 15), 11: ("Điện Biên", 11), 12: ("Lai Châu", 12),
    14: ("Sơn La", 14), 15: ("Yên Bái", 15), 17: ("Hòa Bình", 25), 19: ("Thái Nguyên", 19),
    20: ("Lạng Sơn", 20), 22: ("Quảng Ninh", 22), 24: ("Bắc Giang", 24), 25: ("Phú Thọ", 25),
    26: ("Vĩnh Phúc", 25), 27: ("Bắc Ninh", 24), 30: ("Hải Dương", 31), 31: ("Hải Phòng", 31),
    33: ("Hưng Yên", 33), 34: ("Thái Bình", 33), 35: ("Hà Nam", 37), 36: ("Nam Định", 37),
    37: ("Ninh Bình", 37), 38: ("Thanh Hóa", 38), 40: ("Nghệ An", 40), 42: ("Hà Tĩnh", 42),
    44: ("Quảng Bình", 44), 45: ("Quảng Trị", 44), 46: ("Thừa Thiên Huế", 46),
    48: ("Đà Nẵng", 48), 49: ("Quảng Nam", 48), 51: ("Quảng Ngãi", 51), 52: ("Bình Định", 52),
    54: ("Phú Yên", 66), 56: ("Khánh Hòa", 56), 58: ("Ninh Thuận", 56), 60: ("Bình Thuận", 68),
    62: ("Kon Tum", 51), 64: ("Gia Lai", 52), 66: ("Đắk Lắk", 66), 67: ("Đắk Nông", 68),
    68: ("Lâm Đồng", 68), 70: ("Bình Phước", 75), 72: ("Tây Ninh", 80), 74: ("Bình Dương", 79),
    75: ("Đồng Nai", 75), 77: ("Bà Rịa - Vũng Tàu", 79), 79: ("Hồ Chí Minh", 79),
    80: ("Long An", 80), 82: ("Tiền Giang", 82), 83: ("Bến Tre", 86), 84: ("Trà Vinh", 86),
    86: ("Vĩnh Long", 86), 87: ("Đồng Tháp", 82), 89: ("An Giang", 91), 91: ("Kiên Giang", 91),
    92: ("Cần Thơ", 92), 93: ("Hậu Giang", 92), 94: ("Sóc Trăng", 92), 95: ("Bạc Liêu", 96),
    96: ("Cà Mau", 96),
}

_PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?)\s+")
_COMMUNE_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu)\s")
_DISTRICT_PREFIX = re.compile(r"^(quan|huyen|thi xa|thanh pho)\s")


@dataclass(frozen=True)
class Unit:
    """One current unit: a province (level 1) or a commune (level 2), with its code."""

    code: int
    name: str


@dataclass(frozen=True)
class Address:
    """An address on the current two levels, and whether it had to be remapped."""

    street: str
    commune: Unit | None
    province: Unit | None
    remapped: bool
    needs_choice: bool
    original: str

    def as_text(self) -> str:
        parts = [self.street, self.commune.name if self.commune else "",
                 self.province.name if self.province else ""]
        return ", ".join(part for part in parts if part)


@lru_cache(maxsize=1)
def provinces() -> tuple[Unit, ...]:
    """The 34 provinces and centrally-run cities, in code order."""
    def title(p: Province) -> str:
        # The package names "Ninh Bình"; registers and the portal write "Tỉnh Ninh Bình".
        return p.name if p.name.startswith("Thành phố") else f"Tỉnh {p.name}"

    return tuple(sorted((Unit(int(p.code), title(p)) for p in Province.iter_all()),
                        key=lambda u: u.code))


@lru_cache(maxsize=64)
def communes(province_code: int) -> tuple[Unit, ...]:
    """The communes of a current province (the cascading select's second level)."""
    return tuple(Unit(int(w.code), w.name) for w in Ward.iter_by_province(province_code))


def province_by_code(code: int) -> Unit:
    """The current province with this code; raises KeyError for an old or unknown code."""
    for unit in provinces():
        if unit.code == code:
            return unit
    raise KeyError(f"no current province with code {code}")


def _bare_province(name: str) -> str:
    return _PROVINCE_PREFIX.sub("", fold(name)).replace("-", " ").replace("  ", " ")


def find_province(name: str) -> tuple[Unit, bool] | None:
    """The current province for a current or pre-2025 name, and whether it was remapped."""
    bare = _bare_province(name)
    for unit in provinces():
        if _bare_province(unit.name) == bare:
            return unit, False
    for old_name, new_code in OLD_PROVINCES.values():
        if _bare_province(old_name) == bare:
            return province_by_code(new_code), True
    return None


def find_commune(province_code: int, name: str) -> Unit | None:
    """The current commune of a province with exactly this (folded) name."""
    wanted = fold(name)
    return next((u for u in communes(province_code) if fold(u.name) == wanted), None)


def search_communes(province_code: int, query: str) -> list[Unit]:
    """Communes of a province whose name matches ``query`` without diacritics."""
    by_name = {u.name: u for u in communes(province_code)}
    return [by_name[name] for name in search(query, list(by_name))]


@lru_cache(maxsize=1)
def _commune_remap() -> dict[tuple[str, str], int]:
    data = yaml.safe_load(REMAP_FILE.read_text(encoding="utf-8")) or {}
    table: dict[tuple[str, str], int] = {}
    for entry in data.get("communes", []):
        table[(_bare_province(entry["old_province"]), fold(entry["old_commune"]))] = int(entry["new_commune_code"])
    return table


def remap_address(text: str) -> Address:
    """Split an address as printed on a card and bring it onto the current units."""
    original = nfc(text)
    parts = [part.strip() for part in original.split(",") if part.strip()]
    if not parts:
        return Address("", None, None, False, True, original)
    found = find_province(parts[-1])
    if found is None:
        return Address(", ".join(parts), None, None, False, True, original)
    province, remapped = found
    commune_text, street_parts, district_seen = "", [], False
    for part in parts[:-1]:
        folded = fold(part)
        if _COMMUNE_PREFIX.match(folded) and not commune_text:
            commune_text = part
        elif _DISTRICT_PREFIX.match(folded) and commune_text:
            district_seen = True
        elif not commune_text:
            street_parts.append(part)
    street = ", ".join(street_parts)
    commune = find_commune(province.code, commune_text) if commune_text else None
    if commune is None and commune_text:
        code = _commune_remap().get((_bare_province(parts[-1]), fold(commune_text)))
        if code is not None:
            commune = next((u for u in communes(province.code) if u.code == code), None)
            remapped = True
    remapped = remapped or district_seen
    return Address(street, commune, province, remapped, commune is None, original)
