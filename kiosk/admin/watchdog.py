"""systemd readiness and watchdog pings over the sd_notify datagram protocol.

The kiosk unit is ``Type=notify`` with ``WatchdogSec=``: systemd starts counting the
watchdog once the app says ``READY=1``, and restarts it if no ``WATCHDOG=1`` arrives
within the interval. The app pings from its Qt main loop (a timer at
:attr:`Notifier.ping_interval_s`), so a hung UI thread stops the pings and systemd
restarts the kiosk. Protocol: sd_notify(3) — one AF_UNIX datagram of newline-separated
``KEY=VALUE`` to ``$NOTIFY_SOCKET``; a leading ``@`` names an abstract socket.

Outside systemd (development, tests) there is no socket and every call is a no-op that
returns False.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


class Notifier:
    """Talks to the service manager that started this process, if any."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        environ = os.environ if environ is None else environ
        address = environ.get("NOTIFY_SOCKET", "")
        if address.startswith("@"):
            address = "\0" + address[1:]
        self.address = address or None
        self.watchdog_usec = self._watchdog_usec(environ)

    @staticmethod
    def _watchdog_usec(environ: Mapping[str, str]) -> int | None:
        # sd_watchdog_enabled(3): WATCHDOG_PID, when set, must name this process.
        pid = environ.get("WATCHDOG_PID")
        if pid and pid != str(os.getpid()):
            return None
        try:
            usec = int(environ.get("WATCHDOG_USEC", ""))
        except ValueError:
            return None
        return usec if usec > 0 else None

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def ping_interval_s(self) -> float | None:
        """How often to ping: half the watchdog interval, as sd_watchdog_enabled(3) advises."""
        return None if self.watchdog_usec is None else self.watchdog_usec / 2_000_000

    def notify(self, *assignments: str) -> bool:
        """Send ``KEY=VALUE`` lines in one datagram; False when there is nobody to tell."""
        if self.address is None:
            return False
        message = "\n".join(assignments).encode("utf-8")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.connect(self.address)
                sock.sendall(message)
        except OSError as error:
            log.warning("sd_notify failed: %s", type(error).__name__)
            return False
        return True

    def notify_ready(self, status: str | None = None) -> bool:
        """The kiosk is up (window shown, services started): systemd marks the unit active."""
        # No MAINPID=: under cage the app is a child and cage stays the unit's main process
        # (the unit has NotifyAccess=all); cage exits when the app does.
        lines = ["READY=1"]
        if status:
            lines.append(f"STATUS={status}")
        return self.notify(*lines)

    def ping(self) -> bool:
        """Keep-alive from the main loop; call at least every :attr:`ping_interval_s`."""
        return self.notify("WATCHDOG=1")

    def status(self, text: str) -> bool:
        """A one-line state shown by ``systemctl status`` (never personal data)."""
        return self.notify(f"STATUS={text}")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")


_default: Notifier | None = None


def _notifier() -> Notifier:
    global _default
    if _default is None:
        _default = Notifier()
    return _default


def notify_ready(status: str | None = None) -> bool:
    """Tell systemd the kiosk is ready (process-wide notifier from the environment)."""
    return _notifier().notify_ready(status)


def ping() -> bool:
    """Send one watchdog keep-alive (process-wide notifier from the environment)."""
    return _notifier().ping()


def ping_interval_s() -> float | None:
    """Seconds between pings the main loop should use, or None without a watchdog."""
    return _notifier().ping_interval_s
