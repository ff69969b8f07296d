"""Technician mode in the UI: hidden gesture, PIN with lockout, the doctor's report, actions."""

from __future__ import annotations

import time

from kiosk.ui.technician_model import DEMO_PIN
from kiosk.ui.walkthrough import Walkthrough


def wait_for(drive: Walkthrough, condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        drive.pump(0.1)


def test_hidden_gesture_pin_and_report(drive: Walkthrough) -> None:
    """Five taps on the centre's name ask for the PIN; a wrong PIN is refused and audited
    with the attempts left; the right one shows the doctor's report and the queue, with no
    personal data; 'Close' leaves the mode."""
    technician = drive.kiosk.technician
    for _ in range(4):
        drive.tap("centreName", settle=0.02)
    assert not technician.askingPin
    drive.tap("centreName")
    assert technician.askingPin
    drive.type_on_pad("999999")
    assert not technician.active and "Còn" in technician.message
    drive.type_on_pad(DEMO_PIN)
    assert technician.active
    wait_for(drive, lambda: len(technician.report) > 5)
    checks = {row["check"] for row in technician.report}
    assert len(checks) >= 10  # every doctor check reported
    text = " ".join(row["summary"] + row["fix"] for row in technician.report)
    assert "001090012345" not in text and "Nguyễn" not in text
    entries = drive.kiosk.services.desk.store.audit_entries(limit=20)
    assert any("technician" in str(entry) for entry in entries)
    drive.tap("techLeave")
    assert not technician.active


def test_actions(drive: Walkthrough) -> None:
    """Send now, switch printer, print a test page and export to the USB folder work from
    the panel; each says what it did."""
    technician = drive.kiosk.technician
    for _ in range(5):
        drive.tap("centreName", settle=0.02)
    drive.type_on_pad(DEMO_PIN)
    assert technician.active
    wait_for(drive, lambda: len(technician.report) > 5)
    drive.tap("techSendNow")
    assert "gửi" in technician.message.lower()
    drive.tap("techSwitchPrinter")
    assert "PDF" in technician.message
    drive.tap("techTestPage")
    wait_for(drive, lambda: "trang thử" in technician.message)
    drive.tap("techExport")
    wait_for(drive, lambda: technician.message.startswith("Đã xuất"))
    exported = list((drive.kiosk.services.settings.data_dir / "exports").glob("*"))
    assert any(path.name.startswith("kiosk-support-") for path in exported)
    assert any(path.name.startswith("backlog-") for path in exported)


def test_lockout_after_repeated_failures(drive: Walkthrough) -> None:
    """Repeated wrong PINs lock technician mode for a while, whatever is typed next."""
    technician = drive.kiosk.technician
    for _ in range(5):
        drive.tap("centreName", settle=0.02)
    for _ in range(6):
        drive.type_on_pad("999999")
    drive.type_on_pad(DEMO_PIN)
    assert not technician.active
