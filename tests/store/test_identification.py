"""The identification record (assurance level + method outcomes) on a dossier: stored with it,
sent in the submission envelope, dropped with the payload at retention."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

from store_samples import dossier

from kiosk.store import open_store
from kiosk.sync.client import envelope

RECORD = {"level": "substantial", "methods": [
    {"method": "card_genuine", "decision": "passed", "at": "2026-03-02T07:59:00+00:00"},
    {"method": "face_liveness", "decision": "passed", "at": "2026-03-02T08:00:00+00:00",
     "band": "strong"}]}


def test_identification_is_stored_sent_and_purged(db_path, store_key, clock):
    """Captured with the dossier, it reads back equal, travels in the envelope (absent when
    none was recorded), and is gone after the retention purge like the payload."""
    store = open_store(db_path, store_key, retention_days=30, clock=clock)
    try:
        with_id = store.capture(dataclasses.replace(dossier({"n": 1}), identification=RECORD))
        without = store.capture(dossier({"n": 2}))
        item = store.get(with_id.submission_id)
        assert item.identification == RECORD
        assert json.loads(envelope(item))["identification"] == RECORD
        assert "identification" not in json.loads(envelope(store.get(without.submission_id)))
        store.claim_next("s", 30)
        store.mark_accepted(with_id.submission_id, "s", official_code="X-1",
                            receiving_unit="UBND", due_date="2026-03-05", response={})
        clock.now += timedelta(days=31)
        assert store.purge().submission_ids == (with_id.submission_id,)
        assert store.get(with_id.submission_id).identification is None
    finally:
        store.close()
