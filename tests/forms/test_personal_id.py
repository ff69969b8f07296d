"""The 12-digit personal ID number and phone numbers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.forms import demo
from kiosk.forms.personal_id import (
    check_id_number,
    id_birth_year_and_sex,
    is_phone,
    normalize_phone,
)
from kiosk.forms.units import OLD_PROVINCES


def test_demo_ids_are_consistent_with_birth_year_and_sex() -> None:
    """Every demo resident's ID encodes their year of birth and sex."""
    for id_number in demo.resident_ids():
        chip = demo.chip_record(id_number)
        check = check_id_number(id_number, birth_year=int(chip["date_of_birth"][:4]), sex=chip["sex"])
        assert check.ok, id_number


def test_rejections_name_the_problem() -> None:
    """Format, province code, year and sex problems are told apart."""
    assert check_id_number("00109001234").problem == "id_format"
    assert check_id_number("00109001234a").problem == "id_format"
    assert check_id_number("003090012345").problem == "id_province"  # 003 was never a province
    assert check_id_number("001090012345", birth_year=1991).problem == "id_birth_year"
    assert check_id_number("001090012345", sex="Nữ").problem == "id_sex"
    assert check_id_number("001090012345", birth_year=1990, sex="Nam").ok


def test_century_digit() -> None:
    """0/1 = 1900s, 2/3 = 2000s; even = male, odd = female."""
    assert id_birth_year_and_sex("001221000123") == (2021, "Nam")
    assert id_birth_year_and_sex("079301004567") == (2001, "Nữ")


@settings(max_examples=300, deadline=None)
@given(province=st.sampled_from(sorted(OLD_PROVINCES)), year=st.integers(1900, 2099),
       female=st.booleans(), serial=st.integers(0, 999_999))
def test_constructed_ids_validate_and_mismatches_fail(province: int, year: int, female: bool,
                                                       serial: int) -> None:
    """An ID built by the rules validates for its year and sex, and fails for any other."""
    century_digit = (year // 100 - 19) * 2 + (1 if female else 0)
    id_number = f"{province:03d}{century_digit}{year % 100:02d}{serial:06d}"
    sex = "Nữ" if female else "Nam"
    assert check_id_number(id_number, birth_year=year, sex=sex).ok
    assert not check_id_number(id_number, birth_year=year + 1, sex=sex).ok
    assert not check_id_number(id_number, birth_year=year, sex="Nam" if female else "Nữ").ok


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_arbitrary_text_never_crashes(text: str) -> None:
    """Any input gives a verdict, never an exception."""
    result = check_id_number(text)
    assert result.ok == (len(text) == 12 and text.isascii() and text.isdigit()
                         and int(text[:3]) in OLD_PROVINCES)


def test_phone_numbers() -> None:
    """Mobile and landline numbers, with +84 and separators accepted."""
    assert is_phone("0912345678") and is_phone("0912 345 678") and is_phone("+84912345678")
    assert normalize_phone("+84 912.345.678") == "0912345678"
    assert is_phone("02438253456")  # Hà Nội landline, 11 digits
    assert not is_phone("0123456789")  # 012x prefixes were retired in 2018
    assert not is_phone("091234567") and not is_phone("abc")
