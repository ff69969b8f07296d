"""Crash consistency: a child process works the store while the parent SIGKILLs it at random
moments, then reopens the store and checks every guarantee (issue 4 reliability test).

Each trial forks a child from the already-initialised parent (cheap: no interpreter start),
lets it capture dossiers and walk them through every transition (claim, accept, retry,
quarantine, resolve, release, receipts, purge + VACUUM, leaving items mid-send), kills it
after a random delay, and verifies:

* every dossier whose capture returned is present exactly once, its bytes match the SHA-256
  reported by the child (unless purged after acceptance);
* no partial capture: no dossier without its outbox entry, no attachment without its dossier;
* no two dossiers carry the same capture nonce (nothing duplicated);
* nothing is stuck in ``sending``: once its lease expires it is claimable again;
* the audit chain verifies and every page authenticates.

Used by tests/store/test_crash.py (200 trials) and bench/bench_store.py (1,000 trials).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from store_samples import dossier

from kiosk.store import NewAttachment, open_store
from kiosk.store.model import utcnow

LEASE_SECONDS = 0.3


def _child(db_path: Path, key: bytes, fd: int, trial: int, seed: int) -> None:
    rng = random.Random(seed)
    store = open_store(db_path, key, attachment_max_bytes=64 * 1024, retention_days=0,
                       attempts_before_alert=3, create=False)
    os.write(fd, b"R\n")  # ready: the parent's random delay starts now, during real work
    owner = f"child-{trial}"
    for n in range(10_000):
        nonce = f"{trial}-{n}"
        extra = (NewAttachment("scan.bin", "application/octet-stream",
                               rng.randbytes(rng.choice((10, 3000, 20000)))),) \
            if rng.random() < 0.3 else ()
        captured = store.capture(dossier({"nonce": nonce, "pad": "ư" * rng.randint(0, 400)},
                                         attachments=extra))
        os.write(fd, f"C {captured.submission_id} {captured.payload_sha256} {nonce}\n".encode())
        item = store.claim_next(owner, LEASE_SECONDS)
        if item is None:
            continue
        action = rng.random()
        if action < 0.35:
            store.mark_accepted(item.submission_id, owner, official_code=f"OC-{nonce}",
                                receiving_unit="UBND", due_date="2026-04-01", response={"ok": 1})
            store.record_receipt(item.submission_id, f"R-{item.submission_id}", "HC1:x", "80mm")
            store.record_print_job(f"R-{item.submission_id}", "pdf", "printed")
        elif action < 0.55:
            store.mark_retry(item.submission_id, owner, error="HTTP 503", next_attempt_at=utcnow())
        elif action < 0.65:
            store.quarantine(item.submission_id, owner, reason="HTTP 422", details={"f": "x"})
            store.resolve(item.submission_id, "tech", action=rng.choice(("requeue", "close")))
        elif action < 0.75:
            store.release(item.submission_id, owner)
        elif action < 0.8:
            store.purge()
        # else: leave it in "sending", as a sender that dies mid-request would
    store.close()


@dataclass
class CrashReport:
    trials: int = 0
    captures_reported: int = 0
    dossiers_in_store: int = 0
    reclaimed_leases: int = 0
    purged: int = 0
    violations: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _verify(db_path: Path, key: bytes, reported: dict[str, tuple[str, str]],
            report: CrashReport) -> None:
    store = open_store(db_path, key, retention_days=0, create=False)
    try:
        items = store.list_items()
        # One pass over the raw rows (test-side SQL): every payload with its stored hash.
        rows = store.run_writer(lambda conn: conn.execute(
            "SELECT d.submission_id, d.payload, d.payload_sha256, d.purged_at, o.state "
            "FROM dossier d JOIN outbox o USING (submission_id)").fetchall())
        by_id = {row[0]: row for row in rows}
        nonces = []
        for sid, payload, digest, purged_at, state in rows:
            if payload is None:
                if purged_at is None or state not in ("accepted", "rejected"):
                    report.violations.append(f"{sid}: payload gone but not purged")
                continue
            if hashlib.sha256(payload).hexdigest() != digest:
                report.violations.append(f"{sid}: payload does not match its SHA-256")
            nonces.append(json.loads(payload)["nonce"])
        if len(nonces) != len(set(nonces)):
            report.violations.append(f"trial {report.trials}: a capture was duplicated")
        for sid, (digest, nonce) in reported.items():
            row = by_id.get(sid)
            if row is None:
                report.violations.append(f"trial {report.trials}: returned capture {sid} lost")
            elif row[2] != digest or (row[1] is not None
                                      and json.loads(row[1])["nonce"] != nonce):
                report.violations.append(f"{sid}: not the dossier capture returned")
        sending = [i for i in items if i.state == "sending"]
        if any(i.lease_expires_at is None for i in sending):
            report.violations.append("an item is sending without a lease")
        report.reclaimed_leases += store.reclaim_expired(utcnow() + timedelta(hours=1))
        if store.queue_stats().sending:
            report.violations.append("an item stayed in sending after its lease expired")
        verdict = store.verify_audit()
        if not verdict.ok:
            report.violations.append(f"audit chain broken at {verdict.first_bad_seq}: "
                                     f"{verdict.problem}")
        orphans = store.run_writer(lambda conn: conn.execute(
            "SELECT (SELECT count(*) FROM dossier WHERE submission_id NOT IN "
            "(SELECT submission_id FROM outbox)) + (SELECT count(*) FROM attachment WHERE "
            "submission_id NOT IN (SELECT submission_id FROM dossier))").fetchone()[0])
        if orphans:
            report.violations.append(f"{orphans} partial capture(s): rows without their outbox "
                                     "entry or dossier")
        problems = store.integrity_problems()
        if problems:
            report.violations.append(f"integrity: {problems[:3]}")
        report.dossiers_in_store = len(items)
        report.purged = sum(1 for i in items if i.purged_at is not None)
    finally:
        store.close()


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


def _wait_for_threads(baseline: int) -> None:
    """Fork only once the store's writer thread is really gone.

    sqlcipher3 links its own OpenSSL, whose global locks are taken by a thread's exit
    handlers after Python's join() returned; forking during that window leaves the child
    with a lock nobody will release (seen as a hung child). Wait for the OS thread to end.
    """
    deadline = time.monotonic() + 5
    while _threads() > baseline and time.monotonic() < deadline:
        time.sleep(0.001)


def run_trials(folder: Path, trials: int, seed: int = 1, max_delay: float = 0.08) -> CrashReport:
    """Fork, kill at a random moment, verify; ``trials`` times on one database."""
    rng = random.Random(seed)
    key = os.urandom(32)
    db_path = folder / "crash.db"
    baseline_before_store = _threads()
    open_store(db_path, key).close()
    reported: dict[str, tuple[str, str]] = {}
    report = CrashReport()
    baseline = baseline_before_store
    started = time.perf_counter()
    for trial in range(trials):
        _wait_for_threads(baseline)
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(reader)
            try:
                _child(db_path, key, writer, trial, rng.randrange(1 << 30))
            finally:
                os._exit(0)
        os.close(writer)
        if os.read(reader, 2) != b"R\n":
            report.violations.append(f"trial {trial}: the child could not open the store")
        time.sleep(rng.uniform(0.0, max_delay))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(reader, "rb") as pipe:
            lines = pipe.read().decode().splitlines()
        for line in lines:
            if line == "R":
                continue
            kind, sid, digest, nonce = line.split(" ")
            reported[sid] = (digest, nonce)
        report.trials = trial + 1
        report.captures_reported = len(reported)
        _verify(db_path, key, reported, report)
        if report.violations:
            break
    report.seconds = time.perf_counter() - started
    return report
