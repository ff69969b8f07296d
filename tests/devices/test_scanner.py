"""QR/barcode scanners: wedge bursts told from typing, serial framing over a real pty, UTF-8."""

from __future__ import annotations

import os
import queue
import threading
import time

import pytest

from kiosk.devices.scanner import (
    Scan,
    ScannerError,
    SerialScanner,
    VirtualScanner,
    WedgeAssembler,
    open_scanner,
)
from kiosk.errors import BadInput

CARD_QR = "001090012345||Nguyễn Văn An|15021990|Nam|Số 12 ngõ 34 phố Nguyễn Trãi, Hà Nội|10052021"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def type_keys(wedge: WedgeAssembler, clock: Clock, text: str, gap: float) -> list[Scan]:
    scans = []
    for char in text:
        clock.now += gap
        scan = wedge.key(char)
        if scan is not None:
            scans.append(scan)
    return scans


def test_wedge_burst_ending_in_enter_is_a_scan() -> None:
    """Characters 8 ms apart ending with Enter become one scan, given to the callback too."""
    clock = Clock()
    got: list[Scan] = []
    wedge = WedgeAssembler(got.append, clock=clock)
    scans = type_keys(wedge, clock, "001090012345|15021990\r", gap=0.008)
    assert [scan.text for scan in scans] == ["001090012345|15021990"]
    assert got == scans and got[0].source == "wedge"
    assert wedge.pending == 0


def test_wedge_ignores_a_person_typing() -> None:
    """A person typing digits 150 ms apart and pressing Enter makes no scan."""
    clock = Clock()
    wedge = WedgeAssembler(clock=clock)
    assert type_keys(wedge, clock, "001090012345\r", gap=0.15) == []
    assert wedge.pending == 0


def test_wedge_slow_prefix_then_scan() -> None:
    """Slow keys before a burst are dropped: the scan holds only the fast burst."""
    clock = Clock()
    wedge = WedgeAssembler(clock=clock)
    assert type_keys(wedge, clock, "ab", gap=0.3) == []
    clock.now += 0.5
    scans = type_keys(wedge, clock, "QR-0042\n", gap=0.004)
    assert [scan.text for scan in scans] == ["QR-0042"]


def test_wedge_needs_a_quick_enter_and_a_minimum_length() -> None:
    """A burst whose Enter comes late, or one shorter than min_length, is not a scan."""
    clock = Clock()
    wedge = WedgeAssembler(clock=clock, min_length=6)
    assert type_keys(wedge, clock, "12345678", gap=0.005) == []
    clock.now += 0.4
    assert wedge.key("\r") is None
    assert type_keys(wedge, clock, "123\r", gap=0.005) == []


def test_wedge_modifiers_and_explicit_times() -> None:
    """Shift presses (empty text) neither break nor join a burst; event times may be passed."""
    wedge = WedgeAssembler(clock=lambda: 0.0)
    at = 5.0
    for char in "AB12CD":
        wedge.key("", at)  # Shift
        at += 0.01
        wedge.key(char, at)
        at += 0.01
    scan = wedge.key("\r", at)
    assert scan is not None and scan.text == "AB12CD"


def test_wedge_reset_drops_a_half_burst() -> None:
    """At the end of a session a partial burst (possibly personal) is dropped."""
    clock = Clock()
    wedge = WedgeAssembler(clock=clock)
    type_keys(wedge, clock, "0010900", gap=0.005)
    assert wedge.pending == 7
    wedge.reset()
    assert wedge.pending == 0
    clock.now += 0.005
    assert wedge.key("\r") is None


def test_scan_repr_hides_the_text() -> None:
    """A scan in a log line or traceback shows its length, never the resident's data."""
    text = repr(Scan(CARD_QR, "serial"))
    assert "001090012345" not in text and "Nguyễn" not in text
    assert f"chars={len(CARD_QR)}" in text


@pytest.fixture
def pty_port():
    """A pseudo-terminal pair: the scanner opens the slave's path, the test writes the master."""
    master, slave = os.openpty()
    path = os.ttyname(slave)
    yield master, path
    for fd in (master, slave):
        try:
            os.close(fd)
        except OSError:
            pass


def serial_scanner(path: str, frame_gap_s: float = 0.1):
    scans: queue.Queue[Scan] = queue.Queue()
    errors: queue.Queue[ScannerError] = queue.Queue()
    scanner = SerialScanner(path, scans.put, errors.put, frame_gap_s=frame_gap_s, reopen_s=0.05)
    return scanner, scans, errors


