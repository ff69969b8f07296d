"""The simulator's own SQLite store: dossiers, idempotency records, uploads, kiosks, ratings.

One connection behind a lock: the simulator is a test peer, and serializing its writes
makes "exactly once" checkable (a submission id is inserted in the same transaction as
its idempotency record, so a dropped response can never yield a second dossier).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    submission_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, official_code TEXT NOT NULL UNIQUE,
    procedure_code TEXT NOT NULL, form_id TEXT NOT NULL, form_version TEXT NOT NULL,
    ticket TEXT, payload TEXT NOT NULL, payload_sha256 TEXT NOT NULL, attachments TEXT NOT NULL,
    depends_on TEXT NOT NULL, supersedes TEXT, status TEXT NOT NULL, receiving_unit TEXT NOT NULL,
    due_date TEXT, received_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY, scope TEXT NOT NULL, fingerprint TEXT NOT NULL, status_code INTEGER NOT NULL,
    response TEXT NOT NULL, created_at TEXT NOT NULL, replays INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS uploads (
    upload_id TEXT PRIMARY KEY, submission_id TEXT NOT NULL, attachment_id TEXT NOT NULL,
    name TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
    offset INTEGER NOT NULL DEFAULT 0, complete INTEGER NOT NULL DEFAULT 0,
    UNIQUE (submission_id, attachment_id));
CREATE TABLE IF NOT EXISTS upload_chunks (
    upload_id TEXT NOT NULL, offset INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (upload_id, offset));
CREATE TABLE IF NOT EXISTS enrolment_codes (
    code TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, centre_code TEXT NOT NULL, centre_name TEXT NOT NULL,
    expires_at TEXT NOT NULL, used_at TEXT);
CREATE TABLE IF NOT EXISTS kiosks (
    kiosk_id TEXT PRIMARY KEY, centre_code TEXT NOT NULL, centre_name TEXT NOT NULL,
    device_cert BLOB NOT NULL, receipt_cert BLOB NOT NULL, status TEXT NOT NULL, enrolled_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ratings (
    rating_id INTEGER PRIMARY KEY AUTOINCREMENT, kiosk_id TEXT NOT NULL, ticket TEXT NOT NULL,
    score INTEGER NOT NULL, comment TEXT NOT NULL, created_at TEXT NOT NULL);
"""

STATUSES = ("received", "in_processing", "supplement_requested", "rejected", "result_ready")


def now_utc() -> datetime:
    return datetime.now(UTC)


