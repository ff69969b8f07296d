"""The on-screen keyboard's composition: tones and vowel forms land where Vietnamese puts them."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.keyboard import Edit, Style, Tone, apply_mark, apply_tone, backspace, insert, restyle
from kiosk.keyboard.errors import CursorOutOfRange, UnknownKey
from kiosk.keyboard.letters import split

TONES = [Tone.SAC, Tone.HUYEN, Tone.HOI, Tone.NGA, Tone.NANG]
# Written out by hand (not computed) so the table checks the code, not itself.
TONED = {
    "a": "áàảãạ", "ă": "ắằẳẵặ", "â": "ấầẩẫậ", "e": "éèẻẽẹ", "ê": "ếềểễệ", "i": "íìỉĩị",
    "o": "óòỏõọ", "ô": "ốồổỗộ", "ơ": "ớờởỡợ", "u": "úùủũụ", "ư": "ứừửữự", "y": "ýỳỷỹỵ",
}


def typed(word: str, tone: Tone | str, style: Style = Style.OLD) -> str:
    return apply_tone(word, len(word), tone, style).text


@pytest.mark.parametrize("form", list(TONED))
@pytest.mark.parametrize("upper", [False, True])
def test_every_tone_on_every_vowel_form_round_trips(form: str, upper: bool) -> None:
    """Each of the 12 vowel forms takes each of the 5 tones, in both cases, and gives it back."""
    for tone, expected in zip(TONES, TONED[form], strict=True):
        base = form.upper() if upper else form
        want = expected.upper() if upper else expected
        for word, result in ((base, want), ("t" + base, "t" + want)):
            toned = apply_tone(word, len(word), tone)
            assert toned == Edit(result, len(word))
            assert len(toned.text) == len(word)  # one precomposed code point per letter
            assert apply_tone(*toned, Tone.NONE).text == word
            assert apply_tone(*toned, tone).text == word  # pressed again: off


@pytest.mark.parametrize(("word", "tone", "old", "new"), [
    ("hoa", "huyen", "hòa", "hoà"),
    ("thuy", "hoi", "thủy", "thuỷ"),
    ("khoe", "hoi", "khỏe", "khoẻ"),
    ("ngươi", "huyen", "người", "người"),
    ("quy", "sac", "quý", "quý"),
    ("quôc", "sac", "quốc", "quốc"),
    ("giư", "nga", "giữ", "giữ"),
    ("gia", "huyen", "già", "già"),
    ("gin", "huyen", "gìn", "gìn"),
    ("giay", "huyen", "giày", "giày"),
    ("khuya", "sac", "khuýa", "khuýa"),
    ("khuyu", "hoi", "khuỷu", "khuỷu"),
    ("ngoai", "huyen", "ngoài", "ngoài"),
    ("nghiêng", "sac", "nghiếng", "nghiếng"),
    ("Nguyên", "nga", "Nguyễn", "Nguyễn"),
    ("Trương", "huyen", "Trường", "Trường"),
    ("hoan", "huyen", "hoàn", "hoàn"),
    ("toan", "sac", "toán", "toán"),
    ("mua", "huyen", "mùa", "mùa"),
    ("mưa", "sac", "mứa", "mứa"),
    ("cưu", "sac", "cứu", "cứu"),
    ("rươu", "nang", "rượu", "rượu"),
    ("thuơ", "hoi", "thuở", "thuở"),
    ("Huê", "sac", "Huế", "Huế"),
    ("HOA", "huyen", "HÒA", "HOÀ"),
    ("THUY", "hoi", "THỦY", "THUỶ"),
])
def test_tone_placement(word: str, tone: str, old: str, new: str) -> None:
    """The tone lands on the vowel Vietnamese orthography names, in both placement styles."""
    assert typed(word, tone, Style.OLD) == old
    assert typed(word, tone, Style.NEW) == new


def test_old_style_is_the_default() -> None:
    """Without a style the keyboard writes "hòa, thủy", as government documents do."""
    assert apply_tone("hoa", 3, Tone.HUYEN).text == "hòa"


def test_a_different_tone_replaces_the_first() -> None:
    """Pressing hỏi on "hòa" gives "hỏa": one tone per syllable, the last one pressed."""
    assert apply_tone("hòa", 3, Tone.HOI).text == "hỏa"


def test_tone_applies_to_the_word_at_the_cursor_only() -> None:
    """Earlier words keep their tones; the cursor does not move."""
    assert apply_tone("Nguyễn Thi", 10, Tone.NANG) == Edit("Nguyễn Thị", 10)
    assert apply_tone("Nguyễn Thi", 6, Tone.SAC) == Edit("Nguyến Thi", 6)


def test_tone_without_a_word_or_vowel_changes_nothing() -> None:
    """After a space, or on "ng", a tone key has nowhere to go: the text stays as it was."""
    assert apply_tone("Nguyễn ", 7, Tone.SAC) == Edit("Nguyễn ", 7)
    assert apply_tone("ng", 2, Tone.SAC) == Edit("ng", 2)
    assert apply_tone("", 0, Tone.SAC) == Edit("", 0)


def test_typing_more_letters_moves_the_tone() -> None:
    """"hò" + a gives "hòa" (old) or "hoà" (new); + n gives "hoàn"; backspace undoes it."""
    assert insert("hò", 2, "a") == Edit("hòa", 3)
    assert insert("hò", 2, "a", Style.NEW) == Edit("hoà", 3)
    assert insert("hòa", 3, "n") == Edit("hoàn", 4)
    assert backspace("hoàn", 4) == Edit("hòa", 3)
    assert backspace("hò", 2) == Edit("h", 1)
    assert backspace("Thiậ", 4) == Edit("Thị", 3)  # the tone outlives the letter it sat on
    assert backspace("hoà", 3, Style.NEW) == Edit("hò", 2)
    assert backspace("", 0) == Edit("", 0)


@pytest.mark.parametrize(("start", "keys", "result"), [
    ("nguyen", ["ê"], "nguyên"),
    ("nguyẽn", ["ê"], "nguyễn"),
    ("nguoi", ["ư", "ơ"], "ngươi"),
    ("ng", ["ư", "ơ"], "ngươ"),
    ("can", ["ă"], "căn"),
    ("căn", ["â"], "cân"),
    ("cân", ["â"], "can"),
    ("Dang", ["đ"], "Đang"),
    ("Đang", ["đ"], "Dang"),
    ("", ["Đ"], "Đ"),
    ("O", ["ô"], "Ô"),
    ("tiêng", ["ê"], "tieng"),
    ("hoa", ["ơ"], "hơa"),
    ("nguyen", ["ee"], "nguyên"),
    ("dd", ["dd"], "đd"),
])
def test_vowel_form_keys(start: str, keys: list[str], result: str) -> None:
    """A form key turns the right letter of the word; again, it turns it back; or it types itself."""
    edit = Edit(start, len(start))
    for key in keys:
        edit = apply_mark(*edit, key)
    assert edit.text == result
    assert edit.cursor == len(result)


def test_typing_nguyen_thi_hoa_with_keys() -> None:
    """The sequence the QML test taps gives "Nguyễn Thị Hòa" (old) and "Nguyễn Thị Hoà" (new)."""
    for style, name in ((Style.OLD, "Nguyễn Thị Hòa"), (Style.NEW, "Nguyễn Thị Hoà")):
        edit = Edit("", 0)
        for key in ["N", "g", "u", "y", "e", ("mark", "ê"), "n", ("tone", "nga"), " ", "T", "h", "i",
                    ("tone", "nang"), " ", "H", "o", "a", ("tone", "huyen")]:
            if isinstance(key, tuple):
                kind, name_of_key = key
                edit = (apply_mark(*edit, name_of_key, style) if kind == "mark"
                        else apply_tone(*edit, name_of_key, style))
            else:
                edit = insert(*edit, key, style)
        assert edit == Edit(name, len(name))


def test_restyle_converts_between_styles() -> None:
    """"Cộng hòa, thủy" ⇄ "Cộng hoà, thuỷ"; other words and punctuation are untouched."""
    assert restyle("Cộng hòa, thủy khỏe! 123", Style.NEW) == "Cộng hoà, thuỷ khoẻ! 123"
    assert restyle("Cộng hoà, thuỷ khoẻ! 123", Style.OLD) == "Cộng hòa, thủy khỏe! 123"


def test_decomposed_input_comes_back_composed() -> None:
    """Text that arrives in NFD (a pasted or prefilled value) is returned NFC, cursor matched."""
    nfd = unicodedata.normalize("NFD", "Nguyễn")
    edit = insert(nfd, len(nfd), " ")
    assert edit == Edit("Nguyễn ", 7)


def test_foreign_letters_are_not_tones() -> None:
    """The tilde of "ñ" is part of a foreign letter: a tone key does not move it."""
    assert split("ñ") == ("ñ", Tone.NONE)
    assert apply_tone("Muñoz", 5, Tone.SAC).text == "Múñoz"  # first vowel run, ñ kept


def test_bad_keys_and_cursors_are_typed_errors() -> None:
    """An unknown key name or a cursor off the text is the adapter's bug: a clear typed error."""
    with pytest.raises(UnknownKey, match="not a tone"):
        apply_tone("a", 1, "circumflex")
    with pytest.raises(UnknownKey, match="not a vowel-form key"):
        apply_mark("a", 1, "x")
    with pytest.raises(CursorOutOfRange):
        insert("abc", 4, "d")
    with pytest.raises(CursorOutOfRange):
        apply_tone("abc", -1, Tone.SAC)


