"""Receipt printers behind one small interface: a CUPS queue, a raw ESC/POS thermal printer,
or PDF files in a folder (demo, tests, kiosks without a printer).

A failed print must never block the resident: every backend raises :class:`PrinterError`
with a ``state`` the UI can show ("out of paper", "cover open"...), and the caller then
shows the QR on screen and offers a reprint. Nothing here knows about receipts or dossiers.
"""

from __future__ import annotations

import logging
import os
import re
import select
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from PIL import Image

from kiosk.errors import KioskError

log = logging.getLogger(__name__)

READY, OFFLINE, OUT_OF_PAPER, PAPER_LOW, COVER_OPEN, UNKNOWN = (
    "ready", "offline", "out_of_paper", "paper_low", "cover_open", "unknown")
BLOCKING_STATES = (OFFLINE, OUT_OF_PAPER, COVER_OPEN)
ESCPOS_DOTS = 576           # printable width of an 80 mm roll at 203 dpi (72 mm × 8 dots/mm)
ESCPOS_DPI = 203.2          # 8 dots per millimetre
ESCPOS_BAND_ROWS = 256      # rows per GS v 0 command: small enough for common input buffers
COMMAND_TIMEOUT_S = 20


class PrinterError(KioskError):
    """Printing failed or cannot start; ``state`` says why, in the terms of PrinterStatus."""

    exit_code = 4

    def __init__(self, message: str, state: str = UNKNOWN) -> None:
        super().__init__(message)
        self.state = state


@dataclass(frozen=True)
class PrinterStatus:
    state: str
    detail: str = ""

    @property
    def can_print(self) -> bool:
        return self.state not in BLOCKING_STATES


@dataclass(frozen=True)
class PrintJob:
    printer: str
    job_id: str
    submitted_at: datetime


class Printer(Protocol):
    name: str

    def status(self) -> PrinterStatus: ...

    def print_pdf(self, pdf: bytes, title: str) -> PrintJob: ...


# --- CUPS -------------------------------------------------------------------------------

# IPP printer-state-reasons (RFC 8011 §5.4.12, PWG 5100.x) mapped to our states.
_CUPS_REASONS = (("media-empty", OUT_OF_PAPER), ("media-needed", OUT_OF_PAPER),
                 ("cover-open", COVER_OPEN), ("door-open", COVER_OPEN),
                 ("offline", OFFLINE), ("shutdown", OFFLINE), ("paused", OFFLINE),
                 ("media-low", PAPER_LOW))


def parse_lpstat(output: str) -> PrinterStatus:
    """The state of a queue from `lpstat -l -p QUEUE` output."""
    disabled = re.search(r"\bdisabled since\b", output) is not None
    alerts = re.search(r"Alerts:\s*(.*)", output)
    reasons = alerts.group(1).split() if alerts else []
    for fragment, state in _CUPS_REASONS:
        if any(fragment in reason for reason in reasons):
            if state == PAPER_LOW and disabled:
                continue
            return PrinterStatus(state, " ".join(reasons))
    if disabled:
        return PrinterStatus(OFFLINE, "queue disabled" + (f" ({' '.join(reasons)})" if reasons else ""))
    return PrinterStatus(READY, " ".join(reasons))


