"""Retention: once the portal accepted a dossier (or a technician closed a quarantined
one) and the retention period passed, drop its personal data, keeping what a receipt
lookup needs: ids, ticket, procedure, form version, status, official code and dates.

``secure_delete`` overwrites the freed cells, and a VACUUM after each purge rebuilds the
file so nothing lingers in free pages; a WAL checkpoint (TRUNCATE) then empties the WAL.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from kiosk.store import audit
from kiosk.store.model import PurgeReport, to_db

log = logging.getLogger(__name__)
PURGED_NAME = "(purged)"


def due(conn: Any, now: datetime) -> list[str]:
    """Dossiers past retention: accepted, or quarantined and closed by a technician."""
    return [r[0] for r in conn.execute(
        "SELECT d.submission_id FROM dossier d JOIN outbox o USING (submission_id) "
        "WHERE d.purged_at IS NULL AND d.retention_until IS NOT NULL AND d.retention_until <= ? "
        "AND (o.state = 'accepted' OR (o.state = 'rejected' AND o.resolved_at IS NOT NULL)) "
        "ORDER BY d.retention_until", (to_db(now),))]


def measure(conn: Any, submission_ids: list[str]) -> tuple[int, int]:
    """(attachments, bytes) that purging these dossiers frees."""
    attachments = size = 0
    for sid in submission_ids:
        row = conn.execute("SELECT count(*), coalesce(sum(size), 0) FROM attachment "
                           "WHERE submission_id = ? AND data IS NOT NULL", (sid,)).fetchone()
        payload = conn.execute("SELECT coalesce(payload_size, 0) FROM dossier "
                               "WHERE submission_id = ?", (sid,)).fetchone()[0]
        attachments += row[0]
        size += row[1] + payload
    return attachments, size


def purge(conn: Any, submission_ids: list[str], actor_kind: str, actor_id: str,
          now: datetime) -> None:
    """Drop the personal data of these dossiers inside the caller's transaction."""
    stamp = to_db(now)
    for sid in submission_ids:
        conn.execute("UPDATE dossier SET payload = NULL, provenance = NULL, identification = NULL, purged_at = ? "
                     "WHERE submission_id = ?", (stamp, sid))
        conn.execute("UPDATE attachment SET data = NULL, name = ? WHERE submission_id = ?",
                     (PURGED_NAME, sid))
        conn.execute("UPDATE outbox SET portal_response = NULL, quarantine_details = NULL, "
                     "last_error = NULL, updated_at = ? WHERE submission_id = ?", (stamp, sid))
    if submission_ids:
        audit.append(conn, actor_kind, actor_id, "retention.purged", None,
                     {"dossiers": len(submission_ids)}, at=now)


def vacuum(conn: Any) -> None:
    """Rebuild the file without free pages, then empty the WAL (outside any transaction)."""
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def report(submission_ids: list[str], attachments: int, size: int, *, vacuumed: bool,
           dry_run: bool) -> PurgeReport:
    return PurgeReport(tuple(submission_ids), attachments, size, vacuumed, dry_run)