def fingerprint(body: dict[str, Any]) -> str:
    """Same request = same canonical JSON (Stripe-style parameter comparison, not raw bytes)."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode("utf-8")).hexdigest()


class Database:
    """Thread-safe access to the simulator's tables; every method is one transaction."""

    def __init__(self, path: Path | str) -> None:
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- idempotency -------------------------------------------------------------------------
    def idempotent(self, conn: sqlite3.Connection, key: str, scope: str, print_: str
                   ) -> tuple[int, dict] | None | str:
        """The stored answer for this key, None if new, or "mismatch" if reused with other parameters."""
        row = conn.execute("SELECT scope, fingerprint, status_code, response FROM idempotency WHERE key=?",
                           (key,)).fetchone()
        if row is None:
            return None
        if row["scope"] != scope or row["fingerprint"] != print_:
            return "mismatch"
        conn.execute("UPDATE idempotency SET replays = replays + 1 WHERE key=?", (key,))
        return row["status_code"], json.loads(row["response"])

    def remember(self, conn: sqlite3.Connection, key: str, scope: str, print_: str, status_code: int,
                 response: dict) -> None:
        conn.execute("INSERT INTO idempotency (key, scope, fingerprint, status_code, response, created_at)"
                     " VALUES (?,?,?,?,?,?)", (key, scope, print_, status_code,
                                               json.dumps(response, ensure_ascii=False),
                                               now_utc().isoformat()))

    def next_serial(self, conn: sqlite3.Connection, prefix: str) -> int:
        conn.execute("INSERT INTO counters (name, value) VALUES (?, 1) "
                     "ON CONFLICT(name) DO UPDATE SET value = value + 1", (prefix,))
        return conn.execute("SELECT value FROM counters WHERE name=?", (prefix,)).fetchone()[0]

    # -- submissions -------------------------------------------------------------------------
    def insert_submission(self, conn: sqlite3.Connection, row: dict[str, Any]) -> None:
        columns = ", ".join(row)
        conn.execute(f"INSERT INTO submissions ({columns}) VALUES ({', '.join('?' * len(row))})",
                     tuple(row.values()))

    def submission(self, submission_id: str) -> dict | None:
        with self._lock:
            row = self._conn.execute("SELECT * FROM submissions WHERE submission_id=?",
                                     (submission_id,)).fetchone()
        return dict(row) if row else None

    def submission_by_code(self, official_code: str) -> dict | None:
        with self._lock:
            row = self._conn.execute("SELECT * FROM submissions WHERE official_code=?",
                                     (official_code,)).fetchone()
        return dict(row) if row else None

    def submissions(self, limit: int = 100000) -> list[dict]:
        with self._lock:
            rows = self._conn.execute("SELECT s.*, i.replays FROM submissions s LEFT JOIN idempotency i "
                                      "ON i.key = s.submission_id ORDER BY s.received_at LIMIT ?",
                                      (limit,)).fetchall()
        return [dict(row) for row in rows]

    def set_status(self, submission_id: str, status: str) -> bool:
        with self.transaction() as conn:
            cursor = conn.execute("UPDATE submissions SET status=?, updated_at=? WHERE submission_id=?",
                                  (status, now_utc().isoformat(), submission_id))
            return cursor.rowcount == 1

    def counts(self) -> dict[str, int]:
        with self._lock:
            submissions = self._conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
            replays = self._conn.execute("SELECT COALESCE(SUM(replays), 0) FROM idempotency").fetchone()[0]
        return {"submissions": submissions, "replays": replays}

    # -- uploads -----------------------------------------------------------------------------
    def open_upload(self, submission_id: str, attachment_id: str, name: str, media_type: str, size: int,
                    sha256: str) -> tuple[dict, bool]:
        """The upload for (submission, attachment): created, or the existing one (resumable)."""
        with self.transaction() as conn:
            row = conn.execute("SELECT * FROM uploads WHERE submission_id=? AND attachment_id=?",
                               (submission_id, attachment_id)).fetchone()
            if row is not None:
                return dict(row), False
            upload_id = secrets.token_hex(16)
            conn.execute("INSERT INTO uploads (upload_id, submission_id, attachment_id, name, media_type, "
                         "size, sha256) VALUES (?,?,?,?,?,?,?)",
                         (upload_id, submission_id, attachment_id, name, media_type, size, sha256))
            row = conn.execute("SELECT * FROM uploads WHERE upload_id=?", (upload_id,)).fetchone()
            return dict(row), True

    def upload(self, upload_id: str) -> dict | None:
        with self._lock:
            row = self._conn.execute("SELECT * FROM uploads WHERE upload_id=?", (upload_id,)).fetchone()
        return dict(row) if row else None

    def append_chunk(self, upload_id: str, offset: int, data: bytes) -> dict:
        """Append at ``offset`` (the caller checked it); on reaching the size, verify SHA-256.

        A hash mismatch discards the upload's bytes so the kiosk starts that file again.
        """
        with self.transaction() as conn:
            row = dict(conn.execute("SELECT * FROM uploads WHERE upload_id=?", (upload_id,)).fetchone())
            if data:
                conn.execute("INSERT INTO upload_chunks (upload_id, offset, data) VALUES (?,?,?)",
                             (upload_id, offset, data))
            new_offset = offset + len(data)
            complete = 0
            if new_offset == row["size"]:
                digest = hashlib.sha256()
                for chunk in conn.execute("SELECT data FROM upload_chunks WHERE upload_id=? ORDER BY offset",
                                          (upload_id,)):
                    digest.update(chunk[0])
                if digest.hexdigest() != row["sha256"]:
                    conn.execute("DELETE FROM upload_chunks WHERE upload_id=?", (upload_id,))
                    conn.execute("UPDATE uploads SET offset=0 WHERE upload_id=?", (upload_id,))
                    row.update(offset=0, complete=0, hash_mismatch=True)
                    return row
                complete = 1
            conn.execute("UPDATE uploads SET offset=?, complete=? WHERE upload_id=?",
                         (new_offset, complete, upload_id))
            row.update(offset=new_offset, complete=complete)
            return row

    def uploads_for(self, conn: sqlite3.Connection, submission_id: str) -> dict[str, dict]:
        rows = conn.execute("SELECT * FROM uploads WHERE submission_id=?", (submission_id,)).fetchall()
        return {row["attachment_id"]: dict(row) for row in rows}

    # -- enrolment and kiosks ----------------------------------------------------------------
    def new_enrolment_code(self, kiosk_id: str, centre_code: str, centre_name: str,
                           valid_for: timedelta) -> str:
        code = "-".join(secrets.token_hex(2).upper() for _ in range(4))
        with self.transaction() as conn:
            conn.execute("INSERT INTO enrolment_codes (code, kiosk_id, centre_code, centre_name, expires_at)"
                         " VALUES (?,?,?,?,?)",
                         (code, kiosk_id, centre_code, centre_name, (now_utc() + valid_for).isoformat()))
        return code

    def consume_enrolment_code(self, conn: sqlite3.Connection, code: str) -> dict | str:
        """The code's row, marked used; or a reason string: unknown, used, expired."""
        row = conn.execute("SELECT * FROM enrolment_codes WHERE code=?", (code,)).fetchone()
        if row is None:
            return "unknown"
        if row["used_at"]:
            return "used"
        if datetime.fromisoformat(row["expires_at"]) < now_utc():
            return "expired"
        conn.execute("UPDATE enrolment_codes SET used_at=? WHERE code=?", (now_utc().isoformat(), code))
        return dict(row)

    def register_kiosk(self, conn: sqlite3.Connection, kiosk_id: str, centre_code: str, centre_name: str,
                       device_cert: bytes, receipt_cert: bytes) -> None:
        conn.execute("INSERT OR REPLACE INTO kiosks (kiosk_id, centre_code, centre_name, device_cert, "
                     "receipt_cert, status, enrolled_at) VALUES (?,?,?,?,?,?,?)",
                     (kiosk_id, centre_code, centre_name, device_cert, receipt_cert, "active",
                      now_utc().isoformat()))

    def kiosk(self, kiosk_id: str) -> dict | None:
        with self._lock:
            row = self._conn.execute("SELECT * FROM kiosks WHERE kiosk_id=?", (kiosk_id,)).fetchone()
        return dict(row) if row else None

    def kiosks(self) -> list[dict]:
        with self._lock:
            return [dict(row) for row in self._conn.execute("SELECT * FROM kiosks ORDER BY kiosk_id")]

    def set_kiosk_status(self, kiosk_id: str, status: str) -> bool:
        with self.transaction() as conn:
            return conn.execute("UPDATE kiosks SET status=? WHERE kiosk_id=?",
                                (status, kiosk_id)).rowcount == 1

    # -- ratings -----------------------------------------------------------------------------
    def add_rating(self, conn: sqlite3.Connection, kiosk_id: str, ticket: str, score: int,
                   comment: str) -> int:
        cursor = conn.execute("INSERT INTO ratings (kiosk_id, ticket, score, comment, created_at) "
                              "VALUES (?,?,?,?,?)", (kiosk_id, ticket, score, comment,
                                                     now_utc().isoformat()))
        return int(cursor.lastrowid)

    def ratings(self) -> list[dict]:
        with self._lock:
            return [dict(row) for row in self._conn.execute("SELECT * FROM ratings ORDER BY rating_id")]
