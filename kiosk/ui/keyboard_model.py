"""The on-screen keyboard and the numeric keypad as QML sees them.

Thin adapters over ``kiosk.keyboard`` (plain Python, tested without Qt): they hold the
text being typed and the cursor, pass each key to the composition logic and notify QML.
``register_qml_types`` makes them creatable in QML (``import Kiosk.Keyboard``), so each
VietKeyboard / NumericKeypad owns its own; ``clear`` drops the typed text (personal data)
and the screens call it when the session ends.

The keyboard also offers word suggestions (``suggestions``, ``acceptSuggestion``) from
``kiosk.keyboard.suggest``, and takes Telex from a physical keyboard (``pressPhysical``).
What the resident typed in the session is shared by every keyboard (``SESSION_WORDS``)
so a later field can offer it again; ``forget_session_words`` drops it at session end.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import qmlRegisterType

from kiosk.errors import KioskError
from kiosk.keyboard import Edit, Style, apply_mark, apply_tone, backspace, insert
from kiosk.keyboard.keypad import Entry, is_complete, press_backspace, press_digit
from kiosk.keyboard.suggest import (
    SessionWords,
    Suggester,
    Suggestion,
    accept,
    press_after_suggestion,
)
from kiosk.keyboard.telex import Telex

QML_MODULE = "Kiosk.Keyboard"

log = logging.getLogger(__name__)

# What the resident typed in this session (personal data), for suggestions in later fields.
SESSION_WORDS = SessionWords()


def forget_session_words() -> None:
    """End of a session: the words the resident typed are no longer offered (nor kept)."""
    SESSION_WORDS.forget()


class KeyboardModel(QObject):
    """One text being typed on the Vietnamese keyboard: letters, vowel forms, tones."""

    textChanged = Signal()
    cursorChanged = Signal()
    shiftChanged = Signal()
    styleChanged = Signal()
    keyPressesChanged = Signal()
    suggestionsChanged = Signal()
    fieldChanged = Signal()
    # A tone key with no vowel to go on (after a space, on "ng"): the key flashes.
    rejected = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._cursor = 0
        self._shift = False
        self._auto_capitalize = False
        self._style = Style.OLD
        self._max_length = 200
        self._key_presses = 0
        self._field_type = "text"
        self._field_phrases: tuple[str, ...] = ()
        self._suggester = Suggester.for_field("text", (), SESSION_WORDS)
        self._chips: list[Suggestion] = []
        self._auto_space = -1  # where the last accepted chip put its space, or -1

    def _apply(self, edit: Edit, auto_space: int = -1) -> None:
        if len(edit.text) > self._max_length:
            self.rejected.emit("full")
            return
        text_changed = edit.text != self._text
        cursor_changed = edit.cursor != self._cursor
        self._text, self._cursor = edit
        self._auto_space = auto_space
        if text_changed or cursor_changed:
            self._refresh_chips()
        if text_changed:
            self.textChanged.emit()
        if cursor_changed:
            self.cursorChanged.emit()

    def _refresh_chips(self) -> None:
        chips = self._suggester.suggest(self._text, self._cursor) if self._text else []
        if chips != self._chips:
            self._chips = chips
            self.suggestionsChanged.emit()

    def suggester(self) -> Suggester:
        """The suggestion source of the field being typed (the walkthrough plans with it)."""
        return self._suggester

    def _count(self) -> None:
        self._key_presses += 1
        self.keyPressesChanged.emit()

    def _cased(self, key: str) -> str:
        at_word_start = self._cursor == 0 or self._text[self._cursor - 1] == " "
        upper = self._shift or (self._auto_capitalize and at_word_start)
        if self._shift:
            self._shift = False
            self.shiftChanged.emit()
        return key.upper() if upper else key

    @Slot(str)
    def pressKey(self, key: str) -> None:  # noqa: N802 - QML naming
        """A letter, digit, punctuation or space key (shift and auto-capitals applied here)."""
        self._count()
        text, cursor = press_after_suggestion(self._text, self._cursor, self._auto_space, key)
        self._apply(insert(text, cursor, self._cased(key), self._style))

    @Slot(int)
    def acceptSuggestion(self, index: int) -> None:  # noqa: N802
        """A chip was tapped: its word or phrase replaces the typed words, then a space."""
        if not 0 <= index < len(self._chips):
            log.error("keyboard: no suggestion %d (%d shown)", index, len(self._chips))
            return
        self._count()
        if self._shift:
            self._shift = False
            self.shiftChanged.emit()
        text, cursor, auto_space = accept(self._text, self._cursor, self._chips[index])
        self._apply(Edit(text, cursor), auto_space)

    @Slot(str)
    def pressPhysical(self, key: str) -> None:  # noqa: N802
        """A key from a physical keyboard, composed as Telex ("nguyeenx" → "nguyễn");
        "\\b" is backspace."""
        if len(key) != 1 or (key != "\b" and not key.isprintable()):
            return
        self._count()
        if key != "\b":
            self._text, self._cursor = press_after_suggestion(self._text, self._cursor,
                                                              self._auto_space, key)
        machine = Telex(self._text, self._cursor, self._style)
        machine.press(key)
        self._apply(Edit(machine.text, machine.cursor))

    @Slot(result=str)
    def finish(self) -> str:
        """"Xong": the value without the space a chip added; remembered for later fields."""
        value = self._text.strip()
        SESSION_WORDS.remember(value, self._field_type)
        return value

    @Slot(str)
    def pressTone(self, tone: str) -> None:  # noqa: N802
        """sac, huyen, hoi, nga, nang or none: placed on the right vowel of the word."""
        self._count()
        try:
            edit = apply_tone(self._text, self._cursor, tone, self._style)
        except KioskError as error:
            log.error("keyboard: %s", error.message)
            return
        if edit.text == self._text:
            self.rejected.emit("tone")
            return
        self._apply(edit)

    @Slot(str)
    def pressMark(self, mark: str) -> None:  # noqa: N802
        """ă â ê ô ơ ư đ: turns the word's matching letter, or types the letter itself."""
        self._count()
        try:
            self._apply(apply_mark(self._text, self._cursor, self._cased(mark), self._style))
        except KioskError as error:
            log.error("keyboard: %s", error.message)

    @Slot()
    def backspace(self) -> None:
        self._count()
        self._apply(backspace(self._text, self._cursor, self._style))

    @Slot()
    def clear(self) -> None:
        """Drop the text (end of a field or of the session)."""
        self._apply(Edit("", 0))
        if self._shift:
            self._shift = False
            self.shiftChanged.emit()
        self._key_presses = 0
        self.keyPressesChanged.emit()

    @Slot(str)
    def setText(self, text: str) -> None:  # noqa: N802
        """Start from an existing value (editing a field), with the cursor at its end."""
        self._apply(insert("", 0, text, self._style))

    def _get_text(self) -> str:
        return self._text

    def _get_cursor(self) -> int:
        return self._cursor

    def _set_cursor(self, cursor: int) -> None:
        self._apply(Edit(self._text, max(0, min(cursor, len(self._text)))))

    def _get_shift(self) -> bool:
        return self._shift

    def _set_shift(self, on: bool) -> None:
        if on != self._shift:
            self._shift = on
            self.shiftChanged.emit()

    def _get_auto_capitalize(self) -> bool:
        return self._auto_capitalize

    def _set_auto_capitalize(self, on: bool) -> None:
        self._auto_capitalize = on

    def _get_style(self) -> str:
        return self._style.value

    def _set_style(self, style: str) -> None:
        try:
            self._style = Style(style)
        except ValueError:
            log.error("keyboard: unknown tone placement style %r (use old or new)", style)
            return
        self.styleChanged.emit()

    def _get_max_length(self) -> int:
        return self._max_length

    def _set_max_length(self, length: int) -> None:
        self._max_length = max(1, length)

    def _get_key_presses(self) -> int:
        return self._key_presses

    def _get_suggestions(self) -> list[str]:
        return [chip.text for chip in self._chips]

    def _get_field_type(self) -> str:
        return self._field_type

    def _set_field_type(self, field_type: str) -> None:
        self._field_type = field_type
        self._suggester = Suggester.for_field(field_type, self._field_phrases, SESSION_WORDS)
        self.fieldChanged.emit()
        self._refresh_chips()

    def _get_field_phrases(self) -> list[str]:
        return list(self._field_phrases)

    def _set_field_phrases(self, phrases: list[str]) -> None:
        self._field_phrases = tuple(str(phrase) for phrase in phrases or [])
        self._set_field_type(self._field_type)

    text = Property(str, _get_text, notify=textChanged)
    cursor = Property(int, _get_cursor, _set_cursor, notify=cursorChanged)
    shift = Property(bool, _get_shift, _set_shift, notify=shiftChanged)
    autoCapitalize = Property(bool, _get_auto_capitalize, _set_auto_capitalize)
    toneStyle = Property(str, _get_style, _set_style, notify=styleChanged)
    maxLength = Property(int, _get_max_length, _set_max_length)
    # Counted for the walkthrough's keystroke figures; reset by clear().
    keyPresses = Property(int, _get_key_presses, notify=keyPressesChanged)
    # The chips above the keys: whole words or phrases for the word being typed.
    suggestions = Property("QVariantList", _get_suggestions, notify=suggestionsChanged)
    # The field's type picks the lexicon (name → names; text → places and form words);
    # its spec's ``suggestions`` are offered too.
    fieldType = Property(str, _get_field_type, _set_field_type, notify=fieldChanged)
    fieldPhrases = Property("QVariantList", _get_field_phrases, _set_field_phrases,
                            notify=fieldChanged)


