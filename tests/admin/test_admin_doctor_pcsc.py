"""The doctor against a real PC/SC stack: pcscd + vsmartcard's vpcd reader + a virtual card."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from kiosk.admin import doctor, host_checks
from kiosk.admin.doctor import Verdict
from kiosk.processes import die_with_parent

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
VICC = SHARED / "tools" / "vicc" / "vicc_epass.py"
PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
VPCD_PORT = 35963
DEMO_ID = "001090012345"


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _pcscd_running() -> bool:
    if not PCSCD_SOCKET.exists():
        return False
    with socket.socket(socket.AF_UNIX) as sock:
        return sock.connect_ex(str(PCSCD_SOCKET)) == 0


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _card_present() -> bool:
    from smartcard import scard

    result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if result != scard.SCARD_S_SUCCESS:
        return False
    try:
        result, readers = scard.SCardListReaders(context, [])
        if result != scard.SCARD_S_SUCCESS or not readers:
            return False
        result, states = scard.SCardGetStatusChange(
            context, 0, [(r, scard.SCARD_STATE_UNAWARE) for r in readers])
        return result == scard.SCARD_S_SUCCESS and any(
            state & scard.SCARD_STATE_PRESENT for _, state, _ in states)
    finally:
        scard.SCardReleaseContext(context)


@pytest.fixture(scope="module")
def pcsc_card(tmp_path_factory):
    """Our own pcscd (foreground) with the vpcd reader and vicc holding the demo card."""
    if shutil.which("pcscd") is None or not VICC.exists() or not Path("/usr/bin/python3").exists():
        pytest.skip("pcscd / vsmartcard not installed (see scripts/apt-test.txt)")
    if _pcscd_running():
        pytest.skip("another pcscd owns /run/pcscd/pcscd.comm; not starting a second one")
    from kiosk.devices.card.virtual.personalize import write_card_files

    card_dir = tmp_path_factory.mktemp("doctor-card")
    write_card_files(DEMO_ID, card_dir)
    logs = tmp_path_factory.mktemp("doctor-pcsc-logs")
    pcscd = subprocess.Popen(["pcscd", "--foreground"], stdout=(logs / "pcscd.log").open("wb"),
                             stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
    vicc = None
    try:
        deadline = time.monotonic() + 15
        while not _listening(VPCD_PORT):
            if pcscd.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"pcscd did not open the vpcd port; see {logs / 'pcscd.log'}")
            time.sleep(0.05)
        mrz = (card_dir / "MRZ.txt").read_text(encoding="ascii").strip()
        vicc = subprocess.Popen(["/usr/bin/python3", str(VICC), "--quickack", "--mrz", mrz,
                                 "--dg-dir", str(card_dir)],
                                stdout=(logs / "vicc.log").open("wb"), stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, preexec_fn=die_with_parent)
        deadline = time.monotonic() + 20
        while not _card_present():
            if vicc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"vicc's card never appeared; see {logs / 'vicc.log'}")
            time.sleep(0.1)
        yield
    finally:
        if vicc is not None:
            _stop(vicc)
        _stop(pcscd)


def test_doctor_sees_pcscd_reader_atr_and_icao_applet(kiosk_home, pcsc_card):
    """pcscd answers; the vpcd reader is listed with the card's ATR; the chip answers SELECT."""
    from kiosk.config import load_settings

    settings = load_settings(demo=True, overrides={"card.backend": "pcsc"})
    report = doctor.run(settings, [host_checks.check_pcscd, host_checks.check_card_readers])
    pcscd, readers = report.findings
    assert pcscd.verdict == Verdict.OK and pcscd.details["version"]
    assert readers.verdict == Verdict.OK
    with_card = [r for r in readers.details["readers"] if r["card_present"]]
    assert with_card and with_card[0]["atr"].startswith("3B")
    assert with_card[0]["icao_applet"] is True
    assert DEMO_ID not in report.as_json()


def test_configured_reader_missing_is_a_failure(kiosk_home, pcsc_card):
    """A card.reader name that is not connected fails with the connected readers listed."""
    from kiosk.config import load_settings

    settings = load_settings(demo=True, overrides={"card.backend": "pcsc",
                                                   "card.reader": "No Such Reader 00 00"})
    result = host_checks.check_card_readers(doctor.Probe(settings))
    assert result.verdict == Verdict.FAILURE and result.details["readers"]
