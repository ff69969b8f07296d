"""Telex from a physical keyboard: the common words type as Vietnamese expect."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.keyboard import Style
from kiosk.keyboard.telex import Telex


def telex(keys: str, style: Style = Style.OLD) -> str:
    machine = Telex(style=style)
    for key in keys:
        machine.press(key)
    return machine.text


@pytest.mark.parametrize(("keys", "text"), [
    ("Nguyeenx Thij Hoaf", "Nguyễn Thị Hòa"),
    ("Nguyenxe", "Nguyễn"),
    ("nguwowif", "người"),
    ("nguowif", "người"),
    ("nguoiwf", "người"),
    ("Truwowngf", "Trường"),
    ("dduowngf", "đường"),
    ("DDoongf Thaps", "Đồng Tháp"),
    ("quys", "quý"),
    ("giuwx", "giữ"),
    ("khuya", "khuya"),
    ("nghieengs", "nghiếng"),
    ("thuowr", "thuở"),
    ("ruowuj", "rượu"),
    ("cuuws", "cứu"),
    ("aw", "ă"),
    ("w", "ư"),
    ("Vieetj Nam", "Việt Nam"),
    ("HOAF", "HÒA"),
])
def test_telex_words(keys: str, text: str) -> None:
    """Doubled vowels, w, dd and the tone letters compose, wherever the tone is typed."""
    assert telex(keys) == text


def test_telex_follows_the_style() -> None:
    """"hoaf" gives "hòa" in the old style and "hoà" in the new one; "hofa" the same."""
    assert telex("hoaf") == telex("hofa") == "hòa"
    assert telex("hoaf", Style.NEW) == telex("hofa", Style.NEW) == "hoà"


@pytest.mark.parametrize(("keys", "text"), [
    ("ass", "as"), ("aaa", "aa"), ("aww", "aw"), ("ddd", "dd"), ("z", "z"), ("asz", "a"),
    ("sang", "sang"), ("Jenny", "Jenny"),
])
def test_pressing_a_modifier_again_types_it(keys: str, text: str) -> None:
    """A second press undoes the modifier and types the key, so any name can be typed."""
    assert telex(keys) == text


def test_backspace_and_cursor() -> None:
    """Backspace deletes left of the cursor and the tone follows the remaining letters."""
    machine = Telex()
    for key in "hoanf":
        machine.press(key)
    assert machine.text == "hoàn"
    machine.press("\b")
    assert (machine.text, machine.cursor) == ("hòa", 3)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aeioudwsfrxjzqgnhty \b", max_size=25))
def test_any_key_sequence_gives_nfc(keys: str) -> None:
    """Whatever is typed, the text is NFC and the cursor stays inside it."""
    machine = Telex()
    for key in keys:
        machine.press(key)
        assert unicodedata.is_normalized("NFC", machine.text)
        assert 0 <= machine.cursor <= len(machine.text)