class KeypadModel(QObject):
    """One value typed on the numeric keypad: an ID number, a date or a phone number."""

    textChanged = Signal()
    entryChanged = Signal()
    confirmed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._entry = Entry.ID

    def _set(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.textChanged.emit()

    @Slot(str)
    def pressDigit(self, digit: str) -> None:  # noqa: N802
        try:
            self._set(press_digit(self._text, digit, self._entry))
        except KioskError as error:
            log.error("keypad: %s", error.message)

    @Slot()
    def backspace(self) -> None:
        self._set(press_backspace(self._text, self._entry))

    @Slot()
    def clear(self) -> None:
        self._set("")

    @Slot()
    def confirm(self) -> None:
        """Hand the value over if it is complete (the confirm key is disabled otherwise)."""
        if is_complete(self._text, self._entry):
            self.confirmed.emit(self._text)

    def _get_text(self) -> str:
        return self._text

    def _get_entry(self) -> str:
        return self._entry.value

    def _set_entry(self, name: str) -> None:
        try:
            entry = Entry.named(name)
        except KioskError as error:
            log.error("keypad: %s", error.message)
            return
        if entry is not self._entry:
            self._entry = entry
            self._text = ""
            self.entryChanged.emit()
            self.textChanged.emit()

    def _get_complete(self) -> bool:
        return is_complete(self._text, self._entry)

    text = Property(str, _get_text, notify=textChanged)
    entry = Property(str, _get_entry, _set_entry, notify=entryChanged)
    complete = Property(bool, _get_complete, notify=textChanged)


def register_qml_types() -> None:
    """Make ``KeyboardModel`` and ``KeypadModel`` creatable from QML; call before loading QML."""
    qmlRegisterType(KeyboardModel, QML_MODULE, 1, 0, "KeyboardModel")
    qmlRegisterType(KeypadModel, QML_MODULE, 1, 0, "KeypadModel")
