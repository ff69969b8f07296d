"""The journey as QML sees it: properties that change with signals, slots for touches."""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.journey import Event, Journey, JourneyError
from kiosk.speech import Speaker

# The version of the consent text in ConsentScreen.qml; change it whenever that text changes.
CONSENT_TEXT_VERSION = "consent-vi-en-2026-11-v1"
CONSENT_PURPOSES = ("read_chip", "national_database_lookup", "submit_to_portal")


class JourneyModel(QObject):
    """Exposes the UI-free Journey to QML. Holds no personal data of its own."""

    changed = Signal()
    languageChanged = Signal(str)
    ignoredEvent = Signal(str)

    def __init__(self, journey: Journey, centre_name: str, parent: QObject | None = None,
                 speaker: Speaker | None = None) -> None:
        super().__init__(parent)
        self._journey = journey
        self._speaker = speaker or Speaker()
        self._centre_name = centre_name
        self._large_text = False
        self._high_contrast = False
        journey.subscribe(lambda _journey: self._on_journey_changed())
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._journey.tick)
        self._ticker.start()
        self._language = journey.session.language

    def _on_journey_changed(self) -> None:
        if self._journey.screen.value == "attract":
            self._speaker.reset()  # the next resident starts silent, at the default volume
        if self._journey.session.language != self._language:
            self._language = self._journey.session.language
            self.languageChanged.emit(self._language)
        if self._journey.screen.value == "attract":
            self._large_text = self._journey.session.large_text
            self._high_contrast = self._journey.session.high_contrast
        self.changed.emit()

    def _get_screen(self) -> str:
        return self._journey.screen.value

    def _get_language(self) -> str:
        return self._journey.session.language

    def _get_warning_seconds(self) -> int:
        remaining = self._journey.warning_remaining()
        return -1 if remaining is None else int(round(remaining))

    def _get_large_text(self) -> bool:
        return self._large_text

    def _get_high_contrast(self) -> bool:
        return self._high_contrast

    def _get_centre_name(self) -> str:
        return self._centre_name

    screen = Property(str, _get_screen, notify=changed)
    language = Property(str, _get_language, notify=changed)
    warningSeconds = Property(int, _get_warning_seconds, notify=changed)
    largeText = Property(bool, _get_large_text, notify=changed)
    highContrast = Property(bool, _get_high_contrast, notify=changed)
    centreName = Property(str, _get_centre_name, constant=True)

    def _send(self, event: Event) -> None:
        try:
            self._journey.send(event)
        except JourneyError as error:
            # A double tap on a button that already moved on: ignore, but let tests see it.
            self.ignoredEvent.emit(str(error))

    @Slot()
    def start(self) -> None:
        self._send(Event.START)

    @Slot()
    def back(self) -> None:
        self._send(Event.BACK)

    @Slot()
    def touch(self) -> None:
        """Any touch, and the 'I need more time' button: restart the idle clock."""
        self._journey.touch()
        self.changed.emit()

    @Slot(str)
    def setLanguage(self, language: str) -> None:  # noqa: N802 - QML naming
        self._journey.set_language(language)

    @Slot()
    def toggleLargeText(self) -> None:  # noqa: N802
        self._large_text = not self._large_text
        self._journey.session.large_text = self._large_text
        self.touch()

    @Slot()
    def toggleHighContrast(self) -> None:  # noqa: N802
        self._high_contrast = not self._high_contrast
        self._journey.session.high_contrast = self._high_contrast
        self.touch()

    @Slot()
    def consent(self) -> None:
        """The resident agreed to the consent text shown: record its version, then read."""
        try:
            self._journey.give_consent(CONSENT_TEXT_VERSION, CONSENT_PURPOSES)
        except JourneyError as error:
            self.ignoredEvent.emit(str(error))

    @Slot(str)
    def speak(self, text: str) -> None:
        """Read the screen aloud in the session's language (espeak-ng, non-blocking)."""
        self._journey.touch()
        self._speaker.say(text, self._journey.session.language)

    @Slot()
    def finish(self) -> None:
        self._send(Event.FINISH)

    @Slot()
    def endSession(self) -> None:  # noqa: N802
        self._journey.end("resident ended")
