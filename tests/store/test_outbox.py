"""The outbox state machine and the sender's lease (interface C; REFERENCE §4.3–§4.6)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from store_samples import dossier

from kiosk.store import DossierBeingSent, InvalidTransition, LeaseLost


def test_claim_leases_oldest_due_item_and_counts_attempt(store, clock):
    """claim_next gives the oldest due item, state sending, attempts 1, lease expiry set."""
    first = store.capture(dossier())
    clock.now += timedelta(seconds=1)
    store.capture(dossier())
    item = store.claim_next("sender-1", 30)
    assert item.submission_id == first.submission_id
    assert item.state == "sending" and item.attempts == 1 and item.lease_owner == "sender-1"
    assert item.lease_expires_at == clock.now + timedelta(seconds=30)
    assert item.payload_bytes == first.payload_bytes


def test_nothing_due_returns_none(store, clock):
    """An item retried later is not claimable before its next attempt time."""
    store.capture(dossier())
    item = store.claim_next("s", 30)
    store.mark_retry(item.submission_id, "s", error="timeout",
                     next_attempt_at=clock.now + timedelta(minutes=5))
    assert store.claim_next("s", 30) is None
    assert store.claim_next("s", 30, now=clock.now + timedelta(minutes=5)).submission_id == \
        item.submission_id


def test_accept_records_portal_answer_and_retention(store, clock):
    """mark_accepted stores the official code, unit, due date and starts the retention clock."""
    captured = store.capture(dossier())
    store.claim_next("s", 30)
    store.mark_accepted(captured.submission_id, "s", official_code="000.00.12.H62-260302-0004",
                        receiving_unit="UBND Phường Thanh Xuân", due_date="2026-03-05",
                        response={"status": "received"})
    item = store.get(captured.submission_id)
    assert item.state == "accepted" and item.lease_owner is None
    assert item.official_code == "000.00.12.H62-260302-0004" and item.due_date == "2026-03-05"
    assert item.retention_until == clock.now + timedelta(days=30)
    # The same answer replayed is harmless; a different code is an error.
    store.mark_accepted(captured.submission_id, "s", official_code="000.00.12.H62-260302-0004",
                        receiving_unit="x", due_date=None, response={})
    with pytest.raises(InvalidTransition):
        store.mark_accepted(captured.submission_id, "s", official_code="OTHER",
                            receiving_unit="x", due_date=None, response={})
    store.update_portal_status(captured.submission_id, status="processing")
    assert store.get(captured.submission_id).portal_status == "processing"


def test_retry_past_ceiling_needs_attention_but_is_still_retried(store, clock):
    """After attempts_before_alert (3) failures the item is needs_attention and still claimable."""
    captured = store.capture(dossier())
    for attempt in range(1, 4):
        item = store.claim_next("s", 30)
        assert item.attempts == attempt
        store.mark_retry(captured.submission_id, "s", error="HTTP 503",
                         next_attempt_at=clock.now)
    item = store.get(captured.submission_id)
    assert item.state == "needs_attention" and item.last_error == "HTTP 503"
    assert store.queue_stats().needs_attention == 1
    assert store.claim_next("s", 30).attempts == 4


def test_quarantine_holds_item_for_staff_and_resolve(store, clock):
    """A quarantined item is never claimed again until a technician requeues it."""
    captured = store.capture(dossier())
    store.claim_next("s", 30)
    store.quarantine(captured.submission_id, "s", reason="HTTP 422: field x",
                     details={"field": "x"})
    assert store.get(captured.submission_id).state == "rejected"
    assert store.claim_next("s", 30) is None
    assert store.queue_stats().quarantined == 1
    store.resolve(captured.submission_id, "tech-1", action="requeue", note="fixed on portal")
    assert store.claim_next("s", 30).submission_id == captured.submission_id


def test_release_gives_item_back_without_counting_attempt(store):
    """release returns a claimed item to queued with its attempt count unchanged."""
    captured = store.capture(dossier())
    store.claim_next("s", 30)
    store.release(captured.submission_id, "s")
    item = store.get(captured.submission_id)
    assert item.state == "queued" and item.attempts == 0 and item.lease_owner is None


def test_only_the_lease_holder_moves_an_item(store, clock):
    """Another owner's retry/quarantine/release/renew raise LeaseLost."""
    captured = store.capture(dossier())
    store.claim_next("s1", 30)
    for call in (lambda: store.mark_retry(captured.submission_id, "s2", error="x",
                                          next_attempt_at=clock.now),
                 lambda: store.quarantine(captured.submission_id, "s2", reason="x", details={}),
                 lambda: store.release(captured.submission_id, "s2"),
                 lambda: store.renew_lease(captured.submission_id, "s2", 30)):
        with pytest.raises(LeaseLost):
            call()
    store.renew_lease(captured.submission_id, "s1", 60)
    assert store.get(captured.submission_id).lease_expires_at == clock.now + timedelta(seconds=60)


