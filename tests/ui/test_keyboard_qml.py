"""The on-screen keyboard and the numeric keypad, tapped as a finger would, offscreen.

The harness window holds a field showing what is typed and either the keyboard or the
keypad, on the real Theme; set KEYBOARD_SHOTS_DIR to keep the rendered PNGs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    QPointF,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtTest import QTest

from kiosk.ui.window import FONT_FAMILY, QML_DIR, application

HARNESS = """
import QtQuick
import "components"

Window {
    id: root
    width: 1280
    height: 800
    visible: true
    color: Theme.background
    property string showing: "keyboard"
    Binding { target: Theme; property: "windowHeight"; value: root.height }

    Text {
        objectName: "prompt"
        x: Theme.gap; y: Theme.gap
        width: parent.width - 2 * Theme.gap
        text: root.showing === "keyboard" ? "Họ và tên người cha" : "Ngày sinh của bạn"
        font.pixelSize: Theme.headingSize
        font.bold: true
        color: Theme.text
    }
    Rectangle {
        visible: root.showing === "keyboard"
        x: Theme.gap; y: Theme.gap * 2 + Theme.headingSize
        width: parent.width - 2 * Theme.gap
        height: Theme.primaryTarget
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.accent
        border.width: 3
        Text {
            objectName: "typed"
            anchors.fill: parent
            anchors.leftMargin: Theme.gap
            verticalAlignment: Text.AlignVCenter
            text: keyboard.text + "|"
            font.pixelSize: Theme.headingSize
            color: Theme.text
        }
    }
    VietKeyboard {
        id: keyboard
        objectName: "keyboard"
        visible: root.showing === "keyboard"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: implicitHeight
    }
    NumericKeypad {
        id: keypad
        objectName: "keypad"
        visible: root.showing === "keypad"
        entry: "date"
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: Theme.gap
        width: implicitWidth
        height: implicitHeight
    }
}
"""


class Modes(QObject):
    """Stands in for the journey model: the two display modes Theme reads."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._large = False
        self._contrast = False

    def set(self, large: bool, contrast: bool) -> None:
        self._large, self._contrast = large, contrast
        self.changed.emit()

    def _get_large(self) -> bool:
        return self._large

    def _get_contrast(self) -> bool:
        return self._contrast

    largeText = Property(bool, _get_large, notify=changed)
    highContrast = Property(bool, _get_contrast, notify=changed)


def _load_window(qml: str, name: str) -> Iterator[QQuickWindow]:
    """A QML test window with the journey's display modes and the bundled font, its load
    warnings in ``window.errors``; the engine is deleted while its context objects live."""
    from kiosk.ui.keyboard_model import register_qml_types

    application()
    register_qml_types()
    engine = QQmlApplicationEngine()
    modes = Modes()
    engine.rootContext().setContextProperty("journey", modes)
    engine.rootContext().setContextProperty("appFontFamily", FONT_FAMILY)
    errors: list[str] = []
    engine.warnings.connect(lambda warnings: errors.extend(w.toString() for w in warnings))
    engine.loadData(qml.encode(), QUrl.fromLocalFile(str(QML_DIR / name)))
    assert engine.rootObjects(), "\n".join(errors)
    window = engine.rootObjects()[0]
    assert isinstance(window, QQuickWindow)
    window.modes = modes
    window.errors = errors
    yield window
    window.close()
    # Delete the engine now, while the context objects are alive, not at interpreter exit.
    engine.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    del window.modes


@pytest.fixture
def harness(qapp):
    yield from _load_window(HARNESS, "keyboard_harness.qml")


def items_under(item: QQuickItem) -> list[QQuickItem]:
    """Every item below ``item`` in the visual tree (Repeater delegates have no QObject parent,
    so QObject.findChildren misses them)."""
    found = []
    for child in item.childItems():
        found.append(child)
        found.extend(items_under(child))
    return found


def find(window: QQuickWindow, name: str) -> QQuickItem:
    matches = [item for item in items_under(window.contentItem()) if item.objectName() == name]
    assert len(matches) == 1, f"{len(matches)} items named {name!r}"
    return matches[0]


def buttons_under(window: QQuickWindow, name: str) -> list[QQuickItem]:
    return [item for item in items_under(find(window, name))
            if item.inherits("QQuickAbstractButton") and item.isVisible()]


def tap(settle, window: QQuickWindow, name: str) -> None:
    """A real mouse click at the centre of the named key."""
    item = find(window, name)
    assert item.isVisible() and item.isEnabled(), name
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(int(centre.x()), int(centre.y())))
    settle(20)


