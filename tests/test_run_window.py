"""`kiosk run` opens a real window on a real X server (Xvfb) and starts the simulator."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.processes import die_with_parent


@pytest.fixture
def xvfb_display():
    """A private Xvfb server; the test is skipped only where Xvfb is not installed."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (make test installs it)")
    for number in range(90, 120):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    process = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        assert process.poll() is None, "Xvfb exited"
        assert time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    yield f":{number}"
    process.terminate()
    process.wait(timeout=10)


def test_kiosk_run_shows_attract_screen_under_x(xvfb_display: str, kiosk_home: Path) -> None:
    """On the xcb platform the window shows its first frame, the embedded portal answers,
    and the process exits cleanly when asked to quit (the simulator child stops with it)."""
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=xvfb_display, QT_QPA_PLATFORM="xcb")
    result = subprocess.run([sys.executable, "-m", "kiosk", "run", "--demo", "--measure-startup"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["attract_shown_s"] > 0
    assert report["portal_url"].startswith("http://127.0.0.1:")
    logs = list(kiosk_home.rglob("kiosk.log"))
    assert logs, "no log written under the kiosk's state directory"
    for line in logs[0].read_text(encoding="utf-8").splitlines():
        json.loads(line)
