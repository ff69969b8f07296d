"""The sd_notify client speaks the datagram protocol systemd listens to."""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

from kiosk.admin.watchdog import Notifier


def _listener(address: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    sock.settimeout(2)
    return sock


def test_ready_and_ping_reach_a_path_socket(tmp_path: Path):
    """READY=1 (with a status) and WATCHDOG=1 arrive as separate datagrams on $NOTIFY_SOCKET."""
    path = str(tmp_path / "notify.sock")
    with _listener(path) as server:
        notifier = Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "20000000"})
        assert notifier.notify_ready(status="attract screen")
        ready = server.recv(4096).decode().split("\n")
        assert "READY=1" in ready
        assert "STATUS=attract screen" in ready
        assert notifier.ping()
        assert server.recv(4096) == b"WATCHDOG=1"
    assert notifier.ping_interval_s == 10.0


def test_abstract_socket_address():
    """An address starting with '@' is an abstract socket, as systemd may hand out."""
    name = f"kiosk-test-{uuid.uuid4().hex}"
    with _listener("\0" + name) as server:
        assert Notifier({"NOTIFY_SOCKET": "@" + name}).ping()
        assert server.recv(4096) == b"WATCHDOG=1"


def test_without_systemd_every_call_is_a_harmless_no_op():
    """Run by hand or in tests, the app must not fail for lack of a service manager."""
    notifier = Notifier({})
    assert not notifier.enabled
    assert notifier.notify_ready() is False and notifier.ping() is False
    assert notifier.ping_interval_s is None


def test_watchdog_meant_for_another_process_is_ignored():
    """WATCHDOG_PID naming another process means this one must not ping (sd_watchdog_enabled)."""
    notifier = Notifier({"WATCHDOG_USEC": "1000000", "WATCHDOG_PID": str(os.getpid() + 1)})
    assert notifier.ping_interval_s is None


def test_vanished_socket_is_reported_not_raised(tmp_path: Path):
    """If systemd's socket is gone the main loop keeps running; the ping just reports False."""
    assert Notifier({"NOTIFY_SOCKET": str(tmp_path / "gone.sock")}).ping() is False
