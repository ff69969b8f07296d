"""Small helpers for the pcscd fixtures, in their own module so tests can import them
(a conftest module cannot be imported by name reliably: several folders have one)."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from kiosk.processes import stop as stop_process

PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")


def stop(process: subprocess.Popen) -> None:
    stop_process(process, grace_s=5)


def pcscd_running() -> bool:
    if not PCSCD_SOCKET.exists():
        return False
    with socket.socket(socket.AF_UNIX) as sock:
        return sock.connect_ex(str(PCSCD_SOCKET)) == 0