def test_serial_scanner_reads_utf8_lines_from_a_pty(pty_port) -> None:
    """CR, LF and CRLF framed codes arrive whole and decoded, Vietnamese included, in order."""
    master, path = pty_port
    scanner, scans, errors = serial_scanner(path)
    scanner.start()
    try:
        assert scanner.connected.wait(2)
        os.write(master, CARD_QR.encode() + b"\r\n" + b"ABC-123\r" + "Hòa".encode() + b"\n")
        got = [scans.get(timeout=2) for _ in range(3)]
        assert [scan.text for scan in got] == [CARD_QR, "ABC-123", "Hòa"]
        assert all(scan.source == "serial" for scan in got)
        assert errors.empty()
    finally:
        scanner.stop()
    assert not any(thread.name == "scanner-serial" for thread in threading.enumerate())


def test_serial_multibyte_characters_split_across_writes(pty_port) -> None:
    """A UTF-8 character cut between two reads ("ễ" is 3 bytes) is still decoded right."""
    master, path = pty_port
    scanner, scans, errors = serial_scanner(path, frame_gap_s=0.5)
    scanner.start()
    try:
        assert scanner.connected.wait(2)
        data = "Nguyễn\n".encode()
        cut = data.index("ễ".encode()) + 1
        os.write(master, data[:cut])
        time.sleep(0.1)
        os.write(master, data[cut:])
        assert scans.get(timeout=2).text == "Nguyễn"
        assert errors.empty()
    finally:
        scanner.stop()


def test_serial_code_without_suffix_ends_on_silence(pty_port) -> None:
    """A scanner set to send no CR/LF: the code ends when the line goes quiet."""
    master, path = pty_port
    scanner, scans, _errors = serial_scanner(path, frame_gap_s=0.1)
    scanner.start()
    try:
        assert scanner.connected.wait(2)
        os.write(master, b"8934567890123")
        assert scans.get(timeout=2).text == "8934567890123"
    finally:
        scanner.stop()


def test_serial_bad_bytes_are_reported_without_their_content(pty_port) -> None:
    """Bytes that are not UTF-8 give a typed error saying what to set; the next code still reads."""
    master, path = pty_port
    scanner, scans, errors = serial_scanner(path)
    scanner.start()
    try:
        assert scanner.connected.wait(2)
        os.write(master, "Đà Nẵng".encode("cp1258", errors="replace") + b"\r\nOK-1\r\n")
        error = errors.get(timeout=2)
        assert isinstance(error, ScannerError) and "UTF-8" in error.message
        assert scans.get(timeout=2).text == "OK-1"
    finally:
        scanner.stop()


def test_serial_missing_port_is_reported_once_and_retried(tmp_path) -> None:
    """No device at the path: one clear error, retries in the background, a clean stop."""
    scanner, _scans, errors = serial_scanner(str(tmp_path / "ttyACM9"))
    scanner.start()
    try:
        error = errors.get(timeout=2)
        assert "cannot open the scanner port" in error.message
        time.sleep(0.2)  # several retries
        assert errors.empty()
    finally:
        scanner.stop()


def test_serial_unplug_is_reported(pty_port) -> None:
    """The far end going away (the master closed, as on a USB unplug) is reported, not fatal."""
    master, path = pty_port
    scanner, _scans, errors = serial_scanner(path)
    scanner.start()
    try:
        assert scanner.connected.wait(2)
        os.close(master)
        error = errors.get(timeout=3)
        assert isinstance(error, ScannerError)
    finally:
        scanner.stop()


def test_virtual_scanner_and_factory() -> None:
    """The virtual scanner delivers what it is given; the factory names every kind or refuses."""
    got: list[Scan] = []
    scanner = open_scanner("virtual", got.append)
    assert isinstance(scanner, VirtualScanner)
    with pytest.raises(ScannerError, match="stopped"):
        scanner.scan(CARD_QR)
    scanner.start()
    scanner.scan(CARD_QR)
    assert got[0].text == CARD_QR and got[0].source == "virtual"
    with pytest.raises(BadInput):
        scanner.scan("")
    assert isinstance(open_scanner("wedge", got.append), WedgeAssembler)
    with pytest.raises(BadInput, match="needs a port"):
        open_scanner("serial", got.append)
    with pytest.raises(BadInput, match="unknown scanner kind"):
        open_scanner("bluetooth", got.append)
