"""How a text is typed on our keyboards: the key presses, in order, for a given text.

The walkthrough drives the real on-screen keyboard with these taps and counts them for
its Keystroke-Level-Model estimate; the bench checks that every demo resident's name
and address types back exactly. A plan is what a resident who knows the keyboard does:
a vowel-form key types its letter directly ("ư" is one tap), a capital costs a shift,
the tone key comes once at the end of the word, and "123" is pressed to reach digits
and punctuation and pressed again to come back.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.keyboard.compose import MARKS, Edit, apply_mark, apply_tone, insert
from kiosk.keyboard.letters import Tone, split
from kiosk.keyboard.syllable import DEFAULT_STYLE, Style

__all__ = ["Tap", "onscreen_taps", "type_onscreen", "telex_keys", "TONE_KEY_NAMES"]

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


def type_onscreen(taps: list[Tap], style: Style = DEFAULT_STYLE) -> str:
    """What the composition logic makes of ``taps`` (the QML keys do exactly this)."""
    edit = Edit("", 0)
    shift = False
    for tap in taps:
        if tap.kind == "shift":
            shift = True
            continue
        if tap.kind == "symbols":
            continue
        value = tap.value.upper() if shift else tap.value
        shift = False
        if tap.kind == "tone":
            edit = apply_tone(*edit, tap.value, style)
        elif tap.kind == "mark":
            edit = apply_mark(*edit, value, style)
        else:
            edit = insert(*edit, value, style)
    return edit.text


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
