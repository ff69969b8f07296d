"""The sync engine: the sender worker and the maintenance worker, and the status the UI shows.

Two threads, neither touching Qt: ``sync-sender`` drains the outbox through the store's
lease; ``sync-maintenance`` checks the portal clock, the catalogue and the status of
accepted dossiers on their own schedules. The UI learns about changes only through the
``on_status`` callback (the UI layer adapts it to a Qt signal); it is called from a sync
thread and must not block.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from kiosk.store import Store
from kiosk.sync.backoff import Backoff
from kiosk.sync.catalogue import CatalogueSync
from kiosk.sync.client import PortalClient
from kiosk.sync.connectivity import ONLINE, Connectivity
from kiosk.sync.errors import PortalError
from kiosk.sync.sender import Outcome, Sender
from kiosk.sync.status import StatusPoller, record_success

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStatus:
    """What the attract screen and the staff screen show about sending."""

    state: str  # kiosk.sync.connectivity.STATES
    reason: str
    queued: int
    sending: int
    needs_attention: int
    quarantined: int
    accepted: int
    oldest_queued_at: datetime | None
    last_success_at: datetime | None
    next_attempt_in_s: float
    clock_skew_s: float | None
    catalogue_version: str | None
    device_certificate_expires: datetime | None


def default_owner() -> str:
    return f"sync:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class SyncEngine:
    """Build with the store, a PortalClient and the Settings; ``start()`` the workers."""

    def __init__(self, store: Store, client: PortalClient, settings: Any,
                 on_status: Callable[[SyncStatus], None] | None = None, *, owner: str | None = None,
                 catalogue: CatalogueSync | None = None, jitter: bool = True) -> None:
        sync = settings.sync
        self.store, self.client, self.settings = store, client, settings
        self.on_status = on_status
        self.connectivity = Connectivity(Backoff(sync.offline_probe_base_s, sync.offline_probe_cap_s,
                                                 jitter=jitter, equal=True))
        base_owner = owner or default_owner()
        retry = Backoff(sync.backoff_base_s, sync.backoff_cap_s, jitter=jitter)
        # Several sender threads overlap one dossier's HTTP round trip with another's store
        # writes; each holds its own lease, so a dossier is still in one sender's hands at a time.
        self.senders = [Sender(store, client, self.connectivity, owner=f"{base_owner}:w{number}",
                               lease_s=sync.lease_s, backoff=retry) for number in range(sync.workers)]
        self.sender = self.senders[0]
        self.catalogue = catalogue
        self.status_poller = StatusPoller(store, client)
        self._wakes = [threading.Event() for _ in self.senders]
        self._probe_lock = threading.Lock()
        self._publish_lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._last_success: datetime | None = None
        self._skew: float | None = None
        self._catalogue_version: str | None = None
        self._cert_expiry: datetime | None = None
        self._local_block: tuple[str, str] | None = None  # (state, reason) decided on the kiosk itself
        self._published: SyncStatus | None = None
        self._published_at = 0.0

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        self.check_prerequisites()
        self.publish(force=True)
        targets = [(f"sync-sender-{number}", self._sender_loop, (sender, self._wakes[number]))
                   for number, sender in enumerate(self.senders)]
        targets.append(("sync-maintenance", self._maintenance_loop, ()))
        for name, target, args in targets:
            thread = threading.Thread(target=target, args=args, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the dossier in hand (bounded by the HTTP timeouts), then stop; nothing is lost."""
        self._stop.set()
        self._wake_all()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    def send_now(self) -> None:
        """Staff or the journey asked to send at once: skip the current offline wait."""
        self.connectivity.resume_now()
        self._wake_all()

    # -- one pass, for `kiosk sync run --once` and tests ----------------------------------------
    def run_once(self, deadline_s: float = 300.0) -> list[Outcome]:
        """Check the kiosk's prerequisites, then send every due dossier once; stop at the first
        portal-wide failure. Returns what each attempt did."""
        outcomes: list[Outcome] = []
        end = time.monotonic() + deadline_s

        def drain(sender: Sender) -> None:
            while time.monotonic() < end and self.connectivity.wait_s() == 0:
                outcome = sender.send_one()
                if outcome is None:
                    return
                outcomes.append(outcome)
                self._after(outcome)

        if self.check_prerequisites():
            workers = [threading.Thread(target=drain, args=(sender,), name=f"sync-once-{number}")
                       for number, sender in enumerate(self.senders)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
        self.publish(force=True)
        return outcomes

    # -- workers --------------------------------------------------------------------------------
    def _sender_loop(self, sender: Sender, wake: threading.Event) -> None:
        interval = self.settings.sync.interval_s
        while not self._stop.is_set():
            try:
                if self._local_block is not None:
                    self._wait(interval, wake)
                    self.check_prerequisites()
                    continue
                wait = self.connectivity.wait_s()
                if wait > 0:
                    self.publish()
                    self._wait(wait, wake)
                    continue
                if self.connectivity.gate.state != ONLINE and not self._probe():
                    continue
                outcome = sender.send_one()
                if outcome is None:
                    self.publish()
                    self._wait(interval, wake)
                    continue
                self._after(outcome)
            except Exception:  # a bug must not kill the worker silently: log, back off, go on
                log.exception("sync sender round failed")
                self._wait(interval, wake)

    def _maintenance_loop(self) -> None:
        sync = self.settings.sync
        start = time.monotonic()  # the sender measured the clock at start; catalogue first
        due = {"clock": start + min(sync.status_poll_s, 600.0), "catalogue": start,
               "status": start + sync.status_poll_s}
        while not self._stop.is_set():
            now = time.monotonic()
            if self.connectivity.gate.state == ONLINE or self._local_block:
                try:
                    if now >= due["clock"]:
                        due["clock"] = now + min(sync.status_poll_s, 600.0)
                        self.measure_clock()
                    if self.catalogue is not None and now >= due["catalogue"]:
                        due["catalogue"] = now + sync.catalogue_poll_s
                        applied = self.catalogue.update()
                        if applied is not None:
                            self._catalogue_version = applied.version
                    if now >= due["status"]:
                        due["status"] = now + sync.status_poll_s
                        self.status_poller.poll()
                except PortalError as error:
                    log.info("maintenance: %s", type(error).__name__)
                except Exception:
                    log.exception("sync maintenance round failed")
            self._stop.wait(1.0)

    # -- helpers ----------------------------------------------------------------------------------
    def _wait(self, seconds: float, wake: threading.Event) -> None:
        wake.wait(max(0.0, seconds))
        wake.clear()

    def _wake_all(self) -> None:
        for wake in self._wakes:
            wake.set()

    def _after(self, outcome: Outcome) -> None:
        if outcome.result in ("accepted", "reconciled"):
            with self._lock:
                self._last_success = datetime.now(UTC)
            try:
                record_success(self.settings, self._last_success)
            except OSError as error:  # a full disk must not stop sending
                log.warning("could not record the last sync time: %s", type(error).__name__)
        self.publish()

    def _probe(self) -> bool:
        """One cheap request (the portal clock) decides whether the outage is over; one worker
        probes while the others wait for its verdict."""
        if not self._probe_lock.acquire(blocking=False):
            self._stop.wait(0.05)
            return False
        try:
            return self._probe_locked()
        finally:
            self._probe_lock.release()

    def _probe_locked(self) -> bool:
        if self.connectivity.gate.state == ONLINE:
            return True
        try:
            measured = self.client.portal_time()
        except PortalError as error:
            self.connectivity.failed(error.connection_state, str(error),
                                     getattr(error, "retry_after", None))
            self.publish(force=True)
            return False
        self._record_skew(measured.skew_s)
        if self._local_block is None:
            self.connectivity.succeeded()
            self.publish(force=True)
            return True
        return False

    def measure_clock(self) -> None:
        self._record_skew(self.client.portal_time().skew_s)

    def _record_skew(self, skew: float) -> None:
        limit = self.settings.sync.max_clock_skew_s
        with self._lock:
            self._skew = skew
            if abs(skew) > limit:
                self._local_block = ("clock_skew", f"kiosk clock differs from the portal by {skew:+.0f} s")
            elif self._local_block and self._local_block[0] == "clock_skew":
                self._local_block = None

    def check_prerequisites(self) -> bool:
        """The kiosk's own blockers: an expired device certificate, a skewed clock."""
        try:
            self._cert_expiry = self.client.check_device_certificate()
            if self._local_block and self._local_block[0].startswith("device"):
                self._local_block = None
        except PortalError as error:
            self._local_block = (error.connection_state, str(error))
        if self._local_block is None and self._skew is None:
            try:
                self.measure_clock()
            except PortalError as error:
                self.connectivity.failed(error.connection_state, str(error),
                                         getattr(error, "retry_after", None))
                return False
        if self._local_block is None and self.connectivity.gate.state != ONLINE:
            self.connectivity.succeeded()
        return self._local_block is None

    def status(self) -> SyncStatus:
        stats = self.store.queue_stats()
        gate = self.connectivity.gate
        state, reason = self._local_block or (gate.state, gate.reason)
        with self._lock:
            return SyncStatus(state=state, reason=reason, queued=stats.queued, sending=stats.sending,
                              needs_attention=stats.needs_attention, quarantined=stats.quarantined,
                              accepted=stats.accepted, oldest_queued_at=stats.oldest_queued_at,
                              last_success_at=self._last_success,
                              next_attempt_in_s=round(self.connectivity.wait_s(), 3),
                              clock_skew_s=None if self._skew is None else round(self._skew, 3),
                              catalogue_version=self._catalogue_version,
                              device_certificate_expires=self._cert_expiry)

    def publish(self, force: bool = False) -> SyncStatus | None:
        """Call on_status when something the UI shows changed (at most 4 times a second)."""
        if self.on_status is None:
            return None
        with self._publish_lock:
            return self._publish(force)

    def _publish(self, force: bool) -> SyncStatus | None:
        now = time.monotonic()
        if not force and now - self._published_at < 0.25:
            return None
        current = self.status()
        comparable = replace(current, next_attempt_in_s=0.0)
        if force or self._published is None or comparable != self._published:
            self._published, self._published_at = comparable, now
            try:
                self.on_status(current)
            except Exception:
                log.exception("on_status callback failed")
        return current
