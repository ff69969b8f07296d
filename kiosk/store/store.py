"""``Store``: the one object the rest of the kiosk uses to reach the database.

Writes go through the single writer thread (database.Writer), reads through a shared
read-only connection. Every method takes and returns plain records (model.py); no
caller outside ``kiosk/store`` writes SQL (ARCHITECTURE: boundaries).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from kiosk.store import attachments, audit, dossiers, outbox, receipts, retention
from kiosk.store.database import Reader, Writer, create_database
from kiosk.store.migrations import migrate
from kiosk.store.model import (
    AuditVerdict,
    CapturedDossier,
    IssuedReceipt,
    NewAttachment,
    NewDossier,
    OutboxItem,
    PurgeReport,
    QueueStats,
    utcnow,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class Store:
    """The encrypted offline store: capture, the outbox lease, receipts, audit, purge."""

    def __init__(self, path: Path, key: bytes, *, attachment_max_bytes: int,
                 retention_days: int, attempts_before_alert: int,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.path = path
        self.attachment_max_bytes = attachment_max_bytes
        self.retention_days = retention_days
        self.attempts_before_alert = attempts_before_alert
        self._clock = clock
        self._closed = False
        self._writer = Writer(path, key)
        try:
            self._writer.outside_transaction(migrate)
            self._reader = Reader(path, key)
        except BaseException:
            self._writer.close()
            raise

    # -- plumbing ---------------------------------------------------------------------
    def _write(self, work: Callable[[Any], T]) -> T:
        return self._writer.transaction(work)

    def _read(self, work: Callable[[Any], T]) -> T:
        return self._reader.run(work)

    def close(self) -> None:
        """Close both connections (idempotent); the last close checkpoints the WAL."""
        if self._closed:
            return
        self._closed = True
        self._reader.close()
        self._writer.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- capture ----------------------------------------------------------------------
    def check_attachments(self, items: tuple[NewAttachment, ...]) -> None:
        """Refuse an oversized attachment as soon as it is added, before finalization
        (REFERENCE §4.7); capture checks again."""
        attachments.check(tuple(items), self.attachment_max_bytes)

    def capture(self, dossier: NewDossier) -> CapturedDossier:
        """Freeze and commit a finalized dossier; returns only after a durable commit."""
        dossiers.validate(dossier, self.attachment_max_bytes)
        payload = dossiers.canonical_payload(dossier.payload)
        now = self._clock()
        captured = self._write(lambda conn: dossiers.capture(conn, dossier, payload, now))
        log.info("captured dossier %s (%d attachments)", captured.submission_id,
                 len(dossier.attachments))
        return captured

    def get(self, submission_id: str) -> OutboxItem:
        return self._read(lambda conn: dossiers.get(conn, submission_id))

    def provenance(self, submission_id: str) -> dict | None:
        return self._read(lambda conn: dossiers.provenance(conn, submission_id))

    def read_attachment(self, attachment_id: str) -> bytes:
        return self._read(lambda conn: attachments.read(conn, attachment_id))

    # -- the sender's lease -------------------------------------------------------------
    def claim_next(self, owner: str, lease_seconds: float,
                   now: datetime | None = None) -> OutboxItem | None:
        moment = now or self._clock()
        return self._write(lambda conn: outbox.claim_next(conn, owner, lease_seconds, moment))

    def reclaim_expired(self, now: datetime | None = None) -> int:
        moment = now or self._clock()
        return self._write(lambda conn: outbox.reclaim_expired(conn, moment))

    def renew_lease(self, submission_id: str, owner: str, lease_seconds: float) -> None:
        now = self._clock()
        self._write(lambda conn: outbox.renew_lease(conn, submission_id, owner, lease_seconds,
                                                    now))

    def mark_accepted(self, submission_id: str, owner: str, *, official_code: str,
                      receiving_unit: str, due_date: str | None, response: dict) -> None:
        now = self._clock()
        self._write(lambda conn: outbox.mark_accepted(
            conn, submission_id, owner, official_code=official_code,
            receiving_unit=receiving_unit, due_date=due_date, response=response,
            retention_days=self.retention_days, now=now))

    def mark_retry(self, submission_id: str, owner: str, *, error: str,
                   next_attempt_at: datetime) -> None:
        now = self._clock()
        self._write(lambda conn: outbox.mark_retry(
            conn, submission_id, owner, error=error, next_attempt_at=next_attempt_at,
            alert_after=self.attempts_before_alert, now=now))

    def quarantine(self, submission_id: str, owner: str, *, reason: str, details: dict) -> None:
        now = self._clock()
        self._write(lambda conn: outbox.quarantine(conn, submission_id, owner, reason=reason,
                                                   details=details, now=now))

    def release(self, submission_id: str, owner: str) -> None:
        now = self._clock()
        self._write(lambda conn: outbox.release(conn, submission_id, owner,
                                                alert_after=self.attempts_before_alert, now=now))

    def update_portal_status(self, submission_id: str, *, status: str,
                             official_code: str | None = None,
                             due_date: str | None = None) -> None:
        now = self._clock()
        self._write(lambda conn: outbox.update_portal_status(
            conn, submission_id, status=status, official_code=official_code, due_date=due_date,
            now=now))

    def queue_stats(self) -> QueueStats:
        return self._read(outbox.stats)

    def list_items(self, states: tuple[str, ...] | None = None,
                   limit: int | None = None) -> list[OutboxItem]:
        return self._read(lambda conn: outbox.list_items(conn, states, limit))

    # -- staff actions ------------------------------------------------------------------
    def retry_now(self, submission_id: str, technician: str) -> None:
        now = self._clock()
        self._write(lambda conn: outbox.retry_now(conn, submission_id, technician, now))

    def resolve(self, submission_id: str, technician: str, *, action: str,
                note: str = "") -> None:
        now = self._clock()
        self._write(lambda conn: outbox.resolve(conn, submission_id, technician, action=action,
                                                note=note, retention_days=self.retention_days,
                                                now=now))

    # -- receipts -----------------------------------------------------------------------
    def record_receipt(self, submission_id: str, receipt_number: str, seal_text: str,
                       layout: str) -> None:
        now = self._clock()
        self._write(lambda conn: receipts.record_receipt(conn, submission_id, receipt_number,
                                                         seal_text, layout, now))

    def record_print_job(self, receipt_number: str, printer: str, status: str,
                         error: str | None = None) -> int:
        now = self._clock()
        return self._write(lambda conn: receipts.record_print_job(conn, receipt_number, printer,
                                                                  status, error, now))

    def receipts_for(self, submission_id: str) -> list[IssuedReceipt]:
        return self._read(lambda conn: receipts.receipts_for(conn, submission_id))

    def find_receipt(self, receipt_number: str) -> IssuedReceipt | None:
        return self._read(lambda conn: receipts.find_receipt(conn, receipt_number))

    # -- audit --------------------------------------------------------------------------
    def audit(self, actor_kind: str, actor_id: str, action: str, subject: str | None = None,
              details: dict | None = None) -> None:
        now = self._clock()
        self._write(lambda conn: audit.append(conn, actor_kind, actor_id, action, subject,
                                              details, at=now))

    def verify_audit(self) -> AuditVerdict:
        return self._read(audit.verify)

    def audit_entries(self, limit: int = 50, subject: str | None = None) -> list[dict]:
        return self._read(lambda conn: audit.recent(conn, limit, subject))

    # -- retention ----------------------------------------------------------------------
    def purge(self, *, dry_run: bool = False, actor_kind: str = "system",
              actor_id: str = "retention", now: datetime | None = None) -> PurgeReport:
        """Drop personal data past retention; VACUUM afterwards so none lingers."""
        moment = now or self._clock()

        def _purge(conn: Any) -> tuple[list[str], int, int]:
            ids = retention.due(conn, moment)
            count, size = retention.measure(conn, ids)
            if not dry_run:
                retention.purge(conn, ids, actor_kind, actor_id, moment)
            return ids, count, size

        ids, count, size = (self._read if dry_run else self._write)(_purge)
        vacuumed = False
        if ids and not dry_run:
            self._writer.outside_transaction(retention.vacuum)
            vacuumed = True
            log.info("purged personal data of %d dossier(s)", len(ids))
        return retention.report(ids, count, size, vacuumed=vacuumed, dry_run=dry_run)

    # -- maintenance --------------------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """Pages failing SQLCipher's HMAC check, then SQLite's own structural check."""
        def _check(conn: Any) -> list[str]:
            problems = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
            if not problems:
                problems = [row[0] for row in conn.execute("PRAGMA integrity_check")
                            if row[0] != "ok"]
            return problems

        return self._writer.outside_transaction(_check)

    def checkpoint(self) -> None:
        self._writer.outside_transaction(
            lambda conn: conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall())

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt the whole database under ``new_key`` (a copy renamed into place)."""
        self._reader.close()
        try:
            self._writer.reencrypt(new_key)
        finally:
            self._reader = Reader(self.path, self._writer.key)

    def run_writer(self, work: Callable[[Any], T]) -> T:
        """For store-internal modules (export, key rotation) that need the writer connection."""
        return self._writer.outside_transaction(work)


