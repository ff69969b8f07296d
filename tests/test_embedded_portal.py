"""Demo mode's portal simulator child: starts on a free port, stops with the kiosk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from kiosk.config import RESOURCES
from kiosk.embedded_portal import EmbeddedPortal


def test_start_and_stop() -> None:
    """The simulator answers /health on loopback, and is gone after stop()."""
    portal = EmbeddedPortal(RESOURCES / "demo" / "residents.json")
    url = portal.start()
    try:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/health", timeout=5) as answer:
            assert answer.status == 200
        pid = portal.process.pid
    finally:
        portal.stop()
    time.sleep(0.2)
    assert not os.path.exists(f"/proc/{pid}") or "Z" in open(f"/proc/{pid}/stat").read().split()[2]


def test_simulator_dies_with_a_killed_kiosk() -> None:
    """A kiosk killed with SIGKILL leaves no simulator behind holding a port."""
    script = ("from kiosk.embedded_portal import EmbeddedPortal\n"
              "from kiosk.config import RESOURCES\n"
              "p = EmbeddedPortal(RESOURCES / 'demo' / 'residents.json'); p.start()\n"
              "print(p.process.pid, flush=True)\n"
              "import time; time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child_pid = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 15
    while os.path.exists(f"/proc/{child_pid}"):
        state = open(f"/proc/{child_pid}/stat").read().rsplit(")", 1)[1].split()[0]
        if state == "Z":
            break
        assert time.monotonic() < deadline, "the simulator outlived the kiosk"
        time.sleep(0.1)
