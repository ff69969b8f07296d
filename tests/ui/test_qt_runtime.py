"""The Qt runtime the kiosk installs is one it can live with for days."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QObject, Signal
class Emitter(QObject):
    fired = Signal()
emitter = Emitter()
before = sys.getrefcount(True)
for _ in range(100):
    emitter.fired.emit()
print(before, sys.getrefcount(True))
"""


def test_signal_emission_keeps_python_refcounts() -> None:
    """PySide6 6.12.0 dropped a reference to True on every emit, aborting the process after
    a few hundred signals (pyproject excludes it): emitting must not change refcounts.
    Measured in a fresh interpreter, where no other thread touches True meanwhile."""
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr[-1000:]
    before, after = map(int, result.stdout.split())
    assert after == before
