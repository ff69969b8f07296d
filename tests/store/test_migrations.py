"""Schema migrations: every released schema version upgrades with its dossiers intact
(issue 4 §3; fixture files saved from each version by make_fixtures.py)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from make_fixtures import FIXTURE_KEY, FIXTURES

from kiosk.store import StoreError, migrations, open_store
from kiosk.store.database import open_connection

RELEASED = sorted(FIXTURES.glob("schema_v*.db"))


def test_a_fixture_exists_for_every_released_version():
    """Each schema version in kiosk/store/schema has a saved database file."""
    versions = {int(p.stem.removeprefix("schema_v")) for p in RELEASED}
    assert versions == set(range(1, migrations.latest_version() + 1))


@pytest.mark.parametrize("fixture", RELEASED, ids=lambda p: p.stem)
def test_old_database_upgrades_and_keeps_its_queue(fixture: Path, tmp_path):
    """Opening an old file migrates it to the latest version; dossiers, states, hashes and the
    audit chain survive, and the new tables work."""
    path = tmp_path / "kiosk.db"
    shutil.copy(fixture, path)
    store = open_store(path, FIXTURE_KEY, create=False)
    try:
        conn_version = store.run_writer(migrations.current_version)
        assert conn_version == migrations.latest_version()
        items = {json_item.payload_bytes: json_item for json_item in
                 (store.get(i.submission_id) for i in store.list_items())}
        queued = items[b'{"fixture":"queued"}']
        accepted = items[b'{"fixture":"accepted"}']
        child = items[b'{"fixture":"child"}']
        assert queued.state == "queued" and queued.last_error == "offline"
        assert queued.payload_sha256 == hashlib.sha256(queued.payload_bytes).hexdigest()
        assert accepted.state == "accepted" and accepted.official_code == "FIX-1"
        assert child.depends_on == (accepted.submission_id,)
        assert store.verify_audit().ok
        store.record_receipt(queued.submission_id, "NEW-1", "HC1:x", "a4")
        assert store.receipts_for(queued.submission_id)[0].receipt_number == "NEW-1"
    finally:
        store.close()


def test_a_failing_migration_leaves_the_previous_version(tmp_path, monkeypatch):
    """A migration that fails part-way is rolled back whole: version and tables unchanged."""
    path = tmp_path / "kiosk.db"
    shutil.copy(FIXTURES / "schema_v1.db", path)
    broken = migrations.Migration(2, "v0002_broken",
                                  "CREATE TABLE receipt(x);\nCREATE TABLE nonsense(;\n")
    real = migrations.available()
    monkeypatch.setattr(migrations, "available", lambda: [real[0], broken])
    conn = open_connection(path, FIXTURE_KEY)
    try:
        with pytest.raises(Exception, match="syntax"):
            migrations.migrate(conn)
        assert migrations.current_version(conn) == 1
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'receipt'"
                            ).fetchone()[0] == 0
    finally:
        conn.close()


def test_newer_database_than_the_software_is_refused(tmp_path):
    """A file from a newer kiosk version raises a clear error instead of being downgraded."""
    path = tmp_path / "kiosk.db"
    shutil.copy(RELEASED[-1], path)
    conn = open_connection(path, FIXTURE_KEY)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    conn.close()
    with pytest.raises(StoreError, match="update the kiosk software"):
        open_store(path, FIXTURE_KEY, create=False)
