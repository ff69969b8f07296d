"""Where the tone mark goes in a Vietnamese syllable.

The rules (Quy tắc đặt dấu thanh), applied to the word left of the cursor:

1. "qu" and "gi" before another vowel are onsets: their u and i never carry the tone
   (quý, quốc, giữ, già; but gìn, where i is the only vowel).
2. A vowel with its own mark (ă â ê ô ơ ư) takes the tone; in ươ it is the ơ
   (người, Trường, Nguyễn, nghiêng, cứu).
3. Otherwise, with a final consonant, the last vowel of the nucleus takes it (hoàn, toán).
4. Otherwise, one vowel takes it; of three, the middle one (khuỷu, ngoài, khuýa);
   of two, the first (mái, mùa, gửi) — except oa, oe, uy, where the two styles differ:
   the old style marks the first (hòa, khỏe, thủy), the new style the second (hoà, khoẻ, thuỷ).

Which style, and why the old one is the default: government documents, the national
emblem's heading ("Cộng hòa"), court and people's committee names ("Tòa án", "Ủy ban"),
and the civil-status and population records our forms are matched against are written in
the old style; it is also the default of the input methods residents and clerks use. The
new style comes from the Ministry of Education's 2018 provisional spelling rules for
school textbooks (Quyết định 1989/QĐ-BGDĐT). Both spell the same syllables: ``Style``
makes it a parameter, and ``compose.restyle`` converts a text from one to the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from kiosk.keyboard.letters import VOWEL_FORMS

__all__ = ["Style", "DEFAULT_STYLE", "nucleus", "tone_position"]

_MARKED = "ăâêôơư"
_NEW_STYLE_SECOND = ("oa", "oe", "uy")


class Style(Enum):
    """Tone placement in open oa, oe, uy: OLD "hòa, thủy" or NEW "hoà, thuỷ"."""

    OLD = "old"
    NEW = "new"


DEFAULT_STYLE = Style.OLD


def nucleus(forms: Sequence[str]) -> tuple[int, int] | None:
    """(start, end) of the vowel nucleus in a word given as toneless letters; None if no vowel.

    The onset's u of "qu" and i of "gi" are left out when another vowel follows them.
    """
    lower = [form.lower() for form in forms]
    size = len(lower)
    start = 0
    while start < size and lower[start] not in VOWEL_FORMS:
        start += 1
    if start == size:
        return None
    followed_by_vowel = start + 1 < size and lower[start + 1] in VOWEL_FORMS
    if start == 1 and followed_by_vowel and (lower[0], lower[1]) in (("q", "u"), ("g", "i")):
        start = 2
    end = start
    while end < size and lower[end] in VOWEL_FORMS:
        end += 1
    return start, end


def tone_position(forms: Sequence[str], style: Style = DEFAULT_STYLE) -> int | None:
    """Index of the letter that carries the tone, by the rules above; None if no vowel."""
    span = nucleus(forms)
    if span is None:
        return None
    start, end = span
    lower = [form.lower() for form in forms]
    marked = [index for index in range(start, end) if lower[index] in _MARKED]
    if marked:
        return marked[-1]
    if end < len(lower):
        return end - 1
    size = end - start
    if size == 1:
        return start
    if size == 2:
        pair = lower[start] + lower[start + 1]
        return start + 1 if style is Style.NEW and pair in _NEW_STYLE_SECOND else start
    return end - 2
