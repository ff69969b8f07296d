"""Vietnamese text rules: NFC, folding for search, name case, dates and numbers in words."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.forms.vietnamese import (
    date_in_words,
    fold,
    name_case,
    nfc,
    number_in_words,
    search,
    words_to_date,
    words_to_number,
)


def test_nfc_composes_and_collapses_spaces() -> None:
    """A decomposed name from a chip or a keyboard becomes the composed form, trimmed."""
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị  Ánh ")
    assert decomposed != "Nguyễn Thị Ánh"
    assert nfc(decomposed) == "Nguyễn Thị Ánh"


def test_fold_ignores_diacritics_case_and_d_bar() -> None:
    """'ha noi' and 'HÀ NỘI' fold alike; đ folds to d (NFD alone keeps it)."""
    assert fold("Hà Nội") == fold("ha noi") == fold("HÀ NỘI") == "ha noi"
    assert fold("Đà Nẵng") == "da nang"


def test_search_finds_without_diacritics_prefix_first() -> None:
    """The service and select search: 'ha noi' finds Hà Nội; prefix matches lead."""
    items = ["Thành phố Hà Nội", "Tỉnh Hà Tĩnh", "Thành phố Hải Phòng", "Hà Nội cũ"]
    assert search("ha noi", items) == ["Hà Nội cũ", "Thành phố Hà Nội"]
    assert search("khai sinh", ["Đăng ký khai sinh", "Đăng ký khai tử"]) == ["Đăng ký khai sinh"]
    assert search("xyz", items) == []


def test_name_case_capitalises_every_syllable() -> None:
    """Registers write every syllable capitalised, also after hyphens."""
    assert name_case("nguyễn thị ÁNH") == "Nguyễn Thị Ánh"
    assert name_case("  lò   văn  PÁO ") == "Lò Văn Páo"
    assert name_case("h'hen niê") == "H'hen Niê"
    assert name_case("y-moan ênuôl") == "Y-Moan Ênuôl"


def test_number_in_words_register_style() -> None:
    """Empty hundreds read 'không trăm', empty tens 'linh' (num2words says 'lẻ')."""
    assert number_in_words(2021) == "hai nghìn không trăm hai mươi mốt"
    assert number_in_words(2005) == "hai nghìn không trăm linh năm"
    assert number_in_words(1990) == "một nghìn chín trăm chín mươi"
    assert number_in_words(2000) == "hai nghìn"
    assert number_in_words(15) == "mười lăm"


def test_date_in_words_examples() -> None:
    """The birth certificate's date in words."""
    assert date_in_words(date(1990, 2, 15)) == \
        "Ngày mười lăm, tháng hai, năm một nghìn chín trăm chín mươi"
    assert date_in_words(date(2021, 4, 5)) == \
        "Ngày năm, tháng tư, năm hai nghìn không trăm hai mươi mốt"


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)))
def test_date_in_words_reads_back(day: date) -> None:
    """Every date written out reads back to itself: no two dates share a wording."""
    text = date_in_words(day)
    assert words_to_date(text) == day
    assert text == nfc(text) and text.startswith("Ngày ")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=9999))
def test_number_in_words_reads_back(value: int) -> None:
    """Numbers in words are unambiguous over the years a register can hold."""
    assert words_to_number(number_in_words(value)) == value


@pytest.mark.parametrize(("value", "words"), [
    (1_000_000, "một triệu"),
    (1_000_005, "một triệu không trăm linh năm"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (2_500_000, "hai triệu năm trăm nghìn"),
    (105_000, "một trăm linh năm nghìn"),
    (1_234_567_890, "một tỷ hai trăm ba mươi bốn triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi"),
])
def test_millions_and_billions_read_as_registers_and_fees_write_them(value: int, words: str) -> None:
    """Fees run to millions of đồng: "một triệu", never "một nghìn nghìn"; a lower group after
    a higher one is read in full ("không trăm linh năm")."""
    assert number_in_words(value) == words