def test_tone_names_as_keys_send_them() -> None:
    """QML passes tone names; Vietnamese and ASCII spellings and "remove" all work."""
    for name in ("sac", "sắc", "SAC"):
        assert Tone.named(name) is Tone.SAC
    assert Tone.named("xoá dấu") is Tone.NONE
    assert Tone.named("none") is Tone.NONE


ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng",
          "ngh", "nh", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
NUCLEI = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay",
          "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "ua",
          "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "oai", "oay", "oeo",
          "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu", "iêu"]
FINALS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]


@st.composite
def syllables(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(ONSETS)) + draw(st.sampled_from(NUCLEI)) + draw(
        st.sampled_from(FINALS))
    case = draw(st.sampled_from(["lower", "title", "upper"]))
    return {"lower": word, "title": word[:1].upper() + word[1:], "upper": word.upper()}[case]


TONE_CHOICES = st.sampled_from(TONES)
STYLES = st.sampled_from(list(Style))


@settings(max_examples=300, deadline=None)
@given(syllables(), TONE_CHOICES, STYLES)
def test_tone_lands_on_exactly_one_vowel(word: str, tone: Tone, style: Style) -> None:
    """Any syllable with any tone: NFC, same length, exactly one letter toned, cursor kept."""
    edit = apply_tone(word, len(word), tone, style)
    assert unicodedata.is_normalized("NFC", edit.text)
    assert edit.cursor == len(word) and len(edit.text) == len(word)
    assert [split(char)[1] for char in edit.text].count(tone) == 1
    assert "".join(split(char)[0] for char in edit.text) == word


