"""Disk full: capture fails with a clear error, nothing partial remains, earlier dossiers
are intact and the store keeps working once space returns (issue 4 reliability test)."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import uuid
from pathlib import Path

import pytest
from crash_harness import _threads, _wait_for_threads
from store_samples import dossier

from kiosk.store import NewAttachment, StoreFull, StoreWriteFailed, open_store

BLOCK = 16 * 1024


def _bulky(n: int):
    return dossier({"n": n}, attachments=(
        NewAttachment("scan.bin", "application/octet-stream", os.urandom(BLOCK)),))


def _fill_until_full(store) -> dict:
    """Capture until the disk refuses; then check the store still answers."""
    successes, error = 0, None
    for n in range(10_000):
        try:
            store.capture(_bulky(n))
            successes += 1
        except (StoreFull, StoreWriteFailed) as failure:
            error = failure
            break
    stats = store.queue_stats()  # the kiosk keeps running: reads still work
    return {"successes": successes, "error": type(error).__name__ if error else None,
            "message": error.message if error else "", "queued_after": stats.queued}


def _child_with_file_size_limit(db_path: Path, key: bytes, write) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    store = open_store(db_path, key, attachment_max_bytes=BLOCK, create=False)
    used = max(os.path.getsize(p) for p in (db_path, Path(f"{db_path}-wal")) if p.exists())
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (used + 10 * BLOCK, hard))
    outcome = _fill_until_full(store)
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))  # space is back
    outcome["after_space_returns"] = store.capture(_bulky(-1)).submission_id
    store.close()
    write(json.dumps(outcome))


def test_file_size_limit_makes_capture_fail_cleanly(db_path, store_key):
    """Under RLIMIT_FSIZE the capture that does not fit raises StoreFull/StoreWriteFailed with a
    message saying what to do; every earlier dossier and the audit chain stay intact."""
    baseline = _threads()
    store = open_store(db_path, store_key, attachment_max_bytes=BLOCK)
    earlier = [store.capture(_bulky(n)) for n in range(3)]
    store.close()
    _wait_for_threads(baseline)  # never fork while the writer thread is still exiting
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(reader)
        try:
            _child_with_file_size_limit(db_path, store_key,
                                        lambda text: os.write(writer, text.encode()))
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    outcome = json.loads(text)
    assert outcome["error"] in ("StoreFull", "StoreWriteFailed"), outcome
    assert "nothing was written" in outcome["message"]
    assert outcome["queued_after"] == 3 + outcome["successes"]

    store = open_store(db_path, store_key, create=False)
    try:
        items = store.list_items()
        assert len(items) == 3 + outcome["successes"] + 1  # the failed capture left nothing
        for captured in earlier:
            assert store.get(captured.submission_id).payload_sha256 == captured.payload_sha256
        assert store.get(outcome["after_space_returns"]).state == "queued"
        assert store.integrity_problems() == []
        assert store.verify_audit().ok
    finally:
        store.close()


@pytest.fixture
def small_tmpfs(tmp_path):
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount_point)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root); the RLIMIT_FSIZE test covers it")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_full_filesystem_makes_capture_fail_cleanly(small_tmpfs, store_key):
    """On a full (400 KiB tmpfs) file system capture raises StoreFull; after freeing space the
    same store captures again and nothing partial was kept."""
    db_path = small_tmpfs / "kiosk.db"
    store = open_store(db_path, store_key, attachment_max_bytes=BLOCK)
    try:
        outcome = _fill_until_full(store)
        assert outcome["error"] in ("StoreFull", "StoreWriteFailed"), outcome
        assert outcome["successes"] > 0
        assert len(store.list_items()) == outcome["successes"]
        ballast = small_tmpfs / f"other-{uuid.uuid4()}"
        assert not ballast.exists()
        assert store.verify_audit().ok
    finally:
        store.close()
    store = open_store(db_path, store_key, create=False)
    try:
        assert len(store.list_items()) == outcome["successes"]
        assert store.integrity_problems() == []
    finally:
        store.close()
