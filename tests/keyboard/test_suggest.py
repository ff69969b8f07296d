"""Word suggestions: whole words and phrases with diacritics for letters typed without them."""

from __future__ import annotations

import random
import unicodedata

import pytest

from kiosk.forms.catalogue import active_catalogue
from kiosk.keyboard.suggest import (
    WORDS_DIR,
    Lexicon,
    SessionWords,
    Suggester,
    Suggestion,
    accept,
    names_lexicon,
    places_lexicon,
    press_after_suggestion,
    read_words,
)

PLACE = Suggester.for_field("text")
NAME = Suggester.for_field("name")


def chips(suggester: Suggester, text: str) -> list[str]:
    return [chip.text for chip in suggester.suggest(text)]


def test_a_surname_without_diacritics() -> None:
    """"nguyen" in a name field offers "Nguyễn" first (the commonest surname), then "Nguyên"."""
    assert chips(NAME, "nguyen")[:2] == ["Nguyễn", "Nguyên"]


def test_a_hospital_phrase_completes_several_words() -> None:
    """"benh vien phu" offers phrases starting "Bệnh viện Phụ sản", replacing all three words."""
    found = PLACE.suggest("benh vien phu")
    assert found and all(chip.text.startswith("Bệnh viện Phụ sản") for chip in found)
    assert "Bệnh viện Phụ sản Hà Nội" in [chip.text for chip in found]
    assert {chip.start for chip in found} == {0}


def test_a_ward_with_its_type_word() -> None:
    """"phuong lang" offers "Phường Láng" first: the July 2025 units, with their type word."""
    assert chips(PLACE, "phuong lang")[0] == "Phường Láng"
    assert "Thành phố Hà Nội" in chips(PLACE, "thanh pho ha")
    assert "Hà Nội" in chips(PLACE, "ha no")


@pytest.mark.parametrize("typed", ["phuong lang", "Phuong Lang", "PHUONG LANG", "phường láng",
                                   "phuờng lang"])
def test_matching_ignores_diacritics_and_case(typed: str) -> None:
    """The match is on folded text: with, without or with wrong diacritics, any case."""
    assert "Phường Láng" in chips(PLACE, typed)


def test_typed_diacritics_break_ties() -> None:
    """Of two words spelt alike, the one agreeing with the diacritics typed comes first."""
    assert chips(NAME, "nguyê")[0] == "Nguyên"
    assert chips(NAME, "nguyen")[0] == "Nguyễn"


def test_a_capital_is_kept() -> None:
    """A lower-case form word typed with a capital, or starting the value, is offered with a
    capital; inside the value it stays as typed."""
    assert "Xóm" in chips(PLACE, "Số 5 Xom")
    assert "xóm" in chips(PLACE, "Số 5 xom")
    assert "Xóm" in chips(PLACE, "xom")


def test_output_is_nfc_even_for_nfd_input() -> None:
    """Chips are NFC whatever the input's normal form, so the portal gets one spelling."""
    decomposed = unicodedata.normalize("NFD", "Phường lá")
    found = chips(PLACE, decomposed)
    assert "Phường Láng" in found
    assert all(unicodedata.is_normalized("NFC", text) for text in found)
    every = [entry.text for lexicon in (places_lexicon(), names_lexicon())
             for entry in lexicon.starting_with("")]
    assert all(unicodedata.is_normalized("NFC", text) for text in every)


def test_ranking_is_stable() -> None:
    """The same words in any order give the same chips in the same order (ties: alphabetical)."""
    words = [("Hải", 5.0), ("Hà", 5.0), ("Hạnh", 5.0), ("Hằng", 5.0), ("Hào", 5.0)]
    orders = set()
    for seed in range(5):
        shuffled = list(words)
        random.Random(seed).shuffle(shuffled)
        lexicon = Lexicon(shuffled)
        orders.add(tuple(entry.text for entry in lexicon.starting_with("ha")))
    assert len(orders) == 1
    assert chips(PLACE, "phuong la") == chips(PLACE, "phuong la")


def test_field_phrases_from_the_spec() -> None:
    """The judicial record's ``purpose`` declares its phrases; "bo sung" offers the first."""
    spec = active_catalogue(None).procedure("judicial_record")
    phrases = spec.field("purpose").suggestions
    assert "Bổ sung hồ sơ xin việc" in phrases
    suggester = Suggester.for_field("text", phrases)
    assert chips(suggester, "bo sung")[0] == "Bổ sung hồ sơ xin việc"
    assert chips(suggester, "du")[0] == "Du học"
    assert "Bổ sung hồ sơ xin việc" not in chips(PLACE, "bo sung")


def test_session_words_are_offered_then_forgotten() -> None:
    """A hospital typed for the place of death is offered first for the notice's issuer,
    and nothing of it is left after the session ends."""
    session = SessionWords()
    suggester = Suggester.for_field("text", (), session)
    session.remember("Bệnh viện đa khoa tỉnh Ninh Bình", "text")
    assert chips(suggester, "b")[0] == "Bệnh viện đa khoa tỉnh Ninh Bình"
    names = Suggester.for_field("name", (), session)
    session.remember("Đinh Thị Gấm", "name")
    assert chips(names, "dinh thi g")[0] == "Đinh Thị Gấm"
    assert "Đinh Thị Gấm" not in chips(suggester, "dinh")  # names stay with names
    session.forget()
    assert len(session) == 0
    assert "Bệnh viện đa khoa tỉnh Ninh Bình" not in chips(suggester, "b")
    assert "Đinh Thị Gấm" not in chips(names, "dinh thi g")


def test_lexicon_by_field_type() -> None:
    """Names get names, other text places and form words, e-mail nothing."""
    assert "Phường Láng" not in chips(NAME, "phuong lang")
    assert chips(Suggester.for_field("email"), "nguyen") == []
    assert chips(PLACE, "") == [] and chips(PLACE, "Hà Nội ") == []


def test_accept_replaces_the_words_and_adds_a_space() -> None:
    """A chip replaces the words it matched and adds a space; a comma then takes its place."""
    text = "Bệnh viện Phụ sản Hà Nội, phuong lang"
    chip = Suggestion("Phường Láng", text.index("phuong"))
    done = accept(text, len(text), chip)
    assert done.text == "Bệnh viện Phụ sản Hà Nội, Phường Láng "
    assert done.auto_space == len(done.text) - 1 == done.cursor - 1
    assert press_after_suggestion(done.text, done.cursor, done.auto_space, ",") == (
        done.text[:-1], done.cursor - 1)
    assert press_after_suggestion(done.text, done.cursor, done.auto_space, "a") == (
        done.text, done.cursor)


def test_word_lists_are_well_formed() -> None:
    """Every list reads, in NFC, with positive weights, and without duplicates."""
    for path in sorted(WORDS_DIR.glob("*.txt")):
        entries = read_words(path)
        assert entries, path.name
        texts = [text for text, _ in entries]
        assert len(texts) == len(set(texts)), path.name
        assert all(unicodedata.is_normalized("NFC", text) and weight > 0
                   for text, weight in entries), path.name