@settings(max_examples=300, deadline=None)
@given(syllables(), TONE_CHOICES, TONE_CHOICES, STYLES)
def test_re_pressing_and_removing_tones(word: str, first: Tone, second: Tone,
                                        style: Style) -> None:
    """Same tone twice is off; set without toggle is idempotent; removing restores the base."""
    once = apply_tone(word, len(word), first, style)
    assert apply_tone(*once, first, style).text == word
    assert apply_tone(*once, first, style, toggle=False) == once
    replaced = apply_tone(*once, second, style)
    if second is not first:
        assert replaced == apply_tone(word, len(word), second, style)
    assert apply_tone(*replaced, Tone.NONE, style).text == word


@settings(max_examples=200, deadline=None)
@given(st.lists(syllables(), min_size=1, max_size=4), TONE_CHOICES, STYLES)
def test_restyle_round_trips(words: list[str], tone: Tone, style: Style) -> None:
    """Text typed in one style, restyled to the other and back, is what was typed."""
    text = " ".join(apply_tone(word, len(word), tone, style).text for word in words)
    other = Style.NEW if style is Style.OLD else Style.OLD
    assert restyle(restyle(text, other), style) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20), st.data())
def test_any_text_any_key_gives_nfc(text: str, data: st.DataObject) -> None:
    """Whatever text and cursor, every key leaves NFC text and a cursor inside it."""
    text = unicodedata.normalize("NFC", text)
    cursor = data.draw(st.integers(0, len(text)))
    key = data.draw(st.sampled_from(["tone", "mark", "insert", "backspace"]))
    if key == "tone":
        edit = apply_tone(text, cursor, data.draw(TONE_CHOICES))
    elif key == "mark":
        edit = apply_mark(text, cursor, data.draw(st.sampled_from(list("ăâêôơưđĂÂÊÔƠƯĐ"))))
    elif key == "insert":
        edit = insert(text, cursor, data.draw(st.text(min_size=1, max_size=2)))
    else:
        edit = backspace(text, cursor)
    assert unicodedata.is_normalized("NFC", edit.text)
    assert 0 <= edit.cursor <= len(edit.text)