def test_expired_lease_is_reclaimed_with_outcome_unknown(store, clock):
    """A crashed sender's lease expires: the item is claimable again and says why."""
    captured = store.capture(dossier())
    store.claim_next("dead-sender", 10)
    clock.now += timedelta(seconds=5)
    assert store.claim_next("s2", 10) is None  # still leased
    clock.now += timedelta(seconds=6)
    item = store.claim_next("s2", 10)
    assert item.submission_id == captured.submission_id and item.attempts == 2
    assert "outcome unknown" in item.last_error
    with pytest.raises(LeaseLost):
        store.mark_retry(captured.submission_id, "dead-sender", error="x",
                         next_attempt_at=clock.now)


def test_acceptance_is_recorded_even_after_lease_loss(store, clock):
    """A positive portal answer is never thrown away, even if the lease had expired."""
    captured = store.capture(dossier())
    store.claim_next("slow", 1)
    clock.now += timedelta(seconds=2)
    store.reclaim_expired()
    store.mark_accepted(captured.submission_id, "slow", official_code="CODE-1",
                        receiving_unit="U", due_date=None, response={})
    assert store.get(captured.submission_id).state == "accepted"


def test_child_waits_for_parent_and_failed_parent_holds_only_its_children(store, clock):
    """Dependencies order sending; an unrelated dossier is not held by a failing parent."""
    parent = store.capture(dossier())
    child = store.capture(dossier(depends_on=(parent.submission_id,)))
    other = store.capture(dossier())
    assert store.get(child.submission_id).depends_on == (parent.submission_id,)
    assert store.claim_next("s", 30).submission_id == parent.submission_id
    store.mark_retry(parent.submission_id, "s", error="503",
                     next_attempt_at=clock.now + timedelta(hours=1))
    assert store.claim_next("s", 30).submission_id == other.submission_id
    assert store.claim_next("s", 30) is None  # the child waits for its parent
    store.mark_accepted(other.submission_id, "s", official_code="O-1", receiving_unit="U",
                        due_date=None, response={})
    later = clock.now + timedelta(hours=1)
    assert store.claim_next("s", 30, now=later).submission_id == parent.submission_id
    store.mark_accepted(parent.submission_id, "s", official_code="P-1", receiving_unit="U",
                        due_date=None, response={})
    assert store.claim_next("s", 30, now=later).submission_id == child.submission_id


def test_supersede_names_the_old_dossier_and_refuses_one_being_sent(store):
    """An edit is a new submission naming the old one; not while the old one is being sent."""
    old = store.capture(dossier())
    store.claim_next("s", 30)
    with pytest.raises(DossierBeingSent):
        store.capture(dossier(supersedes=old.submission_id))
    store.quarantine(old.submission_id, "s", reason="422", details={})
    new = store.capture(dossier({"edited": True}, supersedes=old.submission_id))
    assert new.submission_id != old.submission_id
    assert store.get(new.submission_id).supersedes == old.submission_id


def test_queue_stats_counts_each_state(store, clock):
    """queue_stats counts per state and reports the oldest waiting dossier's time."""
    start = clock.now
    ids = [store.capture(dossier()).submission_id for _ in range(4)]
    clock.now += timedelta(seconds=1)
    store.claim_next("s", 30)
    item = store.claim_next("s", 30)
    store.mark_accepted(item.submission_id, "s", official_code="C", receiving_unit="U",
                        due_date=None, response={})
    stats = store.queue_stats()
    assert (stats.queued, stats.sending, stats.accepted) == (2, 1, 1)
    assert stats.oldest_queued_at == start
    assert len(ids) == 4


def test_concurrent_senders_never_claim_the_same_item(store):
    """Eight threads claiming at once get eight different items (one serialized writer)."""
    for _ in range(8):
        store.capture(dossier())
    claimed: list[str] = []
    lock = threading.Lock()

    def sender(name: str) -> None:
        item = store.claim_next(name, 30)
        with lock:
            claimed.append(item.submission_id)

    threads = [threading.Thread(target=sender, args=(f"s{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(claimed)) == 8


def test_transitions_are_audited_and_chain_verifies(store, clock):
    """Every capture and transition appends a hash-chained audit entry."""
    captured = store.capture(dossier())
    store.claim_next("s", 30)
    store.mark_accepted(captured.submission_id, "s", official_code="C", receiving_unit="U",
                        due_date=None, response={})
    actions = [e["action"] for e in store.audit_entries(subject=captured.submission_id)]
    assert actions == ["outbox.accepted", "outbox.claimed", "dossier.captured"]
    assert store.verify_audit().ok


def test_audit_refuses_personal_data_but_not_machine_names(store):
    """Audit entries refuse ID-like numbers and personal keys from people, not host names."""
    from kiosk.store.errors import PersonalDataInAudit

    with pytest.raises(PersonalDataInAudit):
        store.audit("volunteer", "001090012345", "helped")
    with pytest.raises(PersonalDataInAudit):
        store.audit("technician", "tech-1", "note", details={"full_name": "x"})
    with pytest.raises(PersonalDataInAudit):
        store.audit("technician", "tech-1", "note", details={"said": "call 0912345678"})
    with pytest.raises(PersonalDataInAudit):
        store.audit("nobody", "x", "note")
    store.capture(dossier())
    # A sender on a host whose name is all digits can still claim (its id is not a person's).
    assert store.claim_next("sync:581234567890:4242:w0", 30) is not None
    assert store.verify_audit().ok
