"""Printing through a REAL CUPS server started for the test session, with its own config.

The queue's device is a tiny test backend writing each job to a folder (CUPS's own file:
device accepts jobs but wrote nothing for raw queues here), so the test can assert that the
job arrived and is a valid PDF. A second backend reports "media-empty" as a printer would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kiosk.devices.printer import (
    COVER_OPEN,
    OFFLINE,
    OUT_OF_PAPER,
    PAPER_LOW,
    READY,
    CupsPrinter,
    PrinterError,
    parse_lpstat,
)
from kiosk.processes import die_with_parent

pytestmark = pytest.mark.hardware

CUPSD = shutil.which("cupsd") or "/usr/sbin/cupsd"

BACKEND = """#!/bin/sh
# Test backend: "spool:/folder" writes each job there; "spool:/folder?fail=REASON" reports
# the printer-state-reason REASON and fails, as a printer out of paper would.
if [ $# -eq 0 ]; then echo 'direct spool "Unknown" "Test spool folder"'; exit 0; fi
target="${DEVICE_URI#spool:}"
case "$target" in
  *\\?fail=*) echo "STATE: +${target#*\\?fail=}" >&2; exit 1 ;;
esac
umask 022
if [ $# -ge 6 ]; then cat "$6" > "$target/job-$1.out"; else cat > "$target/job-$1.out"; fi
"""


def _wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="session")
def cups_server(tmp_path_factory: pytest.TempPathFactory):
    """A private cupsd on a Unix socket; yields (socket path, jobs folder)."""
    if not os.path.exists(CUPSD):
        pytest.skip("cupsd not installed (Debian package cups)")
    root = tmp_path_factory.mktemp("cups")
    for sub in ("spool/tmp", "cache", "state", "log", "run", "ppd", "jobs", "serverbin/backend"):
        (root / sub).mkdir(parents=True)
    (root / "jobs").chmod(0o777)
    for item in Path("/usr/lib/cups").iterdir():
        if item.name != "backend":
            (root / "serverbin" / item.name).symlink_to(item)
    backend = root / "serverbin" / "backend" / "spool"
    backend.write_text(BACKEND)
    backend.chmod(0o700)  # CUPS runs backends without group/other permissions as root
    socket = root / "run" / "cups.sock"
    (root / "cupsd.conf").write_text(f"""Listen {socket}
LogLevel warn
WebInterface No
Browsing No
DefaultAuthType None
ErrorPolicy stop-printer
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
""")
    (root / "cups-files.conf").write_text(f"""FileDevice Yes
ServerRoot {root}
ServerBin {root / 'serverbin'}
RequestRoot {root / 'spool'}
TempDir {root / 'spool' / 'tmp'}
CacheDir {root / 'cache'}
StateDir {root / 'state'}
AccessLog {root / 'log' / 'access_log'}
ErrorLog {root / 'log' / 'error_log'}
PageLog {root / 'log' / 'page_log'}
Printcap {root / 'printcap'}
""")
    process = subprocess.Popen([CUPSD, "-f", "-c", str(root / "cupsd.conf"),
                                "-s", str(root / "cups-files.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=die_with_parent)
    env = {**os.environ, "CUPS_SERVER": str(socket)}
    try:
        if not _wait_for(lambda: subprocess.run(["lpstat", "-r"], env=env, capture_output=True)
                         .stdout.startswith(b"scheduler is running")):
            raise RuntimeError("cupsd did not start: "
                               + (root / "log" / "error_log").read_text(errors="replace")[-2000:])
        for queue, uri in (("receipts", f"spool:{root / 'jobs'}"),
                           ("nopaper", f"spool:{root / 'jobs'}?fail=media-empty-error")):
            subprocess.run(["lpadmin", "-p", queue, "-E", "-v", uri, "-m", "raw"], env=env,
                           check=True, capture_output=True)
        yield str(socket), root / "jobs"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_job_arrives_as_a_valid_pdf(cups_server, signer_pdf: bytes) -> None:
    """A receipt printed through lp reaches the queue's device intact and is a valid PDF."""
    socket, jobs = cups_server
    printer = CupsPrinter("receipts", server=socket)
    assert printer.status().state == READY
    job = printer.print_pdf(signer_pdf, "Phieu K01-0001-Q")
    assert job.job_id.startswith("receipts-")
    number = job.job_id.rsplit("-", 1)[1]
    out = jobs / f"job-{number}.out"
    assert _wait_for(lambda: out.exists() and out.stat().st_size == len(signer_pdf))
    assert out.read_bytes() == signer_pdf
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True)
    assert info.returncode == 0 and b"Pages:" in info.stdout


def test_disabled_queue_is_offline_and_refuses(cups_server, signer_pdf: bytes) -> None:
    """A stopped queue reads as offline and print_pdf raises a typed error, not a hang."""
    socket, _ = cups_server
    env = {**os.environ, "CUPS_SERVER": socket}
    subprocess.run(["cupsdisable", "-r", "technician", "receipts"], env=env, check=True)
    try:
        printer = CupsPrinter("receipts", server=socket)
        assert printer.status().state == OFFLINE
        with pytest.raises(PrinterError) as caught:
            printer.print_pdf(signer_pdf, "x")
        assert caught.value.state == OFFLINE
    finally:
        subprocess.run(["cupsenable", "receipts"], env=env, check=True)
    assert CupsPrinter("receipts", server=socket).status().state == READY


def test_out_of_paper_reported_by_the_backend(cups_server, signer_pdf: bytes) -> None:
    """A backend reporting media-empty shows up as out_of_paper; the next job is refused."""
    socket, _ = cups_server
    printer = CupsPrinter("nopaper", server=socket)
    printer.print_pdf(signer_pdf, "first")  # accepted by CUPS; the device then fails
    assert _wait_for(lambda: printer.status().state == OUT_OF_PAPER), printer.status()
    with pytest.raises(PrinterError) as caught:
        printer.print_pdf(signer_pdf, "second")
    assert caught.value.state == OUT_OF_PAPER


def test_unknown_queue_is_offline(cups_server) -> None:
    """A queue that does not exist is reported offline, not raised."""
    socket, _ = cups_server
    assert CupsPrinter("no-such-queue", server=socket).status().state == OFFLINE


def test_unreachable_server_is_offline(tmp_path) -> None:
    """No scheduler at all: offline."""
    assert CupsPrinter("receipts", server=str(tmp_path / "none.sock")).status().state == OFFLINE


@pytest.mark.parametrize("output, state", [
    ("printer r is idle.  enabled since x\n\tAlerts: none\n", READY),
    ("printer r disabled since x -\n\tPaused\n\tAlerts: paused\n", OFFLINE),
    ("printer r is idle.  enabled since x\n\tAlerts: media-empty-error\n", OUT_OF_PAPER),
    ("printer r is idle.  enabled since x\n\tAlerts: cover-open-warning\n", COVER_OPEN),
    ("printer r is idle.  enabled since x\n\tAlerts: media-low-report\n", PAPER_LOW),
    ("printer r is idle.  enabled since x\n\tAlerts: offline-report\n", OFFLINE),
])
def test_parse_lpstat(output: str, state: str) -> None:
    """IPP printer-state-reasons map to the states the UI shows."""
    assert parse_lpstat(output).state == state


@pytest.fixture(scope="module")
def signer_pdf() -> bytes:
    from kiosk.receipts.document import render_queue_ticket

    return render_queue_ticket("A-001", "Trung tâm (demo)", "Quầy 1")
