"""Store benchmark (issue 4, ``make bench``): capture latency beside a bare SQLCipher floor,
size per dossier, listing and purging a 10,000-dossier backlog, the 1,000-trial crash run.

``run(quick=True)`` is a smoke test of a few seconds; ``run()`` gives the full figures.
Times are seconds. The floor is a bare SQLCipher INSERT + COMMIT of the same payload
bytes, same pragmas (WAL, synchronous=FULL, raw key), same disk, measured in the same run.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlcipher3

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "store"))  # the crash harness lives with the tests

from kiosk.store import open_store  # noqa: E402
from kiosk.store.database import key_pragma_value  # noqa: E402
from kiosk.store.demo_seed import demo_dossiers  # noqa: E402
from kiosk.store.dossiers import canonical_payload  # noqa: E402
from kiosk.store.model import utcnow  # noqa: E402

RESIDENTS = REPO / "resources" / "demo" / "residents.json"


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _floor_connection(folder: Path) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(folder / "floor.db"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"{key_pragma_value(os.urandom(32))}\"")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, payload BLOB)")
    return conn


def _floor(conn: sqlcipher3.Connection, payloads: list[bytes]) -> list[float]:
    samples = []
    for payload in payloads:
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t(payload) VALUES (?)", (payload,))
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - started)
    return samples


def _capture_vs_floor(folder: Path, count: int) -> dict:
    dossiers = demo_dossiers(RESIDENTS, count)
    payloads = [canonical_payload(d.payload) for d in dossiers]
    store = open_store(folder / "capture.db", os.urandom(32))
    floor = _floor_connection(folder)
    floor_samples, capture_samples = [], []
    # Interleave in blocks so both see the same disk conditions.
    block = max(1, count // 10)
    for start in range(0, count, block):
        floor_samples += _floor(floor, payloads[start:start + block])
        for item in dossiers[start:start + block]:
            began = time.perf_counter()
            store.capture(item)
            capture_samples.append(time.perf_counter() - began)
    floor.close()
    store.checkpoint()
    size = (folder / "capture.db").stat().st_size
    store.close()
    floor_p50, floor_p99 = _percentile(floor_samples, .5), _percentile(floor_samples, .99)
    cap_p50, cap_p99 = _percentile(capture_samples, .5), _percentile(capture_samples, .99)
    return {
        "captures": count,
        "payload_bytes_mean": statistics.mean(len(p) for p in payloads),
        "capture_p50_s": cap_p50, "capture_p99_s": cap_p99,
        "floor_insert_commit_p50_s": floor_p50, "floor_insert_commit_p99_s": floor_p99,
        "capture_p99_over_floor_p99": cap_p99 / floor_p99,
        "capture_p50_over_floor_p50": cap_p50 / floor_p50,
        "goal_p99_within_3x_floor": cap_p99 <= 3 * floor_p99,
        "db_bytes_per_dossier": size / count,
    }


def _backlog(folder: Path, count: int) -> dict:
    """List and purge a backlog of ``count`` captured dossiers."""
    key = os.urandom(32)
    store = open_store(folder / "backlog.db", key, retention_days=0)
    started = time.perf_counter()
    for item in demo_dossiers(RESIDENTS, count):
        store.capture(item)
    seeding = time.perf_counter() - started
    store.close()
    # Opening authenticates every page once (the key check), so it grows with the file.
    started = time.perf_counter()
    store = open_store(folder / "backlog.db", key, retention_days=0, create=False)
    open_seconds = time.perf_counter() - started
    started = time.perf_counter()
    listed = store.list_items()
    list_seconds = time.perf_counter() - started
    started = time.perf_counter()
    stats = store.queue_stats()
    stats_seconds = time.perf_counter() - started
    # Setup, not measured: mark the whole backlog accepted in one statement (bench-side SQL).
    past = utcnow() - timedelta(days=1)
    from kiosk.store.model import to_db

    def _accept_all(conn) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE outbox SET state='accepted', official_code='BENCH', accepted_at=?, "
                     "next_attempt_at=NULL", (to_db(past),))
        conn.execute("UPDATE dossier SET retention_until=?", (to_db(past),))
        conn.execute("COMMIT")

    store.run_writer(_accept_all)
    store.checkpoint()
    size_before = (folder / "backlog.db").stat().st_size
    started = time.perf_counter()
    report = store.purge()
    purge_seconds = time.perf_counter() - started
    size_after = (folder / "backlog.db").stat().st_size
    store.close()
    return {"backlog": count, "seed_by_capture_s": seeding, "open_s": open_seconds,
            "list_s": list_seconds,
            "listed": len(listed), "queue_stats_s": stats_seconds,
            "queued_seen_by_stats": stats.queued, "purge_s": purge_seconds,
            "purged": len(report.submission_ids), "db_bytes_before_purge": size_before,
            "db_bytes_after_purge_and_vacuum": size_after}


def _crash(folder: Path, trials: int) -> dict:
    from crash_harness import run_trials

    report = run_trials(folder, trials=trials, seed=1000)
    return {"trials": report.trials, "violations": len(report.violations),
            "violation_examples": report.violations[:3],
            "captures_reported": report.captures_reported,
            "dossiers_in_store": report.dossiers_in_store,
            "leases_reclaimed": report.reclaimed_leases, "purged": report.purged,
            "seconds": report.seconds}


def run(quick: bool = False) -> dict:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMPDIR")) as tmp:
        folder = Path(tmp)
        for name in ("capture", "backlog", "crash"):
            (folder / name).mkdir()
        results = {
            "capture": _capture_vs_floor(folder / "capture", 40 if quick else 1000),
            "backlog": _backlog(folder / "backlog", 200 if quick else 10_000),
            "crash": _crash(folder / "crash", 5 if quick else 1000),
        }
    results["quick"] = quick
    return results


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