def typed(window: QQuickWindow) -> str:
    return find(window, "keyboard").property("text")


NAME_TAPS = ["shift", "n", "g", "u", "y", "e", "mark_ee", "n", "tone_nga", "space",
             "shift", "t", "h", "i", "tone_nang", "space", "shift", "h", "o", "a", "tone_huyen"]


@pytest.mark.parametrize(("style", "name"), [("new", "Nguyễn Thị Hoà"), ("old", "Nguyễn Thị Hòa")])
def test_tapping_types_a_vietnamese_name(settle, harness, style: str, name: str) -> None:
    """Tapping letters, the ê key and the tone keys types the name exactly, in either style."""
    settle()
    find(harness, "keyboard").property("composer").setProperty("toneStyle", style)
    for key in NAME_TAPS:
        tap(settle, harness, f"key_{key}")
    assert typed(harness) == name
    assert find(harness, "typed").property("text") == name + "|"
    composer = find(harness, "keyboard").property("composer")
    assert composer.property("keyPresses") == len(NAME_TAPS) - 3  # shift is not a keystroke
    assert not harness.errors


def test_tapping_an_address_with_digits(settle, harness) -> None:
    """A demo address (digits, comma, capitals, ươ) typed by the plan's taps comes out exactly."""
    from kiosk.keyboard.plan import onscreen_taps

    address = "Số 12 ngõ 34, Phường Thượng Đình"
    taps = onscreen_taps(address)
    assert taps is not None
    settle()
    for tap_ in taps:
        tap(settle, harness, tap_.object_name)
    assert typed(harness) == address


def test_backspace_and_a_tone_with_nowhere_to_go(settle, harness) -> None:
    """Backspace deletes and moves the tone back; a tone after a space types nothing."""
    settle()
    for key in ["h", "o", "a", "n", "tone_huyen"]:
        tap(settle, harness, f"key_{key}")
    assert typed(harness) == "hoàn"
    tap(settle, harness, "key_backspace")
    assert typed(harness) == "hòa"
    tap(settle, harness, "key_space")
    tap(settle, harness, "key_tone_sac")
    assert typed(harness) == "hòa "


def test_shift_is_one_shot_and_shown_in_words(settle, harness) -> None:
    """Shift capitalises the next letter only, and its key says so (not by colour alone)."""
    settle()
    tap(settle, harness, "key_shift")
    assert find(harness, "key_a").property("text") == "A"
    tap(settle, harness, "key_a")
    tap(settle, harness, "key_a")
    assert typed(harness) == "Aa"
    assert find(harness, "key_a").property("text") == "a"


def test_symbols_switch(settle, harness) -> None:
    """"123" shows digits and punctuation for house numbers; "ABC" brings the letters back."""
    settle()
    tap(settle, harness, "key_symbols")
    for key in ["1", "2", "/", "3", "4"]:
        tap(settle, harness, f"key_{key}")
    assert typed(harness) == "12/34"
    tap(settle, harness, "key_symbols")
    find(harness, "key_q")


@pytest.mark.parametrize(("large", "contrast"), [(False, False), (True, False), (False, True)])
def test_keys_are_large_in_every_mode(settle, harness, large: bool, contrast: bool) -> None:
    """Keyboard keys are at least 56 px square, keypad keys at least 64 px, in every mode."""
    harness.modes.set(large, contrast)
    settle()
    keyboard_keys = buttons_under(harness, "keyboard")
    assert len(keyboard_keys) >= 45
    for key in keyboard_keys:
        assert key.width() >= 56 and key.height() >= 56, key.objectName()
        right = key.mapToScene(QPointF(key.width(), key.height()))
        assert right.x() <= harness.width() + 0.5 and right.y() <= harness.height() + 0.5
    harness.setProperty("showing", "keypad")
    settle()
    pad_keys = buttons_under(harness, "keypad")
    assert len(pad_keys) == 12
    for key in pad_keys:
        assert key.width() >= 64 and key.height() >= 64, key.objectName()
        top = key.mapToScene(QPointF(0, 0))
        assert top.y() >= 0


