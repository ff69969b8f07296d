"""The sender against a real simulator and a real encrypted store: outcomes per portal answer."""

from __future__ import annotations

import hashlib

from sync_fixtures import Portal, dossier, sync_settings

from kiosk.store import NewAttachment, Store
from kiosk.sync import PortalClient, SyncEngine


def engine_for(store: Store, portal: Portal, **overrides) -> SyncEngine:
    settings = sync_settings(**overrides)
    return SyncEngine(store, PortalClient.from_settings(settings, portal.url), settings)


def test_clean_drain_sends_each_dossier_once_with_one_request(store: Store, portal: Portal) -> None:
    """On a clean network every dossier is accepted with its official code, with one POST each
    (plus one clock probe per round), and the portal holds exactly the same payload hashes."""
    captured = [store.capture(dossier(i)) for i in range(12)]
    engine = engine_for(store, portal)
    outcomes = engine.run_once()
    assert [o.result for o in outcomes] == ["accepted"] * 12
    assert sum(o.requests for o in outcomes) == 12
    received = {row["submission_id"]: row for row in portal.submissions()}
    assert len(received) == 12
    for item in captured:
        stored = store.get(item.submission_id)
        assert stored.state == "accepted"
        assert stored.official_code == received[item.submission_id]["official_code"]
        assert received[item.submission_id]["payload_sha256"] == item.payload_sha256
        assert stored.due_date


def test_lost_answer_is_reconciled_by_status_not_resent(store: Store, portal: Portal) -> None:
    """When the portal commits but the answer is lost, the next attempt asks for the status by
    submission id and records the acceptance without a second POST (REFERENCE §4.8)."""
    item = store.capture(dossier(1))
    portal.faults("submissions:drop=1")
    engine = engine_for(store, portal)
    first = engine.run_once()
    assert [o.result for o in first] == ["retry"]
    assert store.get(item.submission_id).state in ("queued", "needs_attention")
    assert store.get(item.submission_id).official_code is None  # pessimistic: not yet accepted
    portal.faults("")
    engine.send_now()
    second = engine.run_once()
    assert [o.result for o in second] == ["reconciled"]
    assert second[0].requests == 1  # the status query only
    assert len(portal.submissions()) == 1
    assert store.get(item.submission_id).state == "accepted"


def test_validation_error_goes_to_quarantine_with_field_reasons(store: Store, portal: Portal) -> None:
    """A 422 from the portal quarantines the dossier for staff (no retries) and keeps the reasons."""
    item = store.capture(dossier(2, procedure="2.000001"))
    other = store.capture(dossier(3))
    portal.rules(reject_procedures=["2.000001"])
    outcomes = engine_for(store, portal).run_once()
    assert sorted(o.result for o in outcomes) == ["accepted", "quarantined"]
    rejected = store.get(item.submission_id)
    assert rejected.state == "rejected"
    assert "422" in (rejected.quarantine_reason or "")
    assert store.get(other.submission_id).state == "accepted"


def test_busy_portal_retry_after_is_honoured_for_the_whole_queue(store: Store, portal: Portal) -> None:
    """429 with Retry-After puts the dossier back with a delay of at least Retry-After and
    stops the round: the other dossiers are not tried against a busy portal."""
    for i in range(5):
        store.capture(dossier(i))
    portal.faults("submissions:429=1,retry_after=30")
    engine = engine_for(store, portal)
    outcomes = engine.run_once()
    assert [o.result for o in outcomes] == ["retry"]
    assert engine.connectivity.wait_s() >= 29
    assert engine.status().state == "busy"
    assert portal.submissions() == []


def test_unreachable_portal_backs_off_as_a_whole(store: Store, portal: Portal) -> None:
    """With the portal unreachable, a round costs one request, not one per queued dossier, and
    the dossiers keep their attempt counts; sending resumes when the portal returns."""
    for i in range(10):
        store.capture(dossier(i))
    portal.faults("outage=1")
    engine = engine_for(store, portal)
    assert engine.run_once() == []
    assert engine.client.requests_sent == 1
    assert engine.status().state == "offline"
    assert engine.status().queued == 10
    portal.faults("")
    engine.send_now()
    assert engine.check_prerequisites()
    assert [o.result for o in engine.run_once()] == ["accepted"] * 10


def test_failed_parent_holds_only_its_children(store: Store, portal: Portal) -> None:
    """Linked dossiers go in dependency order; a quarantined parent holds its child while an
    unrelated dossier is still sent."""
    parent = store.capture(dossier(1, procedure="2.000001"))
    child = store.capture(dossier(2, depends_on=(parent.submission_id,)))
    unrelated = store.capture(dossier(3))
    portal.rules(reject_procedures=["2.000001"])
    engine_for(store, portal).run_once()
    assert store.get(parent.submission_id).state == "rejected"
    assert store.get(child.submission_id).state == "queued"
    assert store.get(unrelated.submission_id).state == "accepted"


def test_parent_sent_before_child(store: Store, portal: Portal) -> None:
    """A child captured before its parent is accepted waits and goes right after it."""
    parent = store.capture(dossier(1))
    child = store.capture(dossier(2, depends_on=(parent.submission_id,)))
    engine_for(store, portal).run_once()
    received = portal.submissions()
    order = [row["submission_id"] for row in received]
    assert order.index(parent.submission_id) < order.index(child.submission_id)


def test_attachment_upload_resumes_after_connection_resets(store: Store, portal: Portal) -> None:
    """A 1 MB attachment uploaded in 256 KiB chunks survives resets mid-chunk (resuming at the
    portal's offset) and the portal's copy has the same SHA-256."""
    data = bytes(range(256)) * 4096  # 1 MiB
    item = store.capture(dossier(5, attachments=(NewAttachment("scan.pdf", "application/pdf", data),)))
    portal.faults("uploads:upload_reset=0.4,seed=3")
    engine = engine_for(store, portal)
    for _ in range(10):
        engine.send_now()
        engine.run_once()
        if store.get(item.submission_id).state == "accepted":
            break
    assert store.get(item.submission_id).state == "accepted"
    assert portal.app.state.portal.faults.injected.get("upload_reset", 0) >= 1
    detail = portal.admin("GET", f"/submissions/{item.submission_id}")
    assert '"sha256": "' + hashlib.sha256(data).hexdigest() in detail["attachments"]
    assert len(portal.submissions()) == 1


def test_parallel_workers_send_each_dossier_once_and_keep_dependency_order(store: Store,
                                                                          portal: Portal) -> None:
    """With three sender threads, each dossier is still claimed by one worker and sent once, and
    a chain of linked dossiers arrives parent first."""
    chain = [store.capture(dossier(0))]
    for number in range(1, 5):
        chain.append(store.capture(dossier(number, depends_on=(chain[-1].submission_id,))))
    loose = [store.capture(dossier(10 + number)) for number in range(25)]
    engine = engine_for(store, portal, **{"sync.workers": 3})
    outcomes = engine.run_once()
    assert sorted(o.result for o in outcomes) == ["accepted"] * 30
    assert all(o.requests == 1 for o in outcomes)
    order = [row["submission_id"] for row in portal.submissions()]
    assert len(order) == 30 and len(set(order)) == 30
    positions = [order.index(item.submission_id) for item in chain]
    assert positions == sorted(positions)
    assert all(store.get(item.submission_id).state == "accepted" for item in loose)
