"""Capture: one atomic, durable transaction that freezes the payload (REFERENCE §4.1, §4.2)."""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest
from store_samples import dossier

from kiosk.store import (
    AttachmentTooLarge,
    InvalidDossier,
    NewAttachment,
    UnknownSubmission,
)


def test_capture_freezes_canonical_payload_and_queues_it(store):
    """The stored bytes are the canonical JSON of interface C, with their SHA-256, and queued."""
    payload = {"b": "Nữ", "a": [1, 2], "c": {"z": 1, "y": "Hà Nội"}}
    captured = store.capture(dossier(payload))
    expected = json.dumps(payload, sort_keys=True, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
    assert captured.payload_bytes == expected
    assert captured.payload_sha256 == hashlib.sha256(expected).hexdigest()
    assert uuid.UUID(captured.submission_id).version == 4
    assert captured.finalized_at.tzinfo is not None
    item = store.get(captured.submission_id)
    assert item.payload_bytes == expected and item.state == "queued" and item.attempts == 0
    assert item.ticket == captured.ticket and item.ticket.startswith("T260302-")
    assert item.form_version == "2025.1" and item.consent.purposes == ("submit-to-portal",)
    assert store.provenance(captured.submission_id)["applicant.full_name"]["source"] == "DG13.2"


def test_each_capture_mints_a_new_id_and_ticket(store):
    """Two captures of the same content are two submissions, never one id reused."""
    first, second = store.capture(dossier()), store.capture(dossier())
    assert first.submission_id != second.submission_id
    assert first.ticket != second.ticket


def test_attachments_are_stored_with_hashes_and_read_back(store):
    """Attachments keep their bytes, size and SHA-256, in order."""
    data = b"\x89PNG" + bytes(range(256)) * 4
    captured = store.capture(dossier(attachments=(
        NewAttachment("a.png", "image/png", data), NewAttachment("b.txt", "text/plain", b"x"))))
    refs = store.get(captured.submission_id).attachments
    assert [r.name for r in refs] == ["a.png", "b.txt"]
    assert refs[0].size == len(data) and refs[0].sha256 == hashlib.sha256(data).hexdigest()
    assert store.read_attachment(refs[0].attachment_id) == data


def test_oversized_attachment_refused_before_anything_is_written(store):
    """An attachment over the limit raises AttachmentTooLarge and leaves the store unchanged."""
    before = store.queue_stats()
    audit_before = store.verify_audit().entries
    with pytest.raises(AttachmentTooLarge, match="limit"):
        store.capture(dossier(attachments=(
            NewAttachment("ok.txt", "text/plain", b"fine"),
            NewAttachment("big.bin", "application/octet-stream", b"\0" * (64 * 1024 + 1)))))
    assert store.queue_stats() == before
    assert store.verify_audit().entries == audit_before


def test_attachment_size_can_be_checked_before_finalization(store):
    """The journey can refuse an oversized scan when it is added, before any capture."""
    store.check_attachments((NewAttachment("ok.jpg", "image/jpeg", b"x" * 10),))
    with pytest.raises(AttachmentTooLarge):
        store.check_attachments((NewAttachment("big.jpg", "image/jpeg", b"x" * (64 * 1024 + 1)),))


def test_unknown_parent_rolls_back_the_whole_capture(store):
    """A capture that fails inside the transaction leaves no dossier, outbox row or audit entry."""
    with pytest.raises(InvalidDossier, match="parent"):
        store.capture(dossier(depends_on=(str(uuid.uuid4()),)))
    assert store.queue_stats().queued == 0
    assert store.list_items() == []
    assert store.verify_audit().entries == 0


def test_bad_dossiers_get_typed_errors(store):
    """Non-JSON payloads, missing consent purposes and naive times are refused clearly."""
    from dataclasses import replace
    from datetime import datetime

    good = dossier()
    with pytest.raises(InvalidDossier, match="plain JSON"):
        store.capture(replace(good, payload={"when": datetime(2026, 1, 1)}))
    with pytest.raises(InvalidDossier, match="consent"):
        store.capture(replace(good, consent=replace(good.consent, purposes=())))
    with pytest.raises(InvalidDossier, match="timezone"):
        store.capture(replace(good, consent=replace(good.consent,
                                                    consented_at=datetime(2026, 1, 1))))
    with pytest.raises(InvalidDossier, match="form id"):
        store.capture(replace(good, form_id=" "))


def test_get_unknown_raises_typed_error(store):
    """Asking for a submission that is not there names the id and raises UnknownSubmission."""
    with pytest.raises(UnknownSubmission):
        store.get(str(uuid.uuid4()))
    with pytest.raises(UnknownSubmission):
        store.read_attachment(str(uuid.uuid4()))


def test_capture_is_durable_across_reopen(store, db_path, store_key):
    """What capture returned is there after the store is closed and opened again."""
    from kiosk.store import open_store

    captured = store.capture(dossier())
    store.close()
    again = open_store(db_path, store_key, create=False)
    try:
        assert again.get(captured.submission_id).payload_sha256 == captured.payload_sha256
    finally:
        again.close()
    # The fixture closes `store` again: closing twice is harmless.


def test_captures_from_many_threads_are_all_durable_and_distinct(store):
    """Sixteen threads capturing at once: every capture commits once (one serialized writer)."""
    import threading

    results: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        for k in range(5):
            captured = store.capture(dossier({"thread": n, "k": k}))
            with lock:
                results.append(captured.submission_id)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 80
    assert store.queue_stats().queued == 80
    assert store.verify_audit().ok and store.verify_audit().entries == 80


def test_writes_run_on_the_single_writer_thread(store, monkeypatch):
    """Every write transaction executes on the one 'store-writer' thread, whoever calls."""
    import threading

    from kiosk.store import dossiers as dossiers_module

    seen: set[str] = set()
    real = dossiers_module.capture

    def spy(conn, *args, **kwargs):
        seen.add(threading.current_thread().name)
        return real(conn, *args, **kwargs)

    monkeypatch.setattr(dossiers_module, "capture", spy)
    threads = [threading.Thread(target=lambda: store.capture(dossier())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.capture(dossier())
    assert len(seen) == 1 and next(iter(seen)).startswith("store-writer")


def test_naive_datetime_is_a_typed_error(store):
    """A retry time without a timezone raises BadInput and changes nothing."""
    from datetime import datetime

    from kiosk.errors import BadInput

    captured = store.capture(dossier())
    store.claim_next("s", 30)
    with pytest.raises(BadInput, match="timezone"):
        store.mark_retry(captured.submission_id, "s", error="x",
                         next_attempt_at=datetime(2026, 3, 2, 9, 0))
    assert store.get(captured.submission_id).state == "sending"
