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
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.config import Settings
from kiosk.desk import FrontDesk
from kiosk.embedded_portal import EmbeddedPortal, PortalSimulatorError
from kiosk.errors import KioskError
from kiosk.journey import Journey, Timing
from kiosk.logs import configure_logging, forget_personal

if TYPE_CHECKING:
    from kiosk.ui.session_model import SessionModel
    from kiosk.ui.technician_model import TechnicianModel
    from kiosk.ui.volunteer_model import VolunteerModel
    from kiosk.ui.window import KioskWindow

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
    """The kiosk's back-end services, started in the background and stopped on exit.

    The front desk exists from the start (card reader, catalogue); the store, the portal
    client, sync and receipts attach to it when they are ready. Until then, and if one of
    them cannot start, the desk says so instead of blocking the window.
    """

    settings: Settings
    desk: FrontDesk
    portal: EmbeddedPortal | None = None
    portal_url: str | None = None
    errors: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    on_sync_status: Callable[[object], None] | None = None
    _thread: threading.Thread | None = None

    def start_in_background(self) -> None:
        if not self.settings.portal.url and self.settings.kiosk.demo:
            # Launched from the calling (main) thread: see EmbeddedPortal.launch.
            self.portal = EmbeddedPortal(self.settings.demo_residents_file)
            self.portal.launch()
        self._thread = threading.Thread(target=self._start, name="services-start", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        settings, desk = self.settings, self.desk
        try:
            try:
                if settings.portal.url:
                    self.portal_url = settings.portal.url
                elif self.portal is not None:
                    self.portal_url = self.portal.wait_ready()
            except PortalSimulatorError as error:
                self.errors.append(error.message)
                log.error("portal simulator unavailable; the kiosk runs offline: %s", error.message)
            try:
                from kiosk.store import open_configured_store

                desk.store = open_configured_store(settings)
            except KioskError as error:
                self.errors.append(error.message)
                log.error("the store could not be opened: %s", error.message)
            if self.portal_url:
                from kiosk.sync.client import PortalClient

                desk.client = PortalClient.from_settings(settings, self.portal_url)
            if desk.store is not None and desk.client is not None:
                from kiosk.sync.engine import SyncEngine

                desk.sync = SyncEngine(desk.store, desk.client, settings, on_status=self.on_sync_status)
                desk.sync.start()
            from kiosk.devices.printer import open_printer
            from kiosk.receipts.issuing import ReceiptDesk
            from kiosk.receipts.keys import load_signer

            signer = load_signer(settings.data_dir, demo=settings.kiosk.demo,
                                 kiosk_id=settings.kiosk.kiosk_id,
                                 centre_code=settings.kiosk.centre_code,
                                 centre_name=settings.kiosk.centre_name)
            printer = open_printer(settings.printer.backend, settings.printer.queue,
                                   settings.data_dir / "printed")
            from kiosk.receipts.payment import collection_account

            desk.receipts = ReceiptDesk(signer, printer, desk.store, layout=settings.printer.paper,
                                        payment_account=collection_account(settings))
        except KioskError as error:
            self.errors.append(error.message)
            log.error("a service failed to start: %s", error.message)
        finally:
            self.ready.set()

    def audit(self, actor_kind: str, actor_id: str, action: str, subject: str | None = None,
              details: dict | None = None) -> None:
        """Audit through the store once it is open (sign-ins before that are only logged)."""
        if self.desk.store is not None:
            self.desk.store.audit(actor_kind, actor_id, action, subject, details)
        else:
            log.info("audit before the store opened: %s %s", actor_kind, action)

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=35)
        if self.desk.sync is not None:
            self.desk.sync.stop()
        if self.desk.client is not None:
            self.desk.client.close()
        if self.desk.store is not None:
            self.desk.store.close()
        self.desk.reader.close()
        if self.portal is not None:
            self.portal.stop()
            self.portal = None


def build_desk(settings: Settings) -> FrontDesk:
    """The front desk with what is quick to build: the card reader and the form catalogue."""
    from kiosk.devices.card.config_trust import trust_store_for
    from kiosk.devices.card.readers import open_reader
    from kiosk.forms.catalogue import Catalogue

    return FrontDesk(settings, reader=open_reader(settings), catalogue=Catalogue(),
                     store=None, trust_store=trust_store_for(settings))


