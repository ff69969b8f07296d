"""Telex: Vietnamese from a physical keyboard's plain Latin keys (the bonus of issue 7).

Telex is what most Vietnamese type on computers and phones: a doubled vowel adds the
circumflex (aa → â, ee → ê, oo → ô), w adds the breve or the horn (aw → ă, ow → ơ,
uw → ư, uow → ươ; w alone → ư), dd → đ, and s f r x j add sắc, huyền, hỏi, ngã, nặng
to the word wherever it is typed ("hoaf" and "hofa" both give "hòa"); z takes the tone
off. Pressing the same modifier again undoes it and types the key itself ("ass" → "as",
"aaa" → "aa"), which is how names with foreign spellings still get typed.

The machine holds only the text and the cursor; ``compose`` does the orthography.
"""

from __future__ import annotations

from kiosk.keyboard.compose import (
    Edit,
    apply_tone,
    backspace,
    insert,
    mark_target,
    replace_tone,
    word_span,
    word_tone,
)
from kiosk.keyboard.letters import Tone, join, split
from kiosk.keyboard.syllable import DEFAULT_STYLE, Style, nucleus

__all__ = ["Telex", "TONE_KEYS"]

TONE_KEYS = {"s": Tone.SAC, "f": Tone.HUYEN, "r": Tone.HOI, "x": Tone.NGA, "j": Tone.NANG}
_DOUBLED = {"a": "â", "e": "ê", "o": "ô", "d": "đ"}
_HORN = {"a": "ă", "o": "ơ", "u": "ư"}


def _with_form(char: str, form: str) -> str:
    """``char`` turned into ``form``, keeping its case and its tone."""
    old_form, tone = split(char)
    return join(form.upper() if old_form.isupper() else form, tone)


class Telex:
    """Types Telex key presses into a text; read ``text`` and ``cursor`` after each press."""

    def __init__(self, text: str = "", cursor: int | None = None,
                 style: Style = DEFAULT_STYLE) -> None:
        self.text = text
        self.cursor = len(text) if cursor is None else cursor
        self.style = style

    def _set(self, edit: Edit) -> Edit:
        self.text, self.cursor = edit
        return edit

    def _word(self) -> tuple[int, str] | None:
        span = word_span(self.text, self.cursor)
        return None if span is None else (span[0], self.text[span[0]:span[1]])

    def _rewrite(self, changes: dict[int, str]) -> Edit:
        chars = list(self.text)
        for index, char in changes.items():
            chars[index] = char
        text = replace_tone("".join(chars), self.cursor, self.style)
        return self._set(Edit(text, self.cursor))

    def _literal(self, key: str) -> Edit:
        self._set(insert(self.text, self.cursor, key, self.style))
        return self._open_uo()

    def _open_uo(self) -> Edit:
        """"nguơ" + "i" → "nguơi" is not a word: a letter after uơ makes it ươ ("người")."""
        found = self._word()
        if found is None:
            return Edit(self.text, self.cursor)
        start, word = found
        forms = [split(char)[0].lower() for char in word]
        span = nucleus(forms)
        for index in range(span[0] if span else len(forms), len(forms) - 2):
            if forms[index] == "u" and forms[index + 1] == "ơ":
                return self._rewrite({start + index: _with_form(word[index], "ư")})
        return Edit(self.text, self.cursor)

    def press(self, key: str) -> Edit:
        """One key press: a character (either case) or '\\b' for backspace."""
        if key == "\b":
            return self._set(backspace(self.text, self.cursor, self.style))
        lower = key.lower()
        if len(key) != 1 or not key.isascii():
            return self._literal(key)
        if lower in TONE_KEYS:
            return self._tone(key, TONE_KEYS[lower])
        if lower == "z":
            return self._tone(key, Tone.NONE)
        if lower in _DOUBLED:
            return self._doubled(key, _DOUBLED[lower])
        if lower == "w":
            return self._horn(key)
        return self._literal(key)

    def _tone(self, key: str, tone: Tone) -> Edit:
        found = self._word()
        if found is None:
            return self._literal(key)
        current = word_tone(found[1])
        if tone is Tone.NONE and current is Tone.NONE:
            return self._literal(key)
        if tone is not Tone.NONE and current is tone:
            # The same tone key twice: undo the tone and type the letter ("ass" → "as").
            self._set(apply_tone(self.text, self.cursor, Tone.NONE, self.style))
            return self._literal(key)
        edit = apply_tone(self.text, self.cursor, tone, self.style, toggle=False)
        if edit.text == self.text:
            return self._literal(key)  # no vowel yet: "s" starts a word like "sáng"
        return self._set(edit)

    def _doubled(self, key: str, form: str) -> Edit:
        found = self._word()
        target = None if found is None else mark_target(found[1], form)
        if found is None or target is None:
            return self._literal(key)
        index = found[0] + target
        current = split(self.text[index])[0].lower()
        if current == form:
            self._rewrite({index: _with_form(self.text[index], key.lower())})
            return self._literal(key)
        return self._rewrite({index: _with_form(self.text[index], form)})

    def _horn(self, key: str) -> Edit:
        found = self._word()
        if found is None:
            return self._literal("Ư" if key.isupper() else "ư")
        start, word = found
        forms = [split(char)[0].lower() for char in word]
        span = nucleus(forms)
        if span is None:
            return self._literal("Ư" if key.isupper() else "ư")
        first, end = span
        targets = self._horn_targets(forms, first, end)
        if not targets:
            return self._literal(key)
        if all(forms[index] in _HORN.values() for index in targets):
            self._rewrite({start + index: _with_form(word[index], {"ă": "a", "ơ": "o", "ư": "u"}
                                                     [forms[index]]) for index in targets})
            return self._literal(key)
        return self._rewrite({start + index: _with_form(word[index], _HORN.get(forms[index],
                                                                                forms[index]))
                              for index in targets})

    @staticmethod
    def _horn_targets(forms: list[str], start: int, end: int) -> list[int]:
        """Letters w changes: both of u+o (ươ), else an o, an a, or the first u (cưu)."""
        for index in range(start, end - 1):
            if forms[index] in ("u", "ư") and forms[index + 1] in ("o", "ơ"):
                # ươ is never open (người, đường); an open uơ is thuở, huơ.
                return [index, index + 1] if index + 2 < len(forms) else [index + 1]
        for family in (("o", "ơ"), ("a", "ă")):
            found = [index for index in range(start, end) if forms[index] in family]
            if found:
                return [found[-1]]
        found = [index for index in range(start, end) if forms[index] in ("u", "ư")]
        return found[:1]
