"""Typing plans: every demo resident's name and address types back exactly, both ways."""

from __future__ import annotations

import pytest

from kiosk.demo_residents import demo_residents
from kiosk.forms.stats import typical_typed_texts
from kiosk.keyboard import Style
from kiosk.keyboard.plan import Tap, onscreen_taps, suggested_taps, telex_keys, type_onscreen
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


# -- plans with suggestion chips ----------------------------------------------------------

TYPICAL = typical_typed_texts()


def test_there_are_typical_texts() -> None:
    """The specs' typical answers have names and places to type (guards the cases below)."""
    assert len(TYPICAL) >= 8


@pytest.mark.parametrize(("kind", "text"), TYPICAL + [("name", name) for name in TEXTS[:20]])
def test_suggested_plans_type_back_exactly(kind: str, text: str) -> None:
    """A plan using the chips types exactly the wanted text, never more taps than without."""
    from kiosk.keyboard.suggest import SessionWords, Suggester

    suggester = Suggester.for_field(kind, (), SessionWords())
    taps = suggested_taps(text, suggester)
    assert taps is not None
    assert type_onscreen(taps, suggester=suggester) == text
    assert len(taps) <= len(onscreen_taps(text) or [])


def test_the_birth_place_costs_a_quarter_of_its_keys() -> None:
    """The birth registration's place of birth (76 taps key by key) takes a few letters and
    chips: hospital, ward and city each come from a chip."""
    from kiosk.keyboard.suggest import Suggester

    text = "Bệnh viện Phụ sản Hà Nội, Phường Láng, Thành phố Hà Nội"
    suggester = Suggester.for_field("text")
    taps = suggested_taps(text, suggester)
    assert taps is not None and len(taps) <= len(onscreen_taps(text) or []) // 3
    assert sum(tap.kind == "suggestion" for tap in taps) >= 3
    assert type_onscreen(taps, suggester=suggester) == text


def test_a_value_typed_earlier_in_the_session_is_one_chip_away() -> None:
    """The death notice's issuer, typed before as the place of death, costs two taps."""
    from kiosk.keyboard.suggest import SessionWords, Suggester

    session = SessionWords()
    hospital = "Bệnh viện đa khoa tỉnh Ninh Bình"
    session.remember(hospital, "text")
    taps = suggested_taps(hospital, Suggester.for_field("text", (), session))
    assert taps is not None and [tap.object_name for tap in taps] == ["key_b", "suggestion_0"]


def test_a_plan_with_chips_has_chip_object_names() -> None:
    """Chip taps name the QML chips the walkthrough clicks: suggestion_0 … suggestion_3."""
    assert Tap("suggestion", "2").object_name == "suggestion_2"
