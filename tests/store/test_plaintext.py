"""Encryption at rest: no personal data in the database, its WAL, its shared-memory file or
the temp directory, in UTF-8 or UTF-16 (issue 4 reliability test; REFERENCE §4.9)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlcipher_pages import decrypted_database, decrypted_wal, encodings, occurrences
from store_samples import SECRET_ADDRESS, SECRET_ID, SECRET_NAME, secret_dossier

from kiosk.store import open_store

SECRETS = [SECRET_NAME, SECRET_ID, SECRET_ADDRESS]


def _raw_files(db_path: Path, temp_dir: Path) -> dict[str, bytes]:
    files = {}
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{db_path}{suffix}")
        if path.exists():
            files[path.name] = path.read_bytes()
    for path in temp_dir.rglob("*"):
        if path.is_file():
            files[f"tmp/{path.name}"] = path.read_bytes()
    for path in db_path.parent.iterdir():  # anything else the store left beside the file
        if path.is_file() and path.name not in files:
            files[path.name] = path.read_bytes()
    return files


@pytest.fixture
def temp_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("SQLITE_TMPDIR", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def test_no_personal_data_in_any_file_while_open_and_after_close(db_path, store_key, clock,
                                                                    temp_dir):
    """Seeded name (with diacritics), 12-digit ID and address appear in no file, in UTF-8 or
    UTF-16, with the WAL live and after close; decrypting the pages finds them (control)."""
    store = open_store(db_path, store_key, clock=clock)
    captured = [store.capture(secret_dossier()) for _ in range(3)]
    item = store.claim_next("s", 30)
    store.quarantine(item.submission_id, "s", reason="HTTP 422",
                     details={"echo": f"{SECRET_NAME} {SECRET_ID}"})
    store.claim_next("s", 30)
    store.list_items()
    assert all(store.get(c.submission_id) for c in captured)
    live = _raw_files(db_path, temp_dir)
    assert f"{db_path.name}-wal" in live  # the WAL really holds recent frames
    for name, content in live.items():
        assert occurrences(content, SECRETS) == [], name
    # Control: the secrets are really there, encrypted, in the WAL pages.
    wal_plain = decrypted_wal(Path(f"{db_path}-wal"), store_key)
    assert any(form in wal_plain for form in encodings(SECRET_ID))
    store.close()
    for name, content in _raw_files(db_path, temp_dir).items():
        assert occurrences(content, SECRETS) == [], name
    assert any(form in decrypted_database(db_path, store_key) for form in encodings(SECRET_NAME))


def test_purge_removes_personal_data_from_every_page_and_receipts_still_look_up(
        db_path, store_key, clock, temp_dir):
    """After purge and VACUUM no decrypted page of the file or WAL holds the purged dossier's
    data; its receipt, status and official code still look up; an undue dossier keeps its data."""
    store = open_store(db_path, store_key, retention_days=30, clock=clock)
    purged = store.capture(secret_dossier())
    kept = store.capture(__import__("store_samples").dossier({"keep": "Đặng Văn Lưu Giữ"}))
    item = store.claim_next("s", 30)
    assert item.submission_id == purged.submission_id
    store.mark_accepted(purged.submission_id, "s", official_code="000.00.12.H62-260302-0001",
                        receiving_unit="UBND", due_date="2026-03-05",
                        response={"echo": SECRET_NAME})
    store.record_receipt(purged.submission_id, "R-1", "HC1:SEAL", "80mm")
    store.record_print_job("R-1", "pdf", "printed")
    attachment_id = store.get(purged.submission_id).attachments[0].attachment_id

    assert store.purge(dry_run=True).submission_ids == ()  # not yet due
    clock.now += timedelta(days=31)
    dry = store.purge(dry_run=True)
    assert dry.submission_ids == (purged.submission_id,) and dry.attachments == 1
    report = store.purge()
    assert report.submission_ids == (purged.submission_id,) and report.vacuumed

    after = store.get(purged.submission_id)
    assert after.payload_bytes is None and after.purged_at == clock.now
    assert after.official_code == "000.00.12.H62-260302-0001" and after.state == "accepted"
    assert after.ticket == purged.ticket and after.payload_sha256 == purged.payload_sha256
    assert store.find_receipt("R-1").submission_id == purged.submission_id
    assert store.receipts_for(purged.submission_id)[0].print_jobs[0].status == "printed"
    assert store.provenance(purged.submission_id) is None
    with pytest.raises(Exception, match="purged"):
        store.read_attachment(attachment_id)
    assert store.get(kept.submission_id).payload_bytes is not None
    assert store.verify_audit().ok

    plain = decrypted_database(db_path, store_key) + decrypted_wal(
        Path(f"{db_path}-wal"), store_key)
    assert occurrences(plain, SECRETS) == []
    assert occurrences(plain, ["Đặng Văn Lưu Giữ"])  # control: unpurged data is readable
    store.close()
    plain = decrypted_database(db_path, store_key)
    assert occurrences(plain, SECRETS) == []
    for name, content in _raw_files(db_path, temp_dir).items():
        assert occurrences(content, SECRETS) == [], name
