"""The composition logic of our Vietnamese on-screen keyboard, without Qt.

The keyboard has letter keys, seven vowel-form keys (ă â ê ô ơ ư đ) and five tone keys
(sắc, huyền, hỏi, ngã, nặng) plus "remove tone". A tone key puts the tone on the right
vowel of the word at the cursor, by the rules in ``syllable.py``, whatever the order
the resident typed the letters in; typing more letters moves it where it belongs
("hò" + "a" + "n" gives "hoàn"). A vowel-form key turns the matching letter of that word
into its form ("nguyen" + ê gives "nguyên"), or types the letter when the word has none
to turn ("ng" + ư gives "ngư"). Pressing a tone or a form key again takes it off.

Every function takes the text and the cursor (an index in code points of the NFC text)
and returns an ``Edit``: the new NFC text and cursor. Nothing here holds state, so the
Qt adapter, the Telex machine and the tests share it, and the adapter can drop the
resident's text at the end of a session by dropping one string.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from kiosk.keyboard.errors import CursorOutOfRange, UnknownKey
from kiosk.keyboard.letters import Tone, is_letter, join, split
from kiosk.keyboard.syllable import DEFAULT_STYLE, Style, nucleus, tone_position

__all__ = ["Edit", "MARKS", "apply_mark", "apply_tone", "backspace", "insert", "mark_target",
           "replace_tone", "restyle", "word_span", "word_tone", "Style", "Tone"]


class Edit(NamedTuple):
    """The text after a key press and where the cursor now stands."""

    text: str
    cursor: int


# vowel-form key -> (the plain letter it changes, the other forms it replaces)
MARKS: dict[str, tuple[str, str]] = {
    "ă": ("a", "â"),
    "â": ("a", "ă"),
    "ê": ("e", ""),
    "ô": ("o", "ơ"),
    "ơ": ("o", "ô"),
    "ư": ("u", ""),
    "đ": ("d", ""),
}


# The keys' Telex spellings, as the QML objectNames use them: "ee" is the ê key.
_TELEX_NAMES = {"aw": "ă", "aa": "â", "ee": "ê", "oo": "ô", "ow": "ơ", "uw": "ư", "dd": "đ"}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _checked(text: str, cursor: int) -> tuple[str, int]:
    """NFC text and the cursor moved to match, or a typed error for a cursor off the text."""
    if not 0 <= cursor <= len(text):
        raise CursorOutOfRange(f"cursor {cursor} is outside a text of {len(text)} characters")
    if unicodedata.is_normalized("NFC", text):
        return text, cursor
    return _nfc(text), len(_nfc(text[:cursor]))


def word_span(text: str, cursor: int) -> tuple[int, int] | None:
    """The letters touching the cursor from the left (and on to the right); None after a space."""
    start = cursor
    while start > 0 and is_letter(text[start - 1]):
        start -= 1
    if start == cursor:
        return None
    end = cursor
    while end < len(text) and is_letter(text[end]):
        end += 1
    return start, end


def word_tone(word: str) -> Tone:
    """The tone a word carries (the last one, should a pasted word carry several)."""
    tones = [split(char)[1] for char in word]
    found = [tone for tone in tones if tone is not Tone.NONE]
    return found[-1] if found else Tone.NONE


def _placed(word: str, tone: Tone, style: Style) -> str | None:
    """The word with every tone taken off and ``tone`` put where it belongs; None if no vowel."""
    forms = [split(char)[0] for char in word]
    if tone is Tone.NONE:
        return "".join(forms)
    position = tone_position(forms, style)
    if position is None:
        return None
    forms[position] = join(forms[position], tone)
    return "".join(forms)


def replace_tone(text: str, cursor: int, style: Style, tone: Tone | None = None) -> str:
    """Re-place the tone of the word at the cursor (or ``tone``) after its letters changed."""
    span = word_span(text, cursor)
    if span is None:
        return text
    start, end = span
    word = text[start:end]
    placed = _placed(word, word_tone(word) if tone is None else tone, style)
    if placed is None:
        # The vowel that carried the tone is gone: so is the tone.
        placed = _placed(word, Tone.NONE, style)
    assert placed is not None and len(placed) == len(word)
    return text[:start] + placed + text[end:]


def apply_tone(text: str, cursor: int, tone: Tone | str, style: Style = DEFAULT_STYLE,
               toggle: bool = True) -> Edit:
    """Put ``tone`` on the word at the cursor; the same tone again takes it off (if ``toggle``).

    With no word at the cursor, or a word without a vowel ("ng"), nothing changes: the
    caller can tell by comparing, and flash the key instead of typing something wrong.
    """
    tone = Tone.named(tone) if isinstance(tone, str) else tone
    text, cursor = _checked(text, cursor)
    span = word_span(text, cursor)
    if span is None:
        return Edit(text, cursor)
    start, end = span
    word = text[start:end]
    if toggle and tone is not Tone.NONE and word_tone(word) is tone:
        tone = Tone.NONE
    placed = _placed(word, tone, style)
    if placed is None:
        return Edit(text, cursor)
    return Edit(text[:start] + placed + text[end:], cursor)


def mark_target(word: str, mark: str) -> int | None:
    """Index of the letter a vowel-form key changes in ``word``, or None."""
    plain, others = MARKS[mark]
    forms = [split(char)[0].lower() for char in word]
    if mark == "đ":
        return 0 if forms and forms[0] in ("d", "đ") else None
    span = nucleus(forms)
    if span is None:
        return None
    start, end = span
    wanted = {plain, mark, *others}
    for index in range(end - 1, start - 1, -1):
        if forms[index] in wanted:
            return index
    return None


def apply_mark(text: str, cursor: int, mark: str, style: Style = DEFAULT_STYLE) -> Edit:
    """Turn the right letter of the word at the cursor into the vowel form ``mark``.

    ``mark`` is the key's letter (ă â ê ô ơ ư đ, either case, or its Telex spelling "ee").
    Pressing it on a letter that already has that form takes the form off; with no letter
    to turn, the key types its own letter, in the case it was given.
    """
    key = _TELEX_NAMES.get(mark, _nfc(mark))
    if key.lower() not in MARKS:
        raise UnknownKey(f"{mark!r} is not a vowel-form key: use one of {' '.join(MARKS)}")
    text, cursor = _checked(text, cursor)
    span = word_span(text, cursor)
    target = None if span is None else mark_target(text[span[0]:span[1]], key.lower())
    if span is None or target is None:
        return insert(text, cursor, key, style)
    index = span[0] + target
    form, tone = split(text[index])
    plain = MARKS[key.lower()][0]
    new_form = plain if form.lower() == key.lower() else key.lower()
    if form.isupper():
        new_form = new_form.upper()
    changed = text[:index] + join(new_form, tone) + text[index + 1:]
    return Edit(replace_tone(changed, cursor, style), cursor)


def insert(text: str, cursor: int, typed: str, style: Style = DEFAULT_STYLE) -> Edit:
    """Type ``typed`` at the cursor; the word's tone moves to where the new letters want it."""
    text, cursor = _checked(text, cursor)
    prefix = _nfc(text[:cursor] + typed)
    combined = _nfc(prefix + text[cursor:])
    new_cursor = min(len(prefix), len(combined))
    return Edit(replace_tone(combined, new_cursor, style), new_cursor)


def backspace(text: str, cursor: int, style: Style = DEFAULT_STYLE) -> Edit:
    """Delete the character left of the cursor; the word keeps its tone on its remaining letters.

    The tone was a key press of its own, so deleting the letter it happened to sit on
    ("Thiậ" → "Thị") does not delete it; only a word left without a vowel loses it.
    """
    text, cursor = _checked(text, cursor)
    if cursor == 0:
        return Edit(text, cursor)
    span = word_span(text, cursor)
    tone = word_tone(text[span[0]:span[1]]) if span else None
    shorter = text[:cursor - 1] + text[cursor:]
    return Edit(replace_tone(shorter, cursor - 1, style, tone), cursor - 1)


def restyle(text: str, style: Style = DEFAULT_STYLE) -> str:
    """The text with every word's tone placed in ``style`` ("hoà" ⇄ "hòa"), for comparisons."""
    text = _nfc(text)
    out = []
    index = 0
    while index < len(text):
        if not is_letter(text[index]):
            out.append(text[index])
            index += 1
            continue
        end = index
        while end < len(text) and is_letter(text[end]):
            end += 1
        word = text[index:end]
        out.append(_placed(word, word_tone(word), style) or word)
        index = end
    return "".join(out)
