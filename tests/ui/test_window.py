"""The running shell as a resident meets it: attract screen, language, modes, timeout."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.journey import Screen


def find(kiosk, name: str) -> QQuickItem:
    item = kiosk.window.findChild(QQuickItem, name)
    assert item is not None, f"no item named {name!r} on screen {kiosk.model.screen!r}"
    return item


def tap(settle, kiosk, name: str) -> None:
    """Tap the centre of a named item, as a finger would (a real mouse event on the window)."""
    settle()
    item = find(kiosk, name)
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
    QTest.mouseClick(kiosk.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(int(centre.x()), int(centre.y())))
    settle()


def visible_texts(kiosk) -> list[str]:
    texts = []
    for item in kiosk.window.findChildren(QQuickItem):
        if item.isVisible() and item.property("text"):
            texts.append(item.property("text"))
    return texts


def test_attract_screen_greets_in_vietnamese(settle, kiosk_window) -> None:
    """The first thing a resident sees is the Vietnamese call to tap the card."""
    settle()
    assert kiosk_window.model.screen == "attract"
    assert find(kiosk_window, "attractTitle").property("text") == "Chạm thẻ căn cước để bắt đầu"


def test_language_switch_translates_every_visible_string(settle, kiosk_window) -> None:
    """Tapping 'English' re-translates the screen through Qt's catalogue; and back again."""
    before = set(visible_texts(kiosk_window))
    assert len(before) >= 6, before  # the title, the blurb, the buttons, the help line
    tap(settle, kiosk_window, "languageEn")
    assert find(kiosk_window, "attractTitle").property("text") == "Tap your ID card to begin"
    after = set(visible_texts(kiosk_window))
    untranslated = (before & after) - {"Tiếng Việt", "English", "Trung tâm thử nghiệm"}
    assert not untranslated, f"not translated: {untranslated}"
    tap(settle, kiosk_window, "languageVi")
    assert find(kiosk_window, "attractTitle").property("text") == "Chạm thẻ căn cước để bắt đầu"


def test_touch_targets_are_large_enough(settle, kiosk_window) -> None:
    """Every button is at least 44 × 44 px and primary actions at least 64 px high (WCAG 2.5.5)."""
    for screen_button in ("startButton",):
        assert find(kiosk_window, screen_button).height() >= 64
    tap(settle, kiosk_window, "startButton")
    buttons = [item for item in kiosk_window.window.findChildren(QQuickItem)
               if item.inherits("QQuickAbstractButton") and item.isVisible()]
    assert len(buttons) >= 5
    for button in buttons:
        assert button.width() >= 44 and button.height() >= 44, button.property("text")


def test_start_then_back(settle, kiosk_window) -> None:
    """'Start' leads to the identify step; 'Back' returns to the attract screen."""
    tap(settle, kiosk_window, "startButton")
    assert kiosk_window.model.screen == Screen.IDENTIFY.value
    find(kiosk_window, "identifyScreen")
    tap(settle, kiosk_window, "backButton")
    assert kiosk_window.model.screen == Screen.ATTRACT.value


def test_timeout_warning_counts_down_and_can_be_dismissed(settle, kiosk_window, clock) -> None:
    """After the idle time the warning shows its countdown; 'I need more time' keeps the session."""
    tap(settle, kiosk_window, "startButton")
    overlay = find(kiosk_window, "timeoutOverlay")
    assert not overlay.isVisible()
    clock.now += 65
    kiosk_window.model._journey.tick()
    settle()
    assert overlay.isVisible()
    assert kiosk_window.model.warningSeconds == 15
    tap(settle, kiosk_window, "moreTime")
    assert not overlay.isVisible()
    assert kiosk_window.model.screen == "identify"


def test_timeout_returns_to_attract_in_the_default_language(settle, kiosk_window, clock) -> None:
    """A resident who walks away: the session ends, the screen resets, Vietnamese again."""
    tap(settle, kiosk_window, "startButton")
    tap(settle, kiosk_window, "languageEn")
    clock.now += 81
    kiosk_window.model._journey.tick()
    settle()
    assert kiosk_window.model.screen == "attract"
    assert find(kiosk_window, "attractTitle").property("text") == "Chạm thẻ căn cước để bắt đầu"


def test_modes_one_touch_away(settle, kiosk_window) -> None:
    """Large text enlarges the title; high contrast turns the background black."""
    title = find(kiosk_window, "attractTitle")
    normal = title.property("font").pixelSize()
    tap(settle, kiosk_window, "largeText")
    assert title.property("font").pixelSize() > normal * 1.2
    tap(settle, kiosk_window, "highContrast")
    assert kiosk_window.window.color().name() == "#000000"


def test_listen_reads_the_screen_aloud(settle, kiosk_window, tmp_path) -> None:
    """'Listen' speaks the screen's text in the session's language; the next resident
    starts at the default volume."""
    from kiosk.speech import DEFAULT_AMPLITUDE, Speaker

    speaker = Speaker(write_to=tmp_path)
    if not speaker.available:
        import pytest

        pytest.skip("espeak-ng not installed (scripts/apt-run.txt installs it)")
    kiosk_window.model._speaker = speaker
    tap(settle, kiosk_window, "speakButton")
    speaker.wait()
    assert speaker.utterances == 1 and list(tmp_path.glob("*.wav"))
    speaker.louder()
    tap(settle, kiosk_window, "startButton")
    kiosk_window.model.endSession()
    assert speaker.amplitude == DEFAULT_AMPLITUDE
