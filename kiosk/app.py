"""The composition root: settings → services → the window. The only place that wires things.

Each service is chosen by configuration, never by editing code: demo mode starts the
local portal simulator and uses the virtual card; a provisioned kiosk points at its real
portal integration and its PC/SC reader. Slow start-up work (starting the simulator,
opening the store) runs off the UI thread, so the attract screen shows at once.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
from dataclasses import dataclass, field

from kiosk.config import Settings
from kiosk.embedded_portal import EmbeddedPortal, PortalSimulatorError
from kiosk.journey import Journey, Timing
from kiosk.logs import configure_logging, forget_personal

log = logging.getLogger(__name__)


def _process_age_s() -> float:
    """Seconds since this process was exec'd (from /proc), so start-up includes Python itself."""
    with open("/proc/self/stat", encoding="ascii") as stat:
        start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime", encoding="ascii") as uptime:
        uptime_s = float(uptime.read().split()[0])
    return uptime_s - start_ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Services:
    """The kiosk's back-end services, started in the background and stopped on exit."""

    settings: Settings
    portal: EmbeddedPortal | None = None
    portal_url: str | None = None
    errors: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start_in_background(self) -> None:
        self._thread = threading.Thread(target=self._start, name="services-start", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            if self.settings.portal.url:
                self.portal_url = self.settings.portal.url
            elif self.settings.kiosk.demo:
                self.portal = EmbeddedPortal(self.settings.demo_residents_file)
                self.portal_url = self.portal.start()
        except PortalSimulatorError as error:
            self.errors.append(error.message)
            log.error("portal simulator unavailable; the kiosk runs offline: %s", error.message)
        finally:
            self.ready.set()

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=35)
        if self.portal is not None:
            self.portal.stop()
            self.portal = None


def _rss_megabytes() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run_kiosk(settings: Settings, fullscreen: bool = False, measure_startup: bool = False,
              idle_measure_s: float = 3.0) -> int:
    """Start services and the window; return the Qt event loop's exit code."""
    configure_logging(settings.log_dir, settings.logging.level, settings.logging.max_bytes,
                      settings.logging.backups)
    log.info("kiosk starting (demo=%s, card=%s)", settings.kiosk.demo, settings.card.backend)

    from PySide6.QtCore import QTimer

    from kiosk.ui.window import build_window

    journey = Journey(Timing(settings.ui.idle_timeout_s, settings.ui.idle_warning_s),
                      default_language=settings.ui.language,
                      on_end=lambda reason: (forget_personal(), log.info("session ended: %s", reason)))
    kiosk = build_window(journey, settings.kiosk.centre_name, fullscreen=fullscreen)
    services = Services(settings)
    services.start_in_background()
    kiosk.app.aboutToQuit.connect(services.stop)

    # Let Python see SIGTERM/SIGINT while Qt's loop runs: a systemd stop ends cleanly.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: kiosk.app.quit())
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(250)

    if measure_startup:
        shown: dict[str, float] = {}

        def first_frame() -> None:
            if "attract_s" in shown:
                return
            shown["attract_s"] = _process_age_s()
            QTimer.singleShot(int(idle_measure_s * 1000), report)

        def report() -> None:
            services.ready.wait(timeout=30)
            print(json.dumps({"attract_shown_s": round(shown["attract_s"], 4),
                              "idle_rss_mb": round(_rss_megabytes(), 1),
                              "idle_measured_after_s": idle_measure_s,
                              "portal_url": services.portal_url, "pid": os.getpid()}), flush=True)
            kiosk.app.quit()

        kiosk.window.frameSwapped.connect(first_frame)
    return kiosk.app.exec()