def test_keypad_types_a_date_with_slashes(settle, harness) -> None:
    """Eight digits become dd/mm/yyyy as they come; "Xong" only works on a real date."""
    harness.setProperty("showing", "keypad")
    settle()
    confirmed: list[str] = []
    keypad = find(harness, "keypad")
    keypad.confirmed.connect(confirmed.append)
    assert not find(harness, "pad_confirm").isEnabled()
    for digit in "3102":
        tap(settle, harness, f"pad_{digit}")
    assert keypad.property("text") == "31/02/"
    for digit in "1990":
        tap(settle, harness, f"pad_{digit}")
    assert keypad.property("text") == "31/02/1990"
    assert not find(harness, "pad_confirm").isEnabled()  # 31 February
    for _ in range(6):
        tap(settle, harness, "pad_backspace")
    assert keypad.property("text") == "31/"
    tap(settle, harness, "pad_backspace")
    tap(settle, harness, "pad_backspace")
    for digit in "15021990":
        tap(settle, harness, f"pad_{digit}")
    assert keypad.property("text") == "15/02/1990"
    tap(settle, harness, "pad_confirm")
    assert confirmed == ["15/02/1990"]


def test_keypad_confirms_an_id_number(settle, harness) -> None:
    """Twelve digits enable "Xong", which hands the number over; a thirteenth is ignored."""
    keypad = find(harness, "keypad")
    keypad.setProperty("entry", "id")
    harness.setProperty("showing", "keypad")
    settle()
    confirmed: list[str] = []
    keypad.confirmed.connect(confirmed.append)
    for digit in "0010900123459":
        tap(settle, harness, f"pad_{digit}")
    assert keypad.property("text") == "001090012345"
    assert find(harness, "keypadCount").property("text") == "Đủ số. Bấm Xong."
    tap(settle, harness, "pad_confirm")
    assert confirmed == ["001090012345"]


