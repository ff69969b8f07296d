"""The local portal simulator that demo mode starts as a child process (and stops on exit).

The kiosk never imports the simulator: it runs ``python -m portal_sim serve`` and talks to
it over HTTP on loopback, exactly as it would talk to a real portal integration.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.processes import die_with_parent, stop

log = logging.getLogger(__name__)


class PortalSimulatorError(KioskError):
    """The embedded simulator did not start; the kiosk still runs, offline."""


VNEID_DEMO_APPROVAL_S = 4.0


class EmbeddedPortal:
    """A portal simulator child process bound to a free loopback port."""

    def __init__(self, residents_file: Path, start_timeout_s: float = 30.0) -> None:
        self.residents_file = residents_file
        self.start_timeout_s = start_timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url: str | None = None
        self._folder = tempfile.TemporaryDirectory(prefix="kiosk-portal-")
        self._stderr = None

    def log_tail(self, size: int = 800) -> str:
        """The end of the simulator's own log, for error messages."""
        path = Path(self._folder.name) / "portal_sim.log"
        return path.read_bytes()[-size:].decode("utf-8", "replace") if path.exists() else ""

    def start(self) -> str:
        """Start the simulator and wait until it answers /health; return its base URL."""
        self.launch()
        return self.wait_ready()

    def launch(self) -> None:
        """Start the child process without waiting.

        Call it from a thread that lives as long as the kiosk (the main thread): Linux
        delivers the parent-death signal when the *thread* that forked the child exits.
        """
        port_file = Path(self._folder.name) / "port"
        # The simulator's own log goes to a file: a pipe nobody reads would fill and stall it.
        self._stderr = open(Path(self._folder.name) / "portal_sim.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "portal_sim", "serve", "--host", "127.0.0.1", "--port", "0",
             "--port-file", str(port_file), "--residents", str(self.residents_file),
             # No phone at a demo: the simulator's VNeID app approves as the card's holder.
             "--vneid-auto-approve-after", str(VNEID_DEMO_APPROVAL_S)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr,
            preexec_fn=die_with_parent)  # noqa: PLW1509 - no threads run before exec here

    def wait_ready(self) -> str:
        """Wait until the launched simulator answers /health; return its base URL."""
        if self.process is None:
            raise PortalSimulatorError("the portal simulator was not launched")
        port_file = Path(self._folder.name) / "port"
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.log_tail()
                raise PortalSimulatorError(f"the portal simulator exited at start: {error}")
            if port_file.exists():
                url = f"http://127.0.0.1:{int(port_file.read_text())}"
                try:
                    with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                        if answer.status == 200:
                            self.base_url = url
                            log.info("portal simulator listening on %s", url)
                            return url
                except (urllib.error.URLError, OSError):
                    pass
            time.sleep(0.05)
        self.stop()
        raise PortalSimulatorError("the portal simulator did not answer within "
                                   f"{self.start_timeout_s:.0f} s")

    def stop(self) -> None:
        stop(self.process)
        self.process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        self._folder.cleanup()
