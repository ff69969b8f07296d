"""The outbox against a model: random sequences of captures, claims, answers, lease expiries
and staff actions keep the store and a plain-Python model of the state machine in step
(Hypothesis stateful test, bounded)."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule
from store_samples import FakeClock, dossier

from kiosk.store import InvalidTransition, LeaseLost, open_store

OWNERS = ("sender-a", "sender-b")
ALERT_AFTER = 3
LEASE = 30


@dataclass
class Modelled:
    state: str = "queued"
    attempts: int = 0
    owner: str | None = None
    lease_until: datetime | None = None
    due: datetime | None = None
    parents: tuple[str, ...] = ()
    official_code: str | None = None
    resolved: bool = False
    order: int = 0
    extra: dict = field(default_factory=dict)


class OutboxMachine(RuleBasedStateMachine):
    dossiers = Bundle("dossiers")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="outbox-model-"))
        self.clock = FakeClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
        self.store = open_store(self.folder / "k.db", os.urandom(32),
                                attempts_before_alert=ALERT_AFTER, clock=self.clock)
        self.model: dict[str, Modelled] = {}

    def teardown(self) -> None:
        try:
            assert self.store.verify_audit().ok
        finally:
            self.store.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- the model's own rules ---------------------------------------------------------
    def _reclaim(self, now: datetime) -> None:
        for item in self.model.values():
            if item.state == "sending" and item.lease_until <= now:
                item.state, item.owner, item.lease_until = "queued", None, None

    def _eligible(self, now: datetime) -> set[str]:
        return {sid for sid, m in self.model.items()
                if m.state in ("queued", "needs_attention") and m.due <= now
                and all(self.model[p].state == "accepted" for p in m.parents)}

    def _holds(self, sid: str, owner: str) -> bool:
        m = self.model[sid]
        return m.state == "sending" and m.owner == owner

    # -- rules ---------------------------------------------------------------------------
    @rule(target=dossiers, parents=st.lists(st.sampled_from([0, 1, 2]), max_size=2, unique=True))
    def capture(self, parents: list[int]) -> str:
        known = sorted(self.model, key=lambda s: self.model[s].order)
        chosen = tuple(known[-1 - p] for p in parents if p < len(known))
        captured = self.store.capture(dossier({"n": len(self.model)}, depends_on=chosen))
        self.model[captured.submission_id] = Modelled(due=self.clock.now, parents=chosen,
                                                      order=len(self.model))
        return captured.submission_id

    @rule(owner=st.sampled_from(OWNERS))
    def claim(self, owner: str) -> None:
        now = self.clock.now
        self._reclaim(now)
        eligible = self._eligible(now)
        item = self.store.claim_next(owner, LEASE)
        if item is None:
            assert not eligible
            return
        assert item.submission_id in eligible
        m = self.model[item.submission_id]
        m.state, m.owner, m.lease_until = "sending", owner, now + timedelta(seconds=LEASE)
        m.attempts += 1
        assert item.attempts == m.attempts

    @rule(sid=dossiers, owner=st.sampled_from(OWNERS), delay=st.sampled_from([0, 60, 3600]))
    def retry(self, sid: str, owner: str, delay: int) -> None:
        try:
            self.store.mark_retry(sid, owner, error="HTTP 503",
                                  next_attempt_at=self.clock.now + timedelta(seconds=delay))
        except LeaseLost:
            assert not self._holds(sid, owner)
            return
        assert self._holds(sid, owner)
        m = self.model[sid]
        m.state = "needs_attention" if m.attempts >= ALERT_AFTER else "queued"
        m.owner = m.lease_until = None
        m.due = self.clock.now + timedelta(seconds=delay)

    @rule(sid=dossiers, owner=st.sampled_from(OWNERS))
    def accept(self, sid: str, owner: str) -> None:
        m = self.model[sid]
        try:
            self.store.mark_accepted(sid, owner, official_code=f"OC-{sid[:8]}",
                                     receiving_unit="U", due_date=None, response={})
        except InvalidTransition:
            assert m.state == "rejected"
            return
        assert m.state != "rejected"
        m.state, m.owner, m.lease_until, m.official_code = "accepted", None, None, f"OC-{sid[:8]}"

    @rule(sid=dossiers, owner=st.sampled_from(OWNERS))
    def quarantine(self, sid: str, owner: str) -> None:
        try:
            self.store.quarantine(sid, owner, reason="HTTP 422", details={})
        except LeaseLost:
            assert not self._holds(sid, owner)
            return
        assert self._holds(sid, owner)
        m = self.model[sid]
        m.state, m.owner, m.lease_until, m.resolved = "rejected", None, None, False

    @rule(sid=dossiers, owner=st.sampled_from(OWNERS))
    def release(self, sid: str, owner: str) -> None:
        try:
            self.store.release(sid, owner)
        except LeaseLost:
            assert not self._holds(sid, owner)
            return
        m = self.model[sid]
        m.attempts -= 1
        m.state = "needs_attention" if m.attempts >= ALERT_AFTER else "queued"
        m.owner = m.lease_until = None

    @rule(sid=dossiers, action=st.sampled_from(["requeue", "close"]))
    def resolve(self, sid: str, action: str) -> None:
        m = self.model[sid]
        try:
            self.store.resolve(sid, "tech", action=action)
        except InvalidTransition:
            assert m.state != "rejected"
            return
        assert m.state == "rejected"
        if action == "requeue":
            m.state, m.attempts, m.due = "queued", 0, self.clock.now
        m.resolved = True

    @rule(seconds=st.sampled_from([1, 31, 61, 3601]))
    def time_passes(self, seconds: int) -> None:
        self.clock.now += timedelta(seconds=seconds)

    # -- what must always hold -----------------------------------------------------------
    @invariant()
    def store_matches_model(self) -> None:
        items = {i.submission_id: i for i in self.store.list_items()}
        assert set(items) == set(self.model)
        for sid, m in self.model.items():
            item = items[sid]
            assert (item.state, item.attempts, item.lease_owner) == (m.state, m.attempts, m.owner)
            assert (item.state == "sending") == (item.lease_expires_at is not None)
            if m.state == "accepted":
                assert item.official_code == m.official_code
        stats = self.store.queue_stats()
        counts = [m.state for m in self.model.values()]
        assert (stats.queued, stats.sending, stats.accepted, stats.quarantined,
                stats.needs_attention) == tuple(counts.count(s) for s in (
                    "queued", "sending", "accepted", "rejected", "needs_attention"))


OutboxMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestOutboxModel = OutboxMachine.TestCase