def build_verification(settings: Settings, desk: FrontDesk) -> Any:
    """The verify step's means: the face check when a camera is configured (the demo's is
    virtual), VNeID once the portal client is up."""
    from kiosk.identity.verification import FaceCheck, Verification

    signins: list[Any] = []

    def vneid() -> Any:
        # Its own client: a long poll holds a connection for up to 25 s, away from sync's.
        if not signins:
            from kiosk.identity.vneid import vneid_signin_for
            from kiosk.sync.client import PortalClient

            client = PortalClient.from_settings(settings, desk.client.base_url)
            signins.append(vneid_signin_for(settings, client))
        return signins[0]

    face_check = None
    if settings.face.camera != "none":
        face_check = FaceCheck(settings)
    return Verification(face_check=face_check, vneid=vneid)


@dataclass
class Kiosk:
    """Everything a running kiosk is made of; shots and the walkthrough build the same."""

    window: KioskWindow
    services: Services
    session: SessionModel
    technician: TechnicianModel
    volunteer: VolunteerModel
    verify: Any = None
    outcome: Any = None

    def close(self) -> None:
        """Close the window, let running workers finish, then stop the services they use."""
        self.window.window.close()
        if self.verify is not None:
            self.verify.shutdown()
        self.session._workers.wait(30_000)
        self.services.stop()


def build_kiosk(settings: Settings, *, fullscreen: bool = False, size: tuple[int, int] = (1280, 800),
                clock: Callable[[], float] | None = None, start_services: bool = True) -> Kiosk:
    from PySide6.QtGui import QGuiApplication

    from kiosk.ui.images import SessionImages
    from kiosk.ui.session_model import SessionModel
    from kiosk.ui.window import build_window
    from kiosk.ui.worker import Workers

    journey = Journey(Timing(settings.ui.idle_timeout_s, settings.ui.idle_warning_s),
                      default_language=settings.ui.language, clock=clock or time.monotonic,
                      on_end=lambda reason: (forget_personal(), log.info("session ended: %s", reason)))
    services = Services(settings, build_desk(settings))
    images = SessionImages()
    session = SessionModel(journey, services.desk, Workers(), images, demo=settings.kiosk.demo)
    from kiosk.ui.technician_model import TechnicianModel

    technician = TechnicianModel(settings, services.desk, session._workers,
                                 quit_app=lambda: QGuiApplication.instance().quit())
    from kiosk.ui.volunteer_model import VolunteerModel
    from kiosk.volunteers import VolunteerDesk, register_for

    volunteers = VolunteerDesk(register_for(settings), audit=services.audit)
    volunteer = VolunteerModel(journey, volunteers)
    from kiosk.ui.verify_model import VerifyModel

    verify = VerifyModel(journey, build_verification(settings, services.desk), volunteers,
                         session._workers, images, portal_ready=services.desk.portal_online)
    session.verify = verify
    from kiosk.ui.outcome_model import OutcomeModel

    outcome = OutcomeModel(journey, services.desk, session._workers, images, session.finish)
    session.outcome = outcome
    volunteer.changed.connect(verify.refresh)
    window = build_window(journey, settings.kiosk.centre_name, fullscreen=fullscreen, size=size,
                          extra_context={"session": session, "technician": technician,
                                         "volunteer": volunteer, "verify": verify,
                                         "outcome": outcome},
                          images={"session": images})
    verify.setParent(window.engine)
    outcome.setParent(window.engine)
    volunteer.setParent(window.engine)
    from kiosk.ui.scanner_bridge import ScannerBridge

    scanner = ScannerBridge(settings, session.scannedQr, parent=window.engine)
    window.window.installEventFilter(scanner)
    journey.subscribe(lambda changed: scanner.reset() if changed.screen.value == "attract" else None)
    window.app.aboutToQuit.connect(scanner.stop)
    session.setParent(window.engine)
    technician.setParent(window.engine)
    if start_services:
        services.start_in_background()
    window.app.aboutToQuit.connect(verify.shutdown)  # a face check stops at its next frame
    window.app.aboutToQuit.connect(lambda: session._workers.wait(30_000))
    window.app.aboutToQuit.connect(services.stop)
    return Kiosk(window, services, session, technician, volunteer, verify, outcome)


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

    built = build_kiosk(settings, fullscreen=fullscreen)
    kiosk, services = built.window, built.services

    # Let Python see SIGTERM/SIGINT while Qt's loop runs: a systemd stop ends cleanly.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: kiosk.app.quit())
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(250)

    # systemd (Type=notify, WatchdogSec): ready once the window is up, then pings from the
    # UI thread's own loop, so a frozen UI is restarted. Outside systemd these do nothing.
    from kiosk.admin import watchdog

    watchdog.notify_ready("attract screen shown")
    interval = watchdog.ping_interval_s()
    pinger = QTimer()
    if interval:
        pinger.timeout.connect(watchdog.ping)
        pinger.start(int(interval * 1000))

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
