"""The connection to the portal as a whole: online, or why not, and when to try again.

When the portal is unreachable the sender stops as a whole (one probe at a time with
jittered backoff) instead of failing every queued dossier in turn; the first success
resumes sending at once. States are the ones the UI shows.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from kiosk.sync.backoff import Backoff

ONLINE = "online"
STATES = (ONLINE, "offline", "busy", "captive_portal", "portal_untrusted", "device_rejected",
          "device_certificate_expired", "clock_skew", "unknown")


@dataclass(frozen=True)
class Gate:
    state: str
    failures: int
    resume_at: float  # time.monotonic() before which nothing is sent
    reason: str


class Connectivity:
    """Thread-safe connection state with a portal-wide backoff (monotonic clock)."""

    def __init__(self, backoff: Backoff, clock=time.monotonic) -> None:  # noqa: ANN001
        self._backoff = backoff
        self._clock = clock
        self._lock = threading.Lock()
        self._gate = Gate("unknown", 0, 0.0, "")
        self._changed = threading.Event()

    @property
    def gate(self) -> Gate:
        with self._lock:
            return self._gate

    def succeeded(self) -> bool:
        """Record a good answer; returns True when this ends an outage."""
        with self._lock:
            was = self._gate.state
            self._gate = Gate(ONLINE, 0, 0.0, "")
        if was != ONLINE:
            self._changed.set()
        return was != ONLINE

    def failed(self, state: str, reason: str, retry_after: float | None = None) -> float:
        """Record a portal-wide failure; returns the seconds until the next probe."""
        with self._lock:
            failures = self._gate.failures + 1
            wait = self._backoff.delay(failures, retry_after)
            self._gate = Gate(state, failures, self._clock() + wait, reason)
        self._changed.set()
        return wait

    def wait_s(self) -> float:
        """Seconds until sending may resume (0 when it may go now)."""
        with self._lock:
            return max(0.0, self._gate.resume_at - self._clock())

    def resume_now(self) -> None:
        """Staff pressed "send now": skip the current wait (the next failure backs off again)."""
        with self._lock:
            self._gate = Gate(self._gate.state, self._gate.failures, 0.0, self._gate.reason)
