"""The QR scanner into the journey: a scan of the card's QR on the identify screen.

A keyboard-wedge scanner types into the window: an event filter hands every key press,
with its own timestamp, to ``WedgeAssembler``, which tells a scan (fast, ended by Enter)
from a person typing. A serial scanner reads on its own thread. Either way the scan
reaches the UI thread through a queued signal, and only the identify screen uses it.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal

from kiosk.devices.scanner import Scan, open_scanner

log = logging.getLogger(__name__)


class ScannerBridge(QObject):
    scanned = Signal(str)

    def __init__(self, settings: Any, on_scan: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        scanner = settings.scanner
        self.scanned.connect(on_scan, Qt.ConnectionType.QueuedConnection)
        self.device = open_scanner(scanner.kind, self._deliver, self._failed, port=scanner.port,
                                   baudrate=scanner.baudrate, max_gap_s=scanner.max_gap_s)
        self.device.start()

    def _deliver(self, scan: Scan) -> None:  # any thread
        self.scanned.emit(scan.text)

    def _failed(self, error: Exception) -> None:  # the serial scanner's thread
        log.warning("QR scanner problem: %s", type(error).__name__)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress and hasattr(self.device, "key"):
            text = "\r" if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) else event.text()
            self.device.key(text, event.timestamp() / 1000)
        return False  # keys still go where they were going

    def reset(self) -> None:
        """End of session: a half-received scan may hold personal data."""
        if hasattr(self.device, "reset"):
            self.device.reset()

    def stop(self) -> None:
        self.device.stop()