def test_renders_in_every_mode(settle, harness, tmp_path: Path) -> None:
    """Both components render in normal, large-text and high-contrast modes (PNGs kept on request)."""
    out = Path(os.environ.get("KEYBOARD_SHOTS_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    for key in ["shift", "n", "g", "u", "y", "e", "mark_ee", "n", "tone_nga"]:
        tap(settle, harness, f"key_{key}")
    for digit in "150219":
        find(harness, "keypad").property("composer").pressDigit(digit)
    for mode, (large, contrast) in {"normal": (False, False), "large-text": (True, False),
                                    "high-contrast": (False, True)}.items():
        harness.modes.set(large, contrast)
        for showing in ("keyboard", "keypad"):
            harness.setProperty("showing", showing)
            settle(150)
            image = harness.grabWindow()
            path = out / f"{showing}-{mode}.png"
            assert image.save(str(path)), path
            colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
                       for y in range(0, image.height(), 23)}
            assert len(colours) > 4, f"{path.name} looks blank"
    assert not harness.errors


def test_keyboard_model_without_qml(qapp) -> None:
    """The adapter alone: auto-capitals for names, a length limit, clear drops the text."""
    from kiosk.ui.keyboard_model import KeyboardModel

    model = KeyboardModel()
    rejected: list[str] = []
    model.rejected.connect(rejected.append)
    model.setProperty("autoCapitalize", True)
    for key in "tran thi":
        model.pressKey(key)
    assert model.property("text") == "Tran Thi"
    model.pressTone("nang")
    model.pressMark("â")  # turns the a of "Tran"? no: the word at the cursor is "Thị"
    assert model.property("text") == "Tran Thiậ"  # no a in "Thị": â is typed, the tone moves
    model.backspace()
    assert model.property("text") == "Tran Thị"
    model.setProperty("maxLength", 9)
    model.pressKey("x")
    model.pressKey("y")
    assert model.property("text") == "Tran Thịx" and rejected == ["full"]
    model.pressKey(" ")
    model.setProperty("maxLength", 200)
    model.pressKey(" ")
    model.pressTone("sac")
    assert rejected == ["full", "full", "tone"]
    assert model.property("keyPresses") == 16
    model.clear()
    assert model.property("text") == "" and model.property("cursor") == 0
    assert model.property("keyPresses") == 0
    model.setText("Nguyễn")
    assert (model.property("text"), model.property("cursor")) == ("Nguyễn", 6)


# -- suggestion chips and the physical keyboard --------------------------------------------

def test_chips_offer_a_ward_and_a_tap_types_it(settle, harness) -> None:
    """Typing "phuong lang" without diacritics shows "Phường Láng" on a ≥ 64 px chip; one
    tap replaces both words and adds a space; a comma then takes the space's place."""
    settle()
    assert not find(harness, "suggestion_0").isVisible()
    for key in "phuong":
        tap(settle, harness, f"key_{key}")
    tap(settle, harness, "key_space")
    for key in "lang":
        tap(settle, harness, f"key_{key}")
    chip = find(harness, "suggestion_0")
    assert chip.isVisible() and chip.property("text") == "Phường Láng"
    assert chip.height() >= 64 and chip.width() >= 64
    tap(settle, harness, "suggestion_0")
    assert typed(harness) == "Phường Láng "
    tap(settle, harness, "key_comma")
    assert typed(harness) == "Phường Láng,"
    assert find(harness, "keyboard").property("composer").property("keyPresses") == 13
    assert not harness.errors


def test_chips_follow_the_field_type(settle, harness) -> None:
    """A name field offers names ("nguyen" → "Nguyễn"), a text field places and form words."""
    composer = find(harness, "keyboard").property("composer")
    composer.setProperty("fieldType", "name")
    settle()
    for key in "nguyen":
        tap(settle, harness, f"key_{key}")
    assert find(harness, "suggestion_0").property("text") == "Nguyễn"
    composer.clear()
    composer.setProperty("fieldType", "text")
    composer.setProperty("fieldPhrases", ["Bổ sung hồ sơ xin việc"])
    for key in "bo":
        tap(settle, harness, f"key_{key}")
    assert find(harness, "suggestion_0").property("text") == "Bổ sung hồ sơ xin việc"
    composer.clear()
    assert composer.property("suggestions") == []


def test_finish_remembers_the_value_until_the_session_ends(qapp) -> None:
    """"Xong" hands over the value without the chip's space and keeps it for later fields
    of the session; the end of the session forgets it."""
    from kiosk.ui.keyboard_model import KeyboardModel, forget_session_words

    first, second = KeyboardModel(), KeyboardModel()
    first.setText("Bệnh viện đa khoa tỉnh Ninh Bình ")
    assert first.finish() == "Bệnh viện đa khoa tỉnh Ninh Bình"
    second.pressKey("b")
    assert second.property("suggestions")[0] == "Bệnh viện đa khoa tỉnh Ninh Bình"
    forget_session_words()
    second.clear()
    second.pressKey("b")
    assert "Bệnh viện đa khoa tỉnh Ninh Bình" not in second.property("suggestions")


PANEL = """
import QtQuick
import "components"

Window {
    id: root
    width: 1280
    height: 800
    visible: true
    color: Theme.background
    property string committed: ""
    Binding { target: Theme; property: "windowHeight"; value: root.height }
    KeyboardPanel {
        id: panel
        objectName: "panel"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: implicitHeight
    }
    function openFor(kind) {
        panel.open("Họ và tên", kind, "", function(text) { root.committed = text }, [])
    }
}
"""


@pytest.fixture
def panel(qapp):
    for window in _load_window(PANEL, "panel_harness.qml"):
        window.requestActivate()
        yield window


def press_keys(window: QQuickWindow, text: str) -> None:
    """Key presses and releases as a USB keyboard sends them (ASCII text, key codes)."""
    from PySide6.QtGui import QKeyEvent

    for char in text:
        special = {"\b": Qt.Key.Key_Backspace, "\r": Qt.Key.Key_Return}
        code = special.get(char) or Qt.Key(ord(char.upper()))
        shown = "" if char == "\b" else char
        modifiers = Qt.KeyboardModifier.ShiftModifier if char.isupper() else \
            Qt.KeyboardModifier.NoModifier
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QCoreApplication.sendEvent(window, QKeyEvent(kind, code, modifiers, shown))


def test_physical_keyboard_types_telex(settle, panel) -> None:
    """A USB keyboard types into the open field through Telex: "nguyeenx" gives "nguyễn",
    Backspace deletes, Enter is "Xong" (ASCII key events, as a physical keyboard sends)."""
    from PySide6.QtCore import Q_ARG, QMetaObject

    QMetaObject.invokeMethod(panel, "openFor", Q_ARG("QVariant", "name"))
    settle()
    press_keys(panel, "Nguyeenx thij")
    settle()
    composer = find(panel, "letterKeyboard").property("composer")
    assert composer.property("text") == "Nguyễn thị"
    press_keys(panel, " x\bhoaf")
    settle()
    assert composer.property("text") == "Nguyễn thị hòa"
    press_keys(panel, "\r")
    settle()
    assert panel.property("committed") == "Nguyễn thị hòa"
    assert not panel.errors
