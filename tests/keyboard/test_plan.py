"""Typing plans: every demo resident's name and address types back exactly, both ways."""

from __future__ import annotations

import pytest

from kiosk.demo_residents import demo_residents
from kiosk.keyboard import Style
from kiosk.keyboard.plan import Tap, onscreen_taps, telex_keys, type_onscreen
from kiosk.keyboard.telex import Telex

FIELDS = ("full_name", "residence", "place_of_origin", "father_name", "mother_name")
TEXTS = sorted({person[field] for person in demo_residents() for field in FIELDS
                if person.get(field)})


def test_there_are_demo_texts() -> None:
    """The demo data has names and addresses to type (guards the parametrisation below)."""
    assert len(TEXTS) >= 10


@pytest.mark.parametrize("text", TEXTS)
def test_demo_texts_type_back_exactly(text: str) -> None:
    """The on-screen taps and the Telex keys for a demo text give that text, nothing else."""
    taps = onscreen_taps(text)
    assert taps is not None
    assert type_onscreen(taps) == text
    machine = Telex()
    for key in telex_keys(text):
        machine.press(key)
    assert machine.text == text


def test_plan_for_a_name() -> None:
    """"Nguyễn Thị Hoà": a shift per capital, ê in one tap, a tone per toned word."""
    taps = onscreen_taps("Nguyễn Thị Hoà")
    assert taps is not None
    names = [tap.object_name for tap in taps]
    assert names[:7] == ["key_shift", "key_n", "key_g", "key_u", "key_y", "key_mark_ee", "key_n"]
    assert names.count("key_shift") == 3
    assert [tap.value for tap in taps if tap.kind == "tone"] == ["nga", "nang", "huyen"]
    assert type_onscreen(taps, Style.NEW) == "Nguyễn Thị Hoà"
    assert type_onscreen(taps, Style.OLD) == "Nguyễn Thị Hòa"


def test_digits_switch_to_symbols_and_back() -> None:
    """"Số 12/3" presses "123" before the digits and once more at the end."""
    taps = onscreen_taps("Số 12/3")
    assert taps is not None
    assert [tap for tap in taps if tap.kind == "symbols"] == [Tap("symbols", "")] * 2
    assert type_onscreen(taps) == "Số 12/3"


def test_characters_we_lack_have_no_plan() -> None:
    """A character that no key types (an emoji, "ñ") gives None, not a wrong plan."""
    assert onscreen_taps("Muñoz") is None
    assert onscreen_taps("ok 👍") is None
