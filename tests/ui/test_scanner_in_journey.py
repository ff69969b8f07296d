"""A keyboard-wedge QR scanner on the identify screen: the scan opens the card."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent

from kiosk.demo_residents import card_qr_text


def send_keys(window, text: str, start_ms: int, gap_ms: int) -> int:
    """Key presses with their own timestamps, as the scanner (or a person) types them."""
    at = start_ms
    for char in list(text) + ["\r"]:
        key = Qt.Key.Key_Return if char == "\r" else Qt.Key.Key_unknown
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, char)
        event.setTimestamp(at)
        QCoreApplication.sendEvent(window, event)
        at += gap_ms
    return at


def test_scan_on_attract_starts_and_identifies(qapp, qtbot, kiosk_home) -> None:
    """Scanning the card's QR (characters 5 ms apart, then Enter) on the attract screen
    starts a session and moves to consent with the access key; a person typing the same
    text slowly does not count as a scan."""
    from kiosk.app import build_kiosk
    from kiosk.config import load_settings

    built = build_kiosk(load_settings(demo=True), start_services=False)
    try:
        window, model = built.window.window, built.window.model
        text = card_qr_text("079301004567")
        at = send_keys(window, text, 1_000, 300)  # a person: 300 ms between keys
        qtbot.wait(50)
        assert model.screen == "attract"
        send_keys(window, text, at + 5_000, 5)
        qtbot.wait(50)
        assert model.screen == "consent"
        assert model._journey.session.access_key is not None
    finally:
        built.close()
