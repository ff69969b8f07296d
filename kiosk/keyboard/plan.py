"""How a text is typed on our keyboards: the key presses, in order, for a given text.

The walkthrough drives the real on-screen keyboard with these taps and counts them for
its Keystroke-Level-Model estimate; the bench checks that every demo resident's name
and address types back exactly. A plan is what a resident who knows the keyboard does:
a vowel-form key types its letter directly ("ư" is one tap), a capital costs a shift,
the tone key comes once at the end of the word, and "123" is pressed to reach digits
and punctuation and pressed again to come back.

With suggestions (``suggested_taps``), a plan is what a resident who watches the chips
does: type the word's letters without diacritics (or with them) until the wanted word or
phrase is among the chips shown, then tap it — one tap, counted as a key. Of all the
ways to type the text so, the plan takes the one with the fewest taps.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from kiosk.forms.vietnamese import fold
from kiosk.keyboard.compose import MARKS, apply_mark, apply_tone, insert
from kiosk.keyboard.letters import Tone, split
from kiosk.keyboard.suggest import (
    AUTO_SPACE_PUNCT,
    Suggester,
    Suggestion,
    accept,
    press_after_suggestion,
)
from kiosk.keyboard.syllable import DEFAULT_STYLE, Style

__all__ = ["Tap", "Typist", "onscreen_taps", "suggested_taps", "type_onscreen", "telex_keys",
           "TONE_KEY_NAMES"]

LETTER_KEYS = set("qwertyuiopasdfghjklzxcvbnm")
BOTTOM_ROW_KEYS = {" ": "space", ",": "comma", ".": "period"}
SYMBOL_KEYS = set("1234567890-/:;()\"'?!@&+=#%*")
TONE_KEY_NAMES = {Tone.SAC: "sac", Tone.HUYEN: "huyen", Tone.HOI: "hoi", Tone.NGA: "nga",
                  Tone.NANG: "nang", Tone.NONE: "none"}
_TELEX_FORMS = {"ă": "aw", "â": "aa", "ê": "ee", "ô": "oo", "ơ": "ow", "ư": "uw", "đ": "dd"}
_TELEX_TONES = {Tone.SAC: "s", Tone.HUYEN: "f", Tone.HOI: "r", Tone.NGA: "x", Tone.NANG: "j"}


@dataclass(frozen=True)
class Tap:
    """One key: ``kind`` is key, mark, tone, shift or symbols; ``value`` what it sends."""

    kind: str
    value: str

    @property
    def object_name(self) -> str:
        """The QML objectName of the key in VietKeyboard.qml."""
        if self.kind == "mark":
            return "key_mark_" + _TELEX_FORMS[self.value]
        if self.kind == "tone":
            return "key_tone_" + self.value
        if self.kind in ("shift", "symbols"):
            return "key_" + self.kind
        if self.kind == "suggestion":
            return "suggestion_" + self.value
        return "key_" + BOTTOM_ROW_KEYS.get(self.value, self.value)


def onscreen_taps(text: str) -> list[Tap] | None:
    """The taps that type ``text`` on VietKeyboard; None if it holds a character we lack."""
    taps: list[Tap] = []
    symbols = False
    for word in _words(text):
        tone = Tone.NONE
        for char in word:
            form, char_tone = split(char)
            tone = char_tone if char_tone is not Tone.NONE else tone
            lower = form.lower()
            wants_symbols = lower in SYMBOL_KEYS
            if lower not in SYMBOL_KEYS | LETTER_KEYS | set(MARKS) | set(BOTTOM_ROW_KEYS):
                return None
            if lower not in BOTTOM_ROW_KEYS and wants_symbols != symbols:
                taps.append(Tap("symbols", ""))
                symbols = wants_symbols
            if form != lower:
                taps.append(Tap("shift", ""))
            taps.append(Tap("mark" if lower in MARKS else "key", lower))
        if tone is not Tone.NONE:
            taps.append(Tap("tone", TONE_KEY_NAMES[tone]))
    if symbols:
        taps.append(Tap("symbols", ""))
    return taps


class Typist:
    """The on-screen keyboard's state as taps change it (KeyboardModel does the same in Qt):
    the text, the one-shot shift, and the space the last chip added."""

    def __init__(self, suggester: Suggester | None = None, style: Style = DEFAULT_STYLE,
                 text: str = "") -> None:
        self.suggester = suggester
        self.style = style
        self.text = unicodedata.normalize("NFC", text)
        self.cursor = len(self.text)
        self.shift = False
        self.auto_space = -1

    def chips(self) -> list[Suggestion]:
        """The suggestion chips shown now."""
        if self.suggester is None:
            return []
        return self.suggester.suggest(self.text, self.cursor)

    def press(self, tap: Tap) -> None:
        if tap.kind == "shift":
            self.shift = True
            return
        if tap.kind == "symbols":
            return
        if tap.kind == "suggestion":
            chip = self.chips()[int(tap.value)]
            self.text, self.cursor, self.auto_space = accept(self.text, self.cursor, chip)
            self.shift = False
            return
        value = tap.value.upper() if self.shift else tap.value
        self.shift = False
        if tap.kind == "tone":
            edit = apply_tone(self.text, self.cursor, tap.value, self.style)
        elif tap.kind == "mark":
            edit = apply_mark(self.text, self.cursor, value, self.style)
        else:
            text, cursor = press_after_suggestion(self.text, self.cursor, self.auto_space, value)
            edit = insert(text, cursor, value, self.style)
        self.text, self.cursor = edit
        self.auto_space = -1

    def finished(self) -> str:
        """The value handed over on "Xong": without the space a last chip added."""
        return self.text.strip()


def type_onscreen(taps: list[Tap], style: Style = DEFAULT_STYLE,
                  suggester: Suggester | None = None) -> str:
    """What the composition logic makes of ``taps`` (the QML keys do exactly this)."""
    typist = Typist(suggester, style)
    for tap in taps:
        typist.press(tap)
    return typist.finished() if suggester is not None else typist.text


def suggested_taps(text: str, suggester: Suggester, style: Style = DEFAULT_STYLE,
                   start: str = "") -> list[Tap] | None:
    """The fewest taps that type ``text`` using the chips; None if a character has no key.

    ``start`` is what the field already holds (the chips may depend on it). From each
    position, the resident either types the next word (or run of digits and punctuation)
    key by key, or types the beginning of the word — letters without diacritics, the
    same with a shift for a capital, or the exact keys — and taps a chip that gives the
    text up to a word's end.
    """
    text = unicodedata.normalize("NFC", text)
    if onscreen_taps(text) is None:
        return None
    best: dict[int, list[Tap]] = {0: []}
    for position in range(len(text) + 1):
        plan = best.get(position)
        if plan is None or position == len(text):
            continue
        end = _segment_end(text, position)
        exact = onscreen_taps(text[position:end]) or []
        _offer(best, end, plan + exact)
        if text[position].isalpha():
            for typed in _variants(text[position:end]):
                _try_chips(best, text, position, plan, typed, suggester, style, start)
    return best.get(len(text))


def _offer(best: dict[int, list[Tap]], position: int, plan: list[Tap]) -> None:
    if position not in best or len(plan) < len(best[position]):
        best[position] = plan


def _segment_end(text: str, position: int) -> int:
    """End of the word, or of the run of other characters, starting at ``position``."""
    alpha = text[position].isalpha()
    end = position
    while end < len(text) and text[end].isalpha() == alpha:
        end += 1
    return end


def _variants(word: str) -> list[list[Tap]]:
    """Ways to start typing ``word``: plain letters, the same after shift, the exact keys."""
    plain = [Tap("key", char) for char in fold(word) if char in LETTER_KEYS]
    found = [plain]
    if word[:1].isupper():
        found.append([Tap("shift", ""), *plain])
    found.append(onscreen_taps(word) or [])
    return found


def _try_chips(best: dict[int, list[Tap]], text: str, position: int, plan: list[Tap],
               typed: list[Tap], suggester: Suggester, style: Style, start: str) -> None:
    typist = Typist(suggester, style, start + text[:position])
    offset = len(start)
    for count, tap in enumerate(typed, start=1):
        typist.press(tap)
        if tap.kind == "shift":
            continue
        for index, chip in enumerate(typist.chips()):
            done = accept(typist.text, typist.cursor, chip)
            end = done.cursor - 1 - offset
            if done.text[offset:done.cursor - 1] != text[:end]:
                continue
            if end == len(text) or text[end] in AUTO_SPACE_PUNCT:
                _offer(best, end, plan + typed[:count] + [Tap("suggestion", str(index))])
            elif text[end] == " ":
                _offer(best, end + 1, plan + typed[:count] + [Tap("suggestion", str(index))])


def telex_keys(text: str) -> str:
    """The Telex keystrokes for ``text`` (capitals typed as capitals, tone at the word's end)."""
    keys = []
    for word in _words(text):
        tone = Tone.NONE
        for char in word:
            form, char_tone = split(char)
            tone = char_tone if char_tone is not Tone.NONE else tone
            spelled = _TELEX_FORMS.get(form.lower(), form.lower())
            keys.append(spelled.upper() if form != form.lower() else spelled)
        if tone is not Tone.NONE:
            keys.append(_TELEX_TONES[tone])
    return "".join(keys)


def _words(text: str) -> list[str]:
    """Words and the single characters between them, in order (a tone ends with its word)."""
    parts: list[str] = []
    current = ""
    for char in text:
        if char.isalpha():
            current += char
            continue
        if current:
            parts.append(current)
            current = ""
        parts.append(char)
    if current:
        parts.append(current)
    return parts
