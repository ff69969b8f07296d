"""Wrong key, corrupt file, missing file: clear typed errors, files byte-for-byte untouched,
never a silent new database (issue 4, reliability tests)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from store_samples import dossier

from kiosk.store import (
    NewAttachment,
    StoreCorrupt,
    StoreError,
    StoreMissing,
    WrongKey,
    open_store,
)


def _files(db_path: Path) -> dict[str, str | None]:
    found = {}
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{db_path}{suffix}")
        found[suffix] = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    return found


@pytest.fixture
def filled(db_path, store_key):
    """A closed store with a few dossiers whose pages are spread over the file."""
    store = open_store(db_path, store_key)
    for n in range(6):
        store.capture(dossier({"n": n}, attachments=(
            NewAttachment("scan.bin", "application/octet-stream", os.urandom(3000)),)))
    store.checkpoint()
    store.close()
    return db_path


def test_wrong_key_raises_and_leaves_files_untouched(filled, store_key):
    """Opening with another key raises WrongKey saying what to do; db/-wal/-shm unchanged."""
    before = _files(filled)
    with pytest.raises(WrongKey, match="restore"):
        open_store(filled, os.urandom(32))
    assert _files(filled) == before


def test_wrong_key_after_a_crash_leaves_db_and_wal_untouched(db_path, store_key, tmp_path):
    """A crash leaves committed frames in the WAL; opening that with a wrong key changes no file."""
    import shutil

    store = open_store(db_path, store_key)
    store.capture(dossier())
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal", "-shm"):  # what the disk holds if the kiosk died now
        shutil.copy(f"{db_path}{suffix}", crashed / f"kiosk.db{suffix}")
    store.close()
    copy = crashed / "kiosk.db"
    assert Path(f"{copy}-wal").stat().st_size > 0
    before = _files(copy)
    with pytest.raises(WrongKey):
        open_store(copy, os.urandom(32))
    assert _files(copy) == before
    reopened = open_store(copy, store_key, create=False)  # and the right key still reads it
    assert reopened.queue_stats().queued == 1
    reopened.close()


def test_missing_file_without_create_is_an_error_not_a_new_database(tmp_path, store_key):
    """create=False on a missing path raises StoreMissing and creates nothing."""
    path = tmp_path / "gone.db"
    with pytest.raises(StoreMissing):
        open_store(path, store_key, create=False)
    assert list(tmp_path.iterdir()) == []


def test_empty_file_is_refused_not_reinitialised(tmp_path, store_key):
    """A zero-byte file is reported as damaged and stays zero bytes."""
    path = tmp_path / "kiosk.db"
    path.write_bytes(b"")
    with pytest.raises(StoreCorrupt, match="empty"):
        open_store(path, store_key)
    assert path.read_bytes() == b""


def test_plain_sqlite_file_is_refused(tmp_path, store_key):
    """An unencrypted SQLite file in the store's place is refused and left as it is."""
    import sqlcipher3

    path = tmp_path / "kiosk.db"
    conn = sqlcipher3.connect(str(path))
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="unencrypted"):
        open_store(path, store_key)
    assert path.read_bytes() == before


def test_truncated_file_is_reported_corrupt(filled, store_key):
    """A file cut mid-page raises StoreCorrupt and is not modified."""
    data = filled.read_bytes()
    filled.write_bytes(data[: len(data) - 1000])
    before = _files(filled)
    with pytest.raises(StoreCorrupt, match="truncated"):
        open_store(filled, store_key)
    assert _files(filled) == before


def test_damaged_inner_page_is_named_by_the_integrity_check(filled, store_key):
    """A flipped byte in a data page fails that page's HMAC; the integrity check names it."""
    data = bytearray(filled.read_bytes())
    last = len(data) // 4096 - 1
    data[last * 4096 + 200] ^= 0xFF
    filled.write_bytes(bytes(data))
    store = open_store(filled, store_key, create=False)
    try:
        assert any(f"page {last + 1}" in p for p in store.integrity_problems())
    finally:
        store.close()


def test_widespread_damage_is_corruption_not_a_wrong_key(filled, store_key):
    """With every page but the first damaged, the error says damaged (StoreCorrupt), untouched."""
    data = bytearray(filled.read_bytes())
    for page in range(1, len(data) // 4096):
        data[page * 4096 + 200] ^= 0xFF
    filled.write_bytes(bytes(data))
    before = _files(filled)
    with pytest.raises(StoreCorrupt):
        store = open_store(filled, store_key, create=False)
        try:
            store.list_items()
        finally:
            store.close()
    assert _files(filled)[""] == before[""]


def test_first_page_damage_is_reported_as_corruption_and_untouched(filled, store_key):
    """Page 1 failing while the others pass means damage, not a wrong key; file unchanged."""
    data = bytearray(filled.read_bytes())
    data[100] ^= 0x01
    filled.write_bytes(bytes(data))
    before = _files(filled)
    with pytest.raises(StoreCorrupt, match="damaged"):
        open_store(filled, store_key)
    assert _files(filled) == before
