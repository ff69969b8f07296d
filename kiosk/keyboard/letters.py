"""The Vietnamese letters as the keyboard sees them: a vowel form plus a tone.

Every Vietnamese vowel letter is one of twelve vowel forms (a ă â e ê i o ô ơ u ư y)
carrying one of six tones (none plus sắc, huyền, hỏi, ngã, nặng). Unicode spells the
form's mark (breve, circumflex, horn) and the tone with combining characters; NFC folds
both into one precomposed code point. Splitting a letter into (form, tone) and joining
it back is all the composition logic needs, so it is done here, once, from NFD.
"""

from __future__ import annotations

import unicodedata
from enum import Enum

from kiosk.keyboard.errors import UnknownKey

__all__ = ["Tone", "VOWEL_FORMS", "join", "split", "is_letter", "is_vowel"]


class Tone(Enum):
    """The five tone marks and their absence (thanh ngang), named as teachers name them."""

    NONE = ""
    SAC = "\u0301"     # sắc: acute
    HUYEN = "\u0300"   # huyền: grave
    HOI = "\u0309"     # hỏi: hook above
    NGA = "\u0303"     # ngã: tilde
    NANG = "\u0323"    # nặng: dot below

    @classmethod
    def named(cls, name: str) -> Tone:
        """The tone for a key name: 'sac', 'sắc', 'SAC', 'none', 'xoá dấu' all work."""
        key = _TONE_NAMES.get(unicodedata.normalize("NFC", name).strip().casefold())
        if key is None:
            raise UnknownKey(f"{name!r} is not a tone: use one of sac, huyen, hoi, nga, nang, none")
        return key


_TONE_NAMES = {
    "sac": Tone.SAC, "sắc": Tone.SAC, "acute": Tone.SAC,
    "huyen": Tone.HUYEN, "huyền": Tone.HUYEN, "grave": Tone.HUYEN,
    "hoi": Tone.HOI, "hỏi": Tone.HOI, "hook": Tone.HOI,
    "nga": Tone.NGA, "ngã": Tone.NGA, "tilde": Tone.NGA,
    "nang": Tone.NANG, "nặng": Tone.NANG, "dot": Tone.NANG,
    "none": Tone.NONE, "ngang": Tone.NONE, "xoá dấu": Tone.NONE, "xóa dấu": Tone.NONE, "": Tone.NONE,
}

VOWEL_FORMS = "aăâeêioôơuưy"
_TONE_MARKS = {tone.value: tone for tone in Tone if tone is not Tone.NONE}


def split(char: str) -> tuple[str, Tone]:
    """A letter as (letter without its tone, tone); other characters come back as (char, NONE)."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = Tone.NONE
    kept = []
    for part in decomposed:
        if part in _TONE_MARKS:
            tone = _TONE_MARKS[part]
        else:
            kept.append(part)
    form = unicodedata.normalize("NFC", "".join(kept))
    if tone is Tone.NONE or form.lower() not in VOWEL_FORMS:
        # A tilde on n ("ñ") belongs to a foreign letter, not to a Vietnamese tone.
        return unicodedata.normalize("NFC", char), Tone.NONE
    return form, tone


def join(form: str, tone: Tone) -> str:
    """The precomposed letter for a vowel form and a tone (NFC, one code point)."""
    return unicodedata.normalize("NFC", form + tone.value)


def is_vowel(char: str) -> bool:
    """True for any of the twelve vowel forms, in either case, with or without a tone."""
    return split(char)[0].lower() in VOWEL_FORMS


def is_letter(char: str) -> bool:
    """Letters make words (syllables); anything else (space, digit, hyphen) ends one."""
    return char.isalpha()
