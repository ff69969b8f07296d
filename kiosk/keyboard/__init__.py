"""Our Vietnamese on-screen keyboard's composition logic (no Qt): tones, vowel forms, Telex."""

from kiosk.keyboard.compose import (
    Edit,
    apply_mark,
    apply_tone,
    backspace,
    insert,
    restyle,
)
from kiosk.keyboard.letters import Tone
from kiosk.keyboard.syllable import DEFAULT_STYLE, Style

__all__ = ["DEFAULT_STYLE", "Edit", "Style", "Tone", "apply_mark", "apply_tone", "backspace",
           "insert", "restyle"]