class CupsPrinter:
    """A CUPS queue, driven through the `lp` and `lpstat` commands (cups-client)."""

    def __init__(self, queue: str, server: str | None = None) -> None:
        if not queue:
            raise PrinterError("no CUPS queue configured (printer.queue)", OFFLINE)
        self.queue = queue
        self.name = f"cups:{queue}"
        self.server = server

    def _run(self, args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess:
        env = dict(os.environ)
        if self.server:
            env["CUPS_SERVER"] = self.server
        try:
            return subprocess.run(args, input=data, capture_output=True, env=env,
                                  timeout=COMMAND_TIMEOUT_S, check=False)
        except FileNotFoundError:
            raise PrinterError(f"{args[0]} not found: install cups-client", OFFLINE) from None
        except subprocess.TimeoutExpired:
            raise PrinterError("the CUPS server did not answer in time", OFFLINE) from None

    def status(self) -> PrinterStatus:
        result = self._run(["lpstat", "-l", "-p", self.queue])
        if result.returncode != 0:
            error = result.stderr.decode("utf-8", "replace").strip()
            return PrinterStatus(OFFLINE, error or "lpstat failed")
        return parse_lpstat(result.stdout.decode("utf-8", "replace"))

    def print_pdf(self, pdf: bytes, title: str) -> PrintJob:
        state = self.status()
        if not state.can_print:
            raise PrinterError(f"printer {self.queue} cannot print: {state.state} "
                               f"({state.detail})", state.state)
        result = self._run(["lp", "-d", self.queue, "-t", title, "-o", "document-format="
                            "application/pdf", "-"], data=pdf)
        out = result.stdout.decode("utf-8", "replace")
        match = re.search(r"request id is (\S+)", out)
        if result.returncode != 0 or not match:
            error = result.stderr.decode("utf-8", "replace").strip()
            raise PrinterError(f"CUPS refused the job: {error or out.strip()}", OFFLINE)
        log.info("print job %s sent to %s", match.group(1), self.queue)
        return PrintJob(self.name, match.group(1), datetime.now(UTC))


# --- ESC/POS raster ------------------------------------------------------------------------

def pdf_to_raster(pdf: bytes, dots: int = ESCPOS_DOTS, dpi: float = ESCPOS_DPI) -> Image.Image:
    """The PDF's first page at the printer's resolution, as a 1-bit image ``dots`` wide.

    The page is rendered at 8 dots/mm and centred: an 80 mm page (640 dots) loses its 4 mm
    margins, a narrower one is padded with white.
    """
    with tempfile.TemporaryDirectory(prefix="kiosk-escpos-") as folder:
        target = Path(folder) / "page.pdf"
        target.write_bytes(pdf)
        try:
            subprocess.run(["pdftoppm", "-r", f"{dpi}", "-gray", "-png", "-singlefile",
                            str(target), str(Path(folder) / "page")],
                           check=True, capture_output=True, timeout=COMMAND_TIMEOUT_S)
        except (FileNotFoundError, subprocess.CalledProcessError, subprocess.TimeoutExpired):
            raise PrinterError("could not rasterize the receipt (pdftoppm)", UNKNOWN) from None
        with Image.open(Path(folder) / "page.png") as page:
            gray = page.convert("L")
    canvas = Image.new("L", (dots, gray.height), 255)
    canvas.paste(gray, ((dots - gray.width) // 2, 0))
    return threshold(canvas)


def threshold(image: Image.Image, level: int = 160) -> Image.Image:
    """1-bit with black = 1 bits when packed (ESC/POS prints set bits), no dithering: QR
    modules and glyph edges stay crisp."""
    gray = image.convert("L")
    return gray.point(lambda value: 255 if value < level else 0, mode="1")


def raster_to_escpos(bitmap: Image.Image, feed_lines: int = 4, cut: bool = True) -> bytes:
    """ESC/POS bytes printing ``bitmap`` (mode "1", set bit = black dot) with GS v 0."""
    if bitmap.mode != "1":
        raise ValueError("raster_to_escpos needs a 1-bit image")
    width_bytes = (bitmap.width + 7) // 8
    out = bytearray(b"\x1b\x40")  # ESC @: initialise
    for top in range(0, bitmap.height, ESCPOS_BAND_ROWS):
        band = bitmap.crop((0, top, width_bytes * 8, min(bitmap.height, top + ESCPOS_BAND_ROWS)))
        rows = band.height
        # GS v 0 m xL xH yL yH d1...dk (m = 0: normal density)
        out += b"\x1d\x76\x30\x00" + bytes((width_bytes & 0xFF, width_bytes >> 8,
                                            rows & 0xFF, rows >> 8))
        out += band.tobytes()
    out += b"\x1b\x64" + bytes((feed_lines,))  # ESC d n: feed n lines
    if cut:
        out += b"\x1d\x56\x42\x00"  # GS V 66 0: feed to the cutter and cut partially
    return bytes(out)


def parse_dle_eot(query: int, answer: int) -> PrinterStatus:
    """Decode a real-time status byte (DLE EOT n, ESC/POS): n=2 offline cause, n=4 paper."""
    if answer & 0x93 != 0x12:  # fixed bits 0,1,4,7 must read 0,1,1,0
        return PrinterStatus(UNKNOWN, f"unexpected status byte {answer:#04x}")
    if query == 2:
        if answer & 0x04:
            return PrinterStatus(COVER_OPEN, "cover open")
        if answer & 0x20:
            return PrinterStatus(OUT_OF_PAPER, "paper end")
        if answer & 0x40:
            return PrinterStatus(OFFLINE, "printer error")
        return PrinterStatus(READY)
    if query == 4:
        if answer & 0x60:
            return PrinterStatus(OUT_OF_PAPER, "paper roll end")
        if answer & 0x0C:
            return PrinterStatus(PAPER_LOW, "paper roll near end")
        return PrinterStatus(READY)
    return PrinterStatus(UNKNOWN, f"status query {query} not interpreted")


class EscPosPrinter:
    """A thermal printer taking raw ESC/POS on a device node (USB printer class, serial) or,
    for tests and spooling, a plain file."""

    def __init__(self, device: str | Path, dots: int = ESCPOS_DOTS,
                 status_timeout_s: float = 0.5) -> None:
        if not str(device):
            raise PrinterError("no ESC/POS device configured (printer.queue)", OFFLINE)
        self.device = Path(device)
        self.dots = dots
        self.status_timeout_s = status_timeout_s
        self.name = f"escpos:{self.device}"

    def _is_char_device(self) -> bool:
        try:
            return stat.S_ISCHR(self.device.stat().st_mode)
        except OSError:
            return False

    def _query(self, query: int) -> int | None:
        fd = os.open(self.device, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        try:
            os.write(fd, bytes((0x10, 0x04, query)))
            ready, _, _ = select.select([fd], [], [], self.status_timeout_s)
            if not ready:
                return None
            answer = os.read(fd, 1)
            return answer[0] if answer else None
        finally:
            os.close(fd)

    def status(self) -> PrinterStatus:
        if self.device.exists() and not self._is_char_device():
            return PrinterStatus(READY, "spool file") if os.access(
                self.device.parent, os.W_OK) else PrinterStatus(OFFLINE, "not writable")
        if not self.device.exists():
            if self.device.parent.is_dir() and not str(self.device).startswith("/dev/"):
                return PrinterStatus(READY, "spool file (new)")
            return PrinterStatus(OFFLINE, "device not present")
        try:
            for query in (2, 4):
                answer = self._query(query)
                if answer is None:
                    return PrinterStatus(UNKNOWN, "printer does not report status")
                state = parse_dle_eot(query, answer)
                if state.state != READY:
                    return state
        except OSError as error:
            return PrinterStatus(OFFLINE, f"cannot open device ({error.strerror})")
        return PrinterStatus(READY)

    def print_raster(self, bitmap: Image.Image, title: str) -> PrintJob:
        state = self.status()
        if not state.can_print:
            raise PrinterError(f"printer {self.device} cannot print: {state.state}", state.state)
        data = raster_to_escpos(bitmap)
        try:
            with open(self.device, "ab") as handle:
                handle.write(data)
        except OSError as error:
            raise PrinterError(f"writing to {self.device} failed ({error.strerror})",
                               OFFLINE) from None
        log.info("ESC/POS job %r: %d bytes, %d rows to %s", title, len(data), bitmap.height,
                 self.device)
        return PrintJob(self.name, f"{len(data)}B", datetime.now(UTC))

    def print_pdf(self, pdf: bytes, title: str) -> PrintJob:
        return self.print_raster(pdf_to_raster(pdf, self.dots), title)


# --- PDF files ------------------------------------------------------------------------------

class PdfFilePrinter:
    """Writes each job as a PDF file in a folder: the demo's printer, and a spool for later."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.name = f"pdf:{self.folder}"

    def status(self) -> PrinterStatus:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return PrinterStatus(OFFLINE, f"folder unavailable ({error.strerror})")
        return PrinterStatus(READY) if os.access(self.folder, os.W_OK) else PrinterStatus(
            OFFLINE, "folder not writable")

    def print_pdf(self, pdf: bytes, title: str) -> PrintJob:
        state = self.status()
        if not state.can_print:
            raise PrinterError(f"cannot write receipts to {self.folder}: {state.detail}", OFFLINE)
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", title).strip("_") or "job"
        path = self.folder / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{stem}.pdf"
        path.write_bytes(pdf)
        return PrintJob(self.name, path.name, datetime.now(UTC))


def open_printer(backend: str, queue: str, spool_folder: Path, cups_server: str | None = None
                 ) -> Printer:
    """The configured printer (settings.printer.backend / .queue)."""
    if backend == "cups":
        return CupsPrinter(queue, server=cups_server)
    if backend == "escpos":
        return EscPosPrinter(queue)
    if backend == "pdf":
        return PdfFilePrinter(Path(queue) if queue else spool_folder)
    raise PrinterError(f"unknown printer backend {backend!r}; use cups, escpos or pdf", OFFLINE)
