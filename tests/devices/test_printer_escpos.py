"""Raw ESC/POS printing: byte-exact against a golden file, the receipt's QR surviving the
raster, real-time status over a pseudo-terminal standing in for a serial printer."""

from __future__ import annotations

import os
import threading
import tty
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from kiosk.devices.printer import (
    COVER_OPEN,
    ESCPOS_DOTS,
    OFFLINE,
    OUT_OF_PAPER,
    PAPER_LOW,
    READY,
    UNKNOWN,
    EscPosPrinter,
    PdfFilePrinter,
    PrinterError,
    open_printer,
    parse_dle_eot,
    raster_to_escpos,
    threshold,
)

GOLDEN = Path(__file__).parent / "printer_golden" / "pattern.escpos"


def _pattern() -> Image.Image:
    """A fixed 576 × 40 test card: border, a black bar, a checker strip."""
    image = Image.new("L", (ESCPOS_DOTS, 40), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, ESCPOS_DOTS - 1, 39), outline=0)
    draw.rectangle((8, 8, 200, 31), fill=0)
    for x in range(216, 560, 8):
        draw.rectangle((x, 8 + (x // 8 % 2) * 12, x + 3, 19 + (x // 8 % 2) * 12), fill=0)
    return threshold(image)


def parse_escpos(data: bytes) -> Image.Image:
    """Decode our ESC/POS stream back into an image (a minimal GS v 0 reader)."""
    assert data[:2] == b"\x1b\x40"
    position, bands = 2, []
    while data[position:position + 4] == b"\x1d\x76\x30\x00":
        width_bytes = data[position + 4] | data[position + 5] << 8
        rows = data[position + 6] | data[position + 7] << 8
        start = position + 8
        bands.append(Image.frombytes("1", (width_bytes * 8, rows),
                                     data[start:start + width_bytes * rows]))
        position = start + width_bytes * rows
    assert data[position:] == b"\x1b\x64\x04\x1d\x56\x42\x00"
    height = sum(b.height for b in bands)
    image = Image.new("1", (bands[0].width, height))
    top = 0
    for band in bands:
        image.paste(band, (0, top))
        top += band.height
    return image


def test_escpos_bytes_match_the_golden_file() -> None:
    """The raster command stream is byte-identical to the reviewed golden file."""
    data = raster_to_escpos(_pattern())
    if os.environ.get("KIOSK_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()
    # And the header is what the ESC/POS manual specifies: GS v 0, 72 bytes × 40 rows.
    assert data[:10] == b"\x1b\x40\x1d\x76\x30\x00\x48\x00\x28\x00"
    assert len(data) == 2 + 8 + 72 * 40 + 7


def test_set_bits_are_black_dots() -> None:
    """A black pixel becomes a set bit (ESC/POS prints set bits)."""
    image = Image.new("L", (16, 1), 255)
    image.putpixel((0, 0), 0)
    data = raster_to_escpos(threshold(image), cut=False)
    assert data[10:12] == b"\x80\x00"


def test_receipt_qr_survives_the_thermal_raster(tmp_path) -> None:
    """Receipt PDF → 576-dot ESC/POS file → decoded image → QR read → seal verifies."""
    from datetime import timedelta

    from kiosk.receipts.document import render_receipt
    from kiosk.receipts.keys import create_portal_pki, issue_receipt_signer
    from kiosk.receipts.samples import sample_receipts
    from kiosk.receipts.seal import seal_receipt
    from kiosk.receipts.trust_list import TrustEntry, build_trust_list, verify_trust_list
    from kiosk.receipts.verify import verify_seal

    receipt = sample_receipts()["received"]
    now = receipt.issued_at
    pki = create_portal_pki(now=now - timedelta(days=1))
    signer = issue_receipt_signer(pki, "KIOSK-DEMO-01", "DEMO-01001", now=now - timedelta(days=1))
    trust = verify_trust_list(build_trust_list(
        [TrustEntry(signer.kid, signer.certificate_der, "KIOSK-DEMO-01", "DEMO-01001", "active")],
        pki.trust_list_signer, issued_at=now, expires_at=now + timedelta(days=1)),
        [pki.ca.certificate], now=now)
    seal = seal_receipt(receipt, signer)
    spool = tmp_path / "escpos.bin"
    job = EscPosPrinter(spool).print_pdf(render_receipt(receipt, seal, "80mm"), "test")
    assert job.printer.startswith("escpos:")
    image = parse_escpos(spool.read_bytes())
    assert image.width == ESCPOS_DOTS
    found = [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
    assert seal in found
    assert verify_seal(seal, trust, now=now)


@pytest.mark.parametrize("query, byte, state", [
    (2, 0x12, READY), (2, 0x16, COVER_OPEN), (2, 0x32, OUT_OF_PAPER), (2, 0x52, OFFLINE),
    (4, 0x12, READY), (4, 0x1E, PAPER_LOW), (4, 0x72, OUT_OF_PAPER), (2, 0xFF, UNKNOWN),
])
def test_parse_real_time_status(query: int, byte: int, state: str) -> None:
    """DLE EOT answers decode per the ESC/POS bit layout (fixed bits checked)."""
    assert parse_dle_eot(query, byte).state == state


def _fake_printer(answers: dict[int, int]) -> tuple[str, threading.Thread, int]:
    """A pseudo-terminal whose far end answers DLE EOT queries like a serial printer."""
    master, slave = os.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)

    def serve() -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(master, 64)
            except OSError:
                return
            buffer += chunk
            while len(buffer) >= 3 and buffer[:2] == b"\x10\x04":
                query, buffer = buffer[2], buffer[3:]
                if query in answers:
                    os.write(master, bytes((answers[query],)))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return path, thread, master


@pytest.mark.parametrize("answers, state", [
    ({2: 0x12, 4: 0x12}, READY),
    ({2: 0x16, 4: 0x12}, COVER_OPEN),
    ({2: 0x12, 4: 0x72}, OUT_OF_PAPER),
    ({}, UNKNOWN),
])
def test_status_over_a_serial_line(answers: dict[int, int], state: str) -> None:
    """The printer's real-time status is queried on a character device with a timeout."""
    path, _, master = _fake_printer(answers)
    try:
        assert EscPosPrinter(path, status_timeout_s=0.3).status().state == state
    finally:
        os.close(master)


def test_cover_open_refuses_to_print() -> None:
    """A printer reporting an open cover raises a typed error instead of losing the job."""
    path, _, master = _fake_printer({2: 0x16, 4: 0x12})
    try:
        with pytest.raises(PrinterError) as caught:
            EscPosPrinter(path, status_timeout_s=0.3).print_raster(_pattern(), "x")
        assert caught.value.state == COVER_OPEN
    finally:
        os.close(master)


def test_missing_device_is_offline() -> None:
    """A USB printer that is unplugged (no device node) is offline."""
    assert EscPosPrinter("/dev/usb/lp-missing").status().state == OFFLINE


def test_pdf_printer_writes_files(tmp_path) -> None:
    """The PDF backend writes each job as a file named after its title."""
    printer = open_printer("pdf", "", tmp_path / "spool")
    assert isinstance(printer, PdfFilePrinter)
    job = printer.print_pdf(b"%PDF-1.4 test", "Phieu K01/0001")
    assert (tmp_path / "spool" / job.job_id).read_bytes() == b"%PDF-1.4 test"
    assert "/" not in job.job_id


def test_unknown_backend_is_a_typed_error(tmp_path) -> None:
    """A misconfigured backend name raises PrinterError."""
    with pytest.raises(PrinterError):
        open_printer("laser", "", tmp_path)
