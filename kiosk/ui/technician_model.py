"""Technician mode as QML sees it: PIN sign-in, the doctor's report, the queue, actions.

Reached by a hidden gesture (five quick taps on the centre's name) and the technician
PIN (``kiosk.admin.technician.TechnicianGate``: slow hash, lockout, every attempt
audited). Slow work — the doctor's checks, exports, printing — runs on workers. The mode
leaves by itself after ``admin.technician_idle_s`` without a touch.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.errors import KioskError
from kiosk.ui.worker import Workers

log = logging.getLogger(__name__)

# The demo kiosk's technician PIN (demo mode only, printed in the README).
DEMO_PIN = "135790"
CHECKING = "Đang kiểm tra… / Checking…"


def _usb_folder(settings: Any) -> Path:
    """The first mounted removable folder (/media/<user>/<label>), else an exports folder."""
    media = Path("/media")
    if media.is_dir():
        for user in sorted(media.iterdir()):
            for mount in sorted(user.iterdir()) if user.is_dir() else []:
                if mount.is_dir() and mount.is_mount():
                    return mount
    return settings.data_dir / "exports"


class TechnicianModel(QObject):
    changed = Signal()

    def __init__(self, settings: Any, desk: Any, workers: Workers, quit_app: Any,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._desk = desk
        self._workers = workers
        self._quit_app = quit_app
        self._gate = None
        self._active = False
        self._asking_pin = False
        self._message = ""
        self._report: list[dict[str, str]] = []
        self._queue: dict[str, Any] = {}
        self._idle = QTimer(self)
        self._idle.setInterval(5000)
        self._idle.timeout.connect(self._leave_if_idle)

    def _gate_for(self) -> Any:
        if self._gate is None:
            from kiosk.admin.technician import TechnicianGate

            store = self._desk.store
            self._gate = TechnicianGate.for_settings(
                self._settings, audit=store.audit if store is not None else None)
            if self._settings.kiosk.demo and not self._gate.has_pin:
                self._gate.set_pin(DEMO_PIN)
        return self._gate

    # -- properties -------------------------------------------------------------------------
    def _get_active(self) -> bool:
        return self._active

    def _get_asking_pin(self) -> bool:
        return self._asking_pin

    def _get_message(self) -> str:
        return self._message

    def _get_report(self) -> list:
        return self._report

    def _get_queue(self) -> dict:
        return self._queue

    active = Property(bool, _get_active, notify=changed)
    askingPin = Property(bool, _get_asking_pin, notify=changed)
    message = Property(str, _get_message, notify=changed)
    report = Property("QVariantList", _get_report, notify=changed)
    queue = Property("QVariantMap", _get_queue, notify=changed)

    def _say(self, message: str) -> None:
        self._message = message
        self.changed.emit()

    # -- entering and leaving ---------------------------------------------------------------
    @Slot()
    def requestSignIn(self) -> None:  # noqa: N802 - QML naming
        """The hidden gesture was made: ask for the PIN."""
        self._asking_pin = True
        self._message = ""
        self.changed.emit()

    @Slot()
    def cancelSignIn(self) -> None:  # noqa: N802
        self._asking_pin = False
        self.changed.emit()

    @Slot(str)
    def signIn(self, pin: str) -> None:  # noqa: N802
        from kiosk.admin.errors import NoTechnicianPin, TechnicianLocked
        from kiosk.admin.technician import WrongPin

        try:
            self._gate_for().sign_in(pin)
        except WrongPin as error:
            self._say(f"Mã PIN sai. Còn {error.remaining} lần thử. / Wrong PIN.")
            return
        except TechnicianLocked as error:
            self._say(error.message)
            return
        except NoTechnicianPin as error:
            self._say(error.message)
            return
        self._asking_pin = False
        self._active = True
        self._message = ""
        self._idle.start()
        self.changed.emit()
        self.refresh()

    def _leave_if_idle(self) -> None:
        if self._gate is not None and self._gate.leave_if_idle():
            self._close()

    @Slot()
    def leave(self) -> None:
        if self._gate is not None:
            self._gate.leave()
        self._close()

    def _close(self) -> None:
        self._active = False
        self._report = []
        self._queue = {}
        self._message = ""
        self._idle.stop()
        self.changed.emit()

    @Slot()
    def touch(self) -> None:
        if self._gate is not None and self._active:
            self._gate.touch()

    # -- what a technician does -------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        from kiosk.admin import doctor

        settings, store = self._settings, self._desk.store

        def check(_report: Any) -> tuple[Any, Any]:
            return doctor.run(settings), store.queue_stats() if store is not None else None

        self._say(CHECKING)
        self._workers.run(check, self._checked, lambda error: self._say(str(error)))

    def _checked(self, result: tuple[Any, Any]) -> None:
        report, stats = result
        self._report = [{"check": f.check, "verdict": f.verdict.value, "summary": f.summary,
                         "fix": f.fix} for f in report.findings]
        if stats is not None:
            self._queue = {"queued": stats.queued, "sending": stats.sending,
                           "accepted": stats.accepted, "quarantined": stats.quarantined,
                           "needsAttention": stats.needs_attention,
                           "oldest": stats.oldest_queued_at.isoformat() if stats.oldest_queued_at else ""}
        self._report_json = report.as_json()
        if self._message == CHECKING:  # an action's message that came meanwhile stays
            self._say("")
        else:
            self.changed.emit()

    @Slot()
    def sendNow(self) -> None:  # noqa: N802
        self.touch()
        if self._desk.sync is None:
            self._say("Chưa có kết nối cổng. / No portal connection.")
            return
        self._desk.sync.send_now()
        self._say("Đã yêu cầu gửi ngay. / Sending now.")

    @Slot()
    def printTestPage(self) -> None:  # noqa: N802
        self.touch()
        from kiosk.receipts.document import render_queue_ticket

        desk = self._desk
        centre = self._settings.kiosk.centre_name

        def print_it(_report: Any) -> str:
            pdf = render_queue_ticket("TEST", centre, "Trang thử máy in / printer test page")
            desk.receipts.printer.print_pdf(pdf, "test-page")
            return "Đã in trang thử. / Test page printed."

        self._workers.run(print_it, self._say, lambda error: self._say(
            getattr(error, "message", str(error))))

    @Slot()
    def switchPrinter(self) -> None:  # noqa: N802
        """Between the configured printer and PDF files (when the printer is broken, receipts
        still come out as files a clerk can print elsewhere; the QR shows on screen)."""
        self.touch()
        from kiosk.devices.printer import PdfFilePrinter, open_printer

        receipts = self._desk.receipts
        if receipts is None:
            self._say("Chưa sẵn sàng. / Not ready.")
            return
        printer = self._settings.printer
        if isinstance(receipts.printer, PdfFilePrinter) and printer.backend != "pdf":
            receipts.printer = open_printer(printer.backend, printer.queue,
                                            self._settings.data_dir / "printed")
            self._say(f"Máy in: {printer.backend} {printer.queue}")
        else:
            receipts.printer = PdfFilePrinter(self._settings.data_dir / "printed")
            self._say("Máy in: tệp PDF / printer: PDF files")

    @Slot()
    def exportToUsb(self) -> None:  # noqa: N802
        """Logs and doctor report, then the encrypted backlog, into the USB folder."""
        self.touch()
        from kiosk.admin.support_bundle import export_bundle
        from kiosk.store.backlog import export_backlog

        settings, store = self._settings, self._desk.store
        report_json = getattr(self, "_report_json", None)

        def export(_report: Any) -> str:
            folder = _usb_folder(settings)
            folder.mkdir(parents=True, exist_ok=True)
            bundle = export_bundle(settings, folder, report_json)
            passphrase = secrets.token_hex(8)
            written = ""
            if store is not None:
                export_backlog(store, folder, passphrase.encode(), settings.kiosk.kiosk_id,
                               "technician")
                written = f"; backlog passphrase / mật khẩu: {passphrase}"
            return f"Đã xuất vào {folder} ({bundle.name}){written}"

        self._workers.run(export, self._say, lambda error: self._say(
            getattr(error, "message", str(error))))

    @Slot()
    def exitKiosk(self) -> None:  # noqa: N802
        """Close the kiosk application (systemd restarts it unless stopped)."""
        if self._gate is not None:
            self._gate.leave()
        log.warning("technician closed the kiosk application")
        self._quit_app()

    def has_session(self) -> bool:
        return self._active

    @staticmethod
    def describe_error(error: Exception) -> str:
        return error.message if isinstance(error, KioskError) else type(error).__name__
