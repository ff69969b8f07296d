"""The keyboard's typed errors: a key name the composition logic does not know."""

from __future__ import annotations

from kiosk.errors import BadInput


class UnknownKey(BadInput):
    """A tone or vowel-form key name that is not one of ours (a QML or adapter bug)."""


class CursorOutOfRange(BadInput):
    """The cursor the adapter passed lies outside the text (an adapter bug, never the resident's)."""
