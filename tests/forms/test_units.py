"""Administrative units after the July 2025 reorganisation, and remapping old addresses."""

from __future__ import annotations

import pytest

from kiosk.forms.units import (
    OLD_PROVINCES,
    communes,
    find_commune,
    find_province,
    provinces,
    remap_address,
    search_communes,
)


def test_thirty_four_provinces_and_every_old_one_maps_to_one() -> None:
    """34 current provinces; each of the 63 old codes belongs to one of them."""
    current = {unit.code for unit in provinces()}
    assert len(current) == 34
    assert len(OLD_PROVINCES) == 63
    assert {new for _, new in OLD_PROVINCES.values()} == current


@pytest.mark.parametrize(("name", "expected", "remapped"), [
    ("Thành phố Hà Nội", "Thành phố Hà Nội", False),
    ("Tỉnh Nam Định", "Tỉnh Ninh Bình", True),
    ("tinh ha giang", "Tỉnh Tuyên Quang", True),
    ("Tỉnh Bình Dương", "Thành phố Hồ Chí Minh", True),
    ("Tỉnh Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh", True),
    ("Tỉnh Thừa Thiên Huế", "Thành phố Huế", True),
])
def test_province_names_old_and_new(name: str, expected: str, remapped: bool) -> None:
    """Old province names (with or without diacritics) find the province they joined."""
    unit, was_remapped = find_province(name)
    assert (unit.name, was_remapped) == (expected, remapped)


def test_unknown_province() -> None:
    assert find_province("Tỉnh Không Có") is None


def test_communes_cascade_and_search() -> None:
    """A province's communes; diacritic-insensitive search within them."""
    hanoi = communes(1)
    assert len(hanoi) > 100
    assert find_commune(1, "phường thanh xuân").name == "Phường Thanh Xuân"
    assert "Phường Thanh Xuân" in [u.name for u in search_communes(1, "thanh xuan")]
    assert find_commune(1, "Phường Gia Viên") is None  # a Hải Phòng commune


@pytest.mark.parametrize(("address", "expected"), [
    ("Số 12 ngõ 34 phố Nguyễn Trãi, Phường Thượng Đình, Quận Thanh Xuân, Thành phố Hà Nội",
     "Số 12 ngõ 34 phố Nguyễn Trãi, Phường Thanh Xuân, Thành phố Hà Nội"),
    ("Xóm 3, Xã Hải Phúc, Huyện Hải Hậu, Tỉnh Nam Định", "Xóm 3, Xã Hải Hậu, Tỉnh Ninh Bình"),
    ("Số 45 đường Lê Lợi, Phường Bến Thành, Quận 1, Thành phố Hồ Chí Minh",
     "Số 45 đường Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh"),
])
def test_remap_card_addresses(address: str, expected: str) -> None:
    """Three-level card addresses come out on the current two levels."""
    result = remap_address(address)
    assert result.as_text() == expected
    assert result.remapped and not result.needs_choice


def test_current_address_is_not_remapped() -> None:
    result = remap_address("Số 1, Phường Thanh Xuân, Thành phố Hà Nội")
    assert not result.remapped and result.commune.name == "Phường Thanh Xuân"


def test_unknown_old_commune_asks_the_resident() -> None:
    """A commune in neither the current list nor the remap table is left to choose."""
    result = remap_address("Thôn 1, Xã Không Tồn Tại, Huyện X, Tỉnh Nam Định")
    assert result.province.name == "Tỉnh Ninh Bình"
    assert result.commune is None and result.needs_choice
