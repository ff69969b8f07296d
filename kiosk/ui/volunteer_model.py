"""The volunteer-assisted mode as QML sees it: sign-in on the number pad, who is helping."""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.errors import KioskError
from kiosk.journey import Journey, Screen
from kiosk.volunteers import VolunteerDesk


class VolunteerModel(QObject):
    changed = Signal()

    def __init__(self, journey: Journey, desk: VolunteerDesk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journey = journey
        self._desk = desk
        self._asking = False
        self._message = ""
        journey.subscribe(self._on_journey)

    def _on_journey(self, journey: Journey) -> None:
        # Each resident session a signed-in volunteer helps with is marked as assisted.
        if journey.screen is not Screen.ATTRACT and journey.session.assisted_by is None:
            volunteer = self._desk.current()
            if volunteer is not None:
                journey.session.assisted_by = volunteer.code
        self.changed.emit()

    def _get_code(self) -> str:
        volunteer = self._desk.current()
        return volunteer.code if volunteer is not None else ""

    def _get_asking(self) -> bool:
        return self._asking

    def _get_message(self) -> str:
        return self._message

    code = Property(str, _get_code, notify=changed)
    asking = Property(bool, _get_asking, notify=changed)
    message = Property(str, _get_message, notify=changed)

    @Slot()
    def requestSignIn(self) -> None:  # noqa: N802 - QML naming
        self._asking, self._message = True, ""
        self.changed.emit()

    @Slot()
    def cancel(self) -> None:
        self._asking, self._message = False, ""
        self.changed.emit()

    @Slot(str, str)
    def signIn(self, code: str, pin: str) -> None:  # noqa: N802
        try:
            self._desk.sign_in(code, pin)
        except KioskError as error:
            self._message = error.message
            self.changed.emit()
            return
        self._asking, self._message = False, ""
        self.changed.emit()

    @Slot()
    def signOut(self) -> None:  # noqa: N802
        self._desk.sign_out()
        self.changed.emit()
