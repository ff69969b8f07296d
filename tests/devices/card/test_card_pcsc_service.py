"""The card thread survives pcscd going away and coming back: it reports the loss and
re-establishes its context without a restart (issue 3, "Transport")."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time

import pytest
from pcscd_process import pcscd_running as _pcscd_running
from pcscd_process import stop as _stop

from kiosk.devices.card.errors import ReaderUnavailable
from kiosk.devices.card.pcsc import CardEvent, CardThread, atr_supports_extended
from kiosk.processes import die_with_parent

pytestmark = pytest.mark.hardware


def _wait(predicate, seconds: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_service_lost_and_restored() -> None:
    """Stop pcscd: a service_lost event and ReaderUnavailable (exit 4); start it again:
    service_restored and readers() works again, on the same CardThread."""
    if shutil.which("pcscd") is None:
        pytest.skip("pcscd not installed")
    if _pcscd_running():
        pytest.skip("another pcscd is running; this test needs to stop and start its own")
    events: list[CardEvent] = []
    lock = threading.Lock()

    def record(event: CardEvent) -> None:
        with lock:
            events.append(event)

    def kinds() -> list[str]:
        with lock:
            return [event.kind for event in events]

    pcscd = subprocess.Popen(["pcscd", "--foreground"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)
    thread = CardThread(on_event=record, poll_ms=100)
    try:
        assert _wait(_pcscd_running, 10)
        thread.start()
        assert _wait(lambda: "service_restored" in kinds(), 5)
        assert isinstance(thread.readers(), list)
        _stop(pcscd)
        assert _wait(lambda: "service_lost" in kinds(), 10), kinds()
        with pytest.raises(ReaderUnavailable) as caught:
            thread.readers()
        assert caught.value.exit_code == 4
        pcscd = subprocess.Popen(["pcscd", "--foreground"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)
        assert _wait(lambda: kinds().count("service_restored") >= 2, 15), kinds()
        assert isinstance(thread.readers(), list)
    finally:
        thread.stop()
        _stop(pcscd)


def test_atr_extended_length_capability() -> None:
    """The ATR's card-capabilities byte (compact-TLV 73) announces extended Lc/Le."""
    with_extended = bytes.fromhex("3B888001807300004000900062")  # 73 00 00 40: b7 set
    without = bytes.fromhex("3B888001807300000000900062")
    assert atr_supports_extended(with_extended)
    assert not atr_supports_extended(without)
    assert not atr_supports_extended(b"\x3b")
