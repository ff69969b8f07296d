"""Save a database file from a released schema version into tests/store/fixtures/.

Run once when a schema version is released (``python tests/store/make_fixtures.py N``);
the files are committed and never regenerated, so test_migrations.py keeps proving that
a kiosk still on version N upgrades without losing a queued dossier.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlcipher3

sys.path.insert(0, str(Path(__file__).parent))
from store_samples import dossier  # noqa: E402

from kiosk.store import dossiers, migrations, outbox, receipts  # noqa: E402
from kiosk.store.database import _configure  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
# An invented key for invented data: the fixtures must open in tests.
FIXTURE_KEY = bytes.fromhex("6b696f736b2d73746f72652d6669787475726573206b65792d76312d2d2d2d21")


def build(version: int) -> Path:
    path = FIXTURES / f"schema_v{version}.db"
    path.unlink(missing_ok=True)
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    _configure(conn, FIXTURE_KEY)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    migrations.migrate(conn, target=version)
    now = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
    conn.execute("BEGIN IMMEDIATE")
    queued = dossiers.capture(conn, dossier({"fixture": "queued"}), b'{"fixture":"queued"}', now)
    sent = dossiers.capture(conn, dossier({"fixture": "accepted"}), b'{"fixture":"accepted"}',
                            now + timedelta(minutes=1))
    child = dossier({"fixture": "child"}, depends_on=(sent.submission_id,))
    dossiers.capture(conn, child, b'{"fixture":"child"}', now + timedelta(minutes=2))
    outbox.claim_next(conn, "fixture-sender", 30, now + timedelta(minutes=3))
    outbox.claim_next(conn, "fixture-sender", 30, now + timedelta(minutes=3))
    outbox.mark_accepted(conn, sent.submission_id, "fixture-sender", official_code="FIX-1",
                         receiving_unit="UBND", due_date="2026-02-04", response={},
                         retention_days=30, now=now + timedelta(minutes=4))
    outbox.mark_retry(conn, queued.submission_id, "fixture-sender", error="offline",
                      next_attempt_at=now + timedelta(minutes=10), alert_after=12,
                      now=now + timedelta(minutes=4))
    if version >= 2:
        receipts.record_receipt(conn, sent.submission_id, "FIX-R-1", "HC1:FIXTURE", "80mm",
                                now + timedelta(minutes=5))
        receipts.record_print_job(conn, "FIX-R-1", "pdf", "printed", None,
                                  now + timedelta(minutes=5))
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


if __name__ == "__main__":
    print(build(int(sys.argv[1])))
