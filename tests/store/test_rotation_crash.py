"""Key rotation killed at random moments: the next start always finds a key that opens the
database, and every queued dossier is still there (issue 4 §2: rotation must not strand)."""

from __future__ import annotations

import os
import random
import signal
import time

from crash_harness import _threads, _wait_for_threads
from store_samples import dossier

from kiosk.store import NewAttachment, keys, open_configured_store


def _rotate_forever(settings) -> None:
    store = open_configured_store(settings)
    os.write(1, b"")  # nothing to report: the parent only kills
    while True:
        keys.rotate_key(settings, store)


def test_rotation_killed_at_random_never_strands_the_queue(keyfile_settings):
    """Twenty SIGKILLs during repeated rotations; after each, the key unseals, opens the file,
    and the five queued dossiers are intact."""
    baseline = _threads()
    store = open_configured_store(keyfile_settings)
    # Two megabytes of attachments, so that the rekey itself (every page rewritten) takes
    # long enough for kills to land inside it, not only in the key sealing around it.
    captured = [store.capture(dossier({"n": n}, attachments=(
        NewAttachment("scan.bin", "application/octet-stream", os.urandom(400_000)),)))
        for n in range(5)]
    store.close()
    rng = random.Random(4)
    for trial in range(20):
        _wait_for_threads(baseline)
        pid = os.fork()
        if pid == 0:
            try:
                _rotate_forever(keyfile_settings)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        reopened = open_configured_store(keyfile_settings)
        try:
            for item in captured:
                assert reopened.get(item.submission_id).payload_sha256 == item.payload_sha256, \
                    f"trial {trial}"
            assert reopened.queue_stats().queued == 5
            assert reopened.integrity_problems() == []
            first = reopened.get(captured[0].submission_id).attachments[0]
            assert len(reopened.read_attachment(first.attachment_id)) == 400_000
        finally:
            reopened.close()
        assert not keys._pending(keyfile_settings), f"trial {trial}: a pending key was left"
