"""Exactly once under faults: dropped answers, reset connections, 503s, duplicate deliveries,
and the kiosk's sync process killed at random (issue 5, REFERENCE §4)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sync_fixtures import dossier, start_portal

from kiosk.config import load_settings
from kiosk.store import open_store
from kiosk.store.keys import load_or_create_key

DOSSIERS = 300
FAULTS = "drop=0.3,reset=0.1,503=0.1,duplicate=0.05,retry_after=0,seed=11"


def _environment(data_dir: Path, url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
    env.update({
        "KIOSK_DEMO": "1", "KIOSK_PORTAL_URL": url, "KIOSK_PATHS_DATA_DIR": str(data_dir),
        "KIOSK_SYNC_LEASE_S": "1", "KIOSK_SYNC_BACKOFF_BASE_S": "0.01", "KIOSK_SYNC_BACKOFF_CAP_S": "0.05",
        "KIOSK_SYNC_OFFLINE_PROBE_BASE_S": "0.01", "KIOSK_SYNC_OFFLINE_PROBE_CAP_S": "0.05",
        "KIOSK_SYNC_INTERVAL_S": "0.1", "KIOSK_SYNC_ATTEMPTS_BEFORE_ALERT": "1000",
        "KIOSK_PORTAL_READ_TIMEOUT_S": "5",
    })
    return env


def test_every_dossier_received_exactly_once_despite_faults_and_kills(tmp_path: Path) -> None:
    """300 dossiers, 30 % of answers dropped after commit, 10 % of connections reset, 10 % 503s,
    5 % duplicate deliveries, and `kiosk sync run` SIGKILLed at random: in the end every dossier
    is accepted, the portal holds each exactly once with the same payload hash, and the
    kiosk's official codes match the portal's."""
    portal = start_portal(tmp_path, faults=FAULTS)
    data_dir = tmp_path / "kiosk-data"
    env = _environment(data_dir, portal.url)
    settings = load_settings(demo=True, environ=env)
    store = open_store(settings.database_path, load_or_create_key(settings))
    captured = {c.submission_id: c for c in (store.capture(dossier(i)) for i in range(DOSSIERS))}
    store.close()

    rng = random.Random(5)
    kills = 0
    log = (tmp_path / "sync.log").open("wb")
    deadline = time.monotonic() + 150
    try:
        while time.monotonic() < deadline:
            process = subprocess.Popen([sys.executable, "-m", "kiosk", "sync", "run"], env=env,
                                       stdout=subprocess.DEVNULL, stderr=log)
            try:
                process.wait(timeout=rng.uniform(0.8, 3.0))
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
            received = portal.admin("GET", "/submissions")
            if len(received) >= DOSSIERS and kills >= 3:
                break
        # Let a last, uninterrupted sender settle the bookkeeping of answers it lost.
        portal.faults("")
        final = subprocess.run([sys.executable, "-m", "kiosk", "sync", "run", "--once"], env=env,
                               capture_output=True, timeout=120)
        assert final.returncode == 0, final.stderr.decode()[-2000:]
    finally:
        log.close()

    received = {row["submission_id"]: row for row in portal.admin("GET", "/submissions")}
    portal.server.stop()
    assert kills >= 3, "the sync process was never killed mid-run"
    assert len(received) == DOSSIERS  # the primary key makes a second copy impossible to hide
    assert set(received) == set(captured)
    store = open_store(settings.database_path, load_or_create_key(settings))
    try:
        for submission_id, item in captured.items():
            assert received[submission_id]["payload_sha256"] == item.payload_sha256
            local = store.get(submission_id)
            assert local.state == "accepted", (submission_id, local.state, local.last_error)
            assert local.official_code == received[submission_id]["official_code"]
        assert len({row["official_code"] for row in received.values()}) == DOSSIERS
    finally:
        store.close()
    injected = portal.app.state.portal.faults.injected
    print(f"kills={kills} injected={injected} replays={portal.app.state.portal.db.counts()}")
    assert injected.get("drop", 0) > 20 and injected.get("reset", 0) > 5 and injected.get("503", 0) > 5

