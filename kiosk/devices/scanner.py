"""QR and barcode scanners: text in, one ``Scan`` out, whatever the scanner is.

Three kinds stand behind the same callback:

- keyboard-wedge scanners (USB HID) type the code as key presses and end with Enter;
  ``WedgeAssembler`` tells a scan from a person typing by speed (a scanner sends a key
  every few milliseconds, a person every 100 ms or more) and by the final Enter. The Qt
  adapter that feeds it key events lives in kiosk/ui/; this module knows nothing of Qt.
- serial scanners (RS-232 or USB CDC-ACM, /dev/ttyACM0) send bytes: ``SerialScanner``
  reads them on its own thread with pyserial, frames them on CR/LF (or on a silence, for
  scanners set to send no suffix), decodes UTF-8 and reopens the port after an unplug.
- ``VirtualScanner`` hands over a given text, for the demo and the tests.

The text of a scan is not interpreted here: the card's QR belongs to
``kiosk.devices.card.mrz.mrz_key_from_card_qr``. A scan of a card's QR holds the
resident's ID number, name, birth date and address, so it is never logged (only its
length is) and ``Scan``'s repr hides it.

A wedge scanner in HID mode cannot type the UTF-8 name in the card's QR reliably (it
types through the keyboard layout); the fields the kiosk needs from it (ID number and
date of birth) are ASCII, but prefer a serial (CDC) scanner where the whole text matters.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import serial

from kiosk.errors import BadInput, KioskError

__all__ = ["Scan", "ScannerError", "ScanCallback", "ErrorCallback", "Scanner", "WedgeAssembler",
           "SerialScanner", "VirtualScanner", "open_scanner", "KINDS"]

log = logging.getLogger(__name__)

KINDS = ("wedge", "serial", "virtual")
MAX_SCAN_CHARS = 4096          # a QR code holds at most 4296 alphanumerics (ISO/IEC 18004)
_TERMINATORS = b"\r\n"


@dataclass(frozen=True)
class Scan:
    """One decoded code as the scanner sent it (NFC is the parser's job, not ours)."""

    text: str = field(repr=False)
    source: str
    at: float = field(default_factory=time.monotonic)

    def __repr__(self) -> str:  # the text is personal data when it is a card's QR
        return f"Scan(source={self.source!r}, chars={len(self.text)})"


class ScannerError(KioskError):
    """The scanner cannot be used or sent something unreadable; the message says what to do."""


ScanCallback = Callable[[Scan], None]
ErrorCallback = Callable[[ScannerError], None]


class Scanner(Protocol):
    """What the application holds: started with the kiosk, stopped at shutdown."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


def _report(on_error: ErrorCallback | None, error: ScannerError) -> None:
    log.warning("scanner: %s", error.message)
    if on_error is not None:
        on_error(error)


class WedgeAssembler:
    """Turns a keyboard-wedge scanner's fast key presses, ended by Enter, into one scan.

    ``key`` receives each key press's text (empty for Shift and other modifiers) and the
    time it was pressed, in seconds (pass the window system's event time, not the time
    the event loop got round to it). Characters further apart than ``max_gap_s`` start
    a new burst, so a person's slow typing never accumulates; Enter completes a burst
    of at least ``min_length`` characters into a scan if it, too, came quickly.
    """

    def __init__(self, on_scan: ScanCallback | None = None, max_gap_s: float = 0.05,
                 min_length: int = 4, clock: Callable[[], float] = time.monotonic,
                 terminators: tuple[str, ...] = ("\r", "\n")) -> None:
        if max_gap_s <= 0 or min_length < 1:
            raise BadInput("the wedge scanner needs max_gap_s > 0 and min_length ≥ 1")
        self._on_scan = on_scan
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self._clock = clock
        self._terminators = terminators
        self._burst: list[str] = []
        self._last_at: float | None = None

    @property
    def pending(self) -> int:
        """How many characters of an unfinished burst are held."""
        return len(self._burst)

    def start(self) -> None:
        """Nothing to open: the Qt adapter feeds ``key``."""

    def stop(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Drop a half-received burst (at the end of a session it may hold personal data)."""
        self._burst = []
        self._last_at = None

    def key(self, text: str, at: float | None = None) -> Scan | None:
        """One key press; returns the scan it completed (also given to ``on_scan``), if any."""
        now = self._clock() if at is None else at
        if not text:
            return None  # Shift, Alt: no character and no effect on the timing
        quick = self._last_at is not None and 0 <= now - self._last_at <= self.max_gap_s
        if text in self._terminators:
            complete = quick and len(self._burst) >= self.min_length
            burst = "".join(self._burst)
            self.reset()
            if not complete:
                return None
            scan = Scan(burst, "wedge", now)
            log.info("wedge scan of %d characters", len(burst))
            if self._on_scan is not None:
                self._on_scan(scan)
            return scan
        if not quick:
            self._burst = []
        if len(self._burst) + len(text) > MAX_SCAN_CHARS:
            self.reset()
            return None
        self._burst.extend(text)
        self._last_at = now
        return None


class SerialScanner:
    """A scanner on a serial port (RS-232 or USB CDC), read on its own thread.

    ``on_scan`` and ``on_error`` run on the scanner's thread: the Qt adapter must hand
    them to the UI thread with a queued signal. A port that is missing or unplugged is
    reported once and retried every ``reopen_s`` until ``stop``.
    """

    def __init__(self, port: str, on_scan: ScanCallback, on_error: ErrorCallback | None = None,
                 baudrate: int = 9600, frame_gap_s: float = 0.2, reopen_s: float = 2.0,
                 open_port: Callable[..., Any] = serial.Serial) -> None:
        if not port:
            raise BadInput("the serial scanner needs a port, e.g. /dev/ttyACM0: set it in the "
                           "scanner settings")
        self.port = port
        self.baudrate = baudrate
        self.frame_gap_s = frame_gap_s
        self.reopen_s = reopen_s
        self._on_scan = on_scan
        self._on_error = on_error
        self._open_port = open_port
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._serial: Any = None
        self.connected = threading.Event()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="scanner-serial", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop reading and close the port; returns once the thread has ended."""
        self._stop.set()
        port = self._serial
        if port is not None and hasattr(port, "cancel_read"):
            try:
                port.cancel_read()
            except (OSError, serial.SerialException):
                pass
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        reported = False
        while not self._stop.is_set():
            try:
                self._serial = self._open_port(self.port, baudrate=self.baudrate,
                                               timeout=self.frame_gap_s)
            except (OSError, serial.SerialException, ValueError) as error:
                if not reported:
                    _report(self._on_error, ScannerError(
                        f"cannot open the scanner port {self.port} ({type(error).__name__}): "
                        "check the cable and the port setting; retrying"))
                    reported = True
                self._stop.wait(self.reopen_s)
                continue
            reported = False
            log.info("serial scanner open on %s", self.port)
            self.connected.set()
            try:
                self._read(self._serial)
            except (OSError, serial.SerialException) as error:
                if not self._stop.is_set():
                    _report(self._on_error, ScannerError(
                        f"the scanner on {self.port} went away ({type(error).__name__}): "
                        "reconnecting"))
            finally:
                self.connected.clear()
                try:
                    self._serial.close()
                except (OSError, serial.SerialException):
                    pass
                self._serial = None

    def _read(self, port: Any) -> None:
        buffer = bytearray()
        while not self._stop.is_set():
            chunk = port.read(max(1, getattr(port, "in_waiting", 0) or 0))
            if not chunk:
                # A silence ends a code from scanners set to send no CR/LF suffix.
                if buffer:
                    self._emit(bytes(buffer))
                    buffer.clear()
                continue
            buffer.extend(chunk)
            *lines, rest = _split_lines(buffer)
            for line in lines:
                self._emit(line)
            buffer[:] = rest
            if len(buffer) > MAX_SCAN_CHARS * 4:  # 4 bytes per UTF-8 character at most
                buffer.clear()
                _report(self._on_error, ScannerError(
                    "the scanner sent a code longer than any QR code without an end: "
                    "set the scanner to end each code with CR or LF"))

    def _emit(self, raw: bytes) -> None:
        if not raw:
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # CR and LF never occur inside a UTF-8 sequence, so framing cannot split one:
            # undecodable bytes mean the scanner is set to another code page.
            _report(self._on_error, ScannerError(
                f"the scanner sent {len(raw)} bytes that are not UTF-8 text: set the "
                "scanner's output to UTF-8 and scan again"))
            return
        text = text.removeprefix("\ufeff")
        if not text.strip():
            return
        log.info("serial scan of %d characters", len(text))
        self._on_scan(Scan(text, "serial"))


def _split_lines(buffer: bytes | bytearray) -> list[bytes]:
    """Complete lines (CR, LF or CRLF ended, empty ones dropped) and, last, the unfinished rest."""
    parts: list[bytes] = []
    start = 0
    for index, byte in enumerate(buffer):
        if byte in _TERMINATORS:
            if index > start:
                parts.append(bytes(buffer[start:index]))
            start = index + 1
    parts.append(bytes(buffer[start:]))
    return parts


class VirtualScanner:
    """A scanner that scans what it is given: for the demo ("show card") and for tests."""

    def __init__(self, on_scan: ScanCallback) -> None:
        self._on_scan = on_scan
        self.running = False

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    def scan(self, text: str) -> Scan:
        """Deliver ``text`` as a scan, on the caller's thread."""
        if not text or len(text) > MAX_SCAN_CHARS:
            raise BadInput(f"a scan is 1 to {MAX_SCAN_CHARS} characters")
        if not self.running:
            raise ScannerError("the virtual scanner is stopped: start it first")
        scan = Scan(text, "virtual")
        self._on_scan(scan)
        return scan


def open_scanner(kind: str, on_scan: ScanCallback, on_error: ErrorCallback | None = None,
                 port: str = "", baudrate: int = 9600, max_gap_s: float = 0.05,
                 min_length: int = 4) -> WedgeAssembler | SerialScanner | VirtualScanner:
    """The scanner a kiosk's settings name; not started yet."""
    if kind == "wedge":
        return WedgeAssembler(on_scan, max_gap_s=max_gap_s, min_length=min_length)
    if kind == "serial":
        return SerialScanner(port, on_scan, on_error, baudrate=baudrate)
    if kind == "virtual":
        return VirtualScanner(on_scan)
    raise BadInput(f"unknown scanner kind {kind!r}: use one of {', '.join(KINDS)}")