def open_store(db_path: Path, key: bytes, *,
               attachment_max_bytes: int = DEFAULT_ATTACHMENT_MAX_BYTES,
               retention_days: int = 30, attempts_before_alert: int = 12,
               create: bool = True, clock: Callable[[], datetime] = utcnow) -> Store:
    """Open the store, creating it (atomically) when missing and ``create`` is true.

    Callers that know a database should already exist (the kiosk, once its key exists)
    pass ``create=False`` so a lost file is reported, never silently replaced.
    """
    db_path = Path(db_path)
    if not db_path.exists() and create:
        create_database(db_path, key)
    return Store(db_path, key, attachment_max_bytes=attachment_max_bytes,
                 retention_days=retention_days, attempts_before_alert=attempts_before_alert,
                 clock=clock)


def created_marker(db_path: Path) -> Path:
    """Written once the database exists: a later missing file is then a loss, not a new kiosk."""
    return db_path.with_name(db_path.name + ".created")


def open_configured_store(settings: Any) -> Store:
    """The kiosk's store from its settings: unseal (or create) the key, open (or create) the file.

    A missing database is created only on a kiosk that never had one; once the
    ``.created`` marker exists, a missing file raises StoreMissing instead of being
    silently replaced by an empty store (issue 4: no silent new database).
    """
    from kiosk.store import keys
    from kiosk.store.errors import StoreMissing

    db_path = settings.database_path
    marker = created_marker(db_path)
    key = keys.load_or_create_key(settings)
    if not db_path.exists() and marker.exists():
        raise StoreMissing(f"the database {db_path} is missing, but this kiosk had one. Nothing "
                           "was created in its place: restore the file from the technician "
                           f"export or backup, or remove {marker.name} to start an empty store.")
    store = open_store(db_path, key, attachment_max_bytes=settings.store.attachment_max_bytes,
                       retention_days=settings.store.retention_days,
                       attempts_before_alert=settings.sync.attempts_before_alert)
    if not marker.exists():
        marker.write_text("This kiosk has an encrypted store; do not delete.\n", "utf-8")
    return store
