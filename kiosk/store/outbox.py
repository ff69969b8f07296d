"""The outbox state machine and the sender's lease (REFERENCE §4.3–§4.6).

    queued ──claim──▶ sending ──▶ accepted
       ▲                 │ ├───▶ rejected (quarantine, for staff review)
       └──retry/release──┘ └───▶ needs_attention (a retry past the alert ceiling)

A claim is a lease: if the sender dies, the lease expires and the item becomes
claimable again, marked "outcome unknown" so the sender asks the portal for its status
before resending (§4.8). Only the lease holder may move an item out of ``sending``,
except that a positive portal answer is always recorded (status is pessimistic, and
an acceptance is never thrown away).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from kiosk.store import audit, dossiers
from kiosk.store.errors import InvalidTransition, LeaseLost, UnknownSubmission
from kiosk.store.model import OutboxItem, QueueStats, from_db, to_db

log = logging.getLogger(__name__)
# "uncertain: " is the prefix the sender (kiosk/sync/sender.py) reads as "ask the portal for
# this submission's status before sending it again" (REFERENCE §4.8).
UNCERTAIN_PREFIX = "uncertain: "
LEASE_EXPIRED_ERROR = (UNCERTAIN_PREFIX + "the lease expired while sending (the sender stopped); "
                       "outcome unknown, ask the portal first")


def _state(conn: Any, submission_id: str) -> tuple[str, str | None, str | None]:
    row = conn.execute("SELECT state, lease_owner, official_code FROM outbox "
                       "WHERE submission_id = ?", (submission_id,)).fetchone()
    if row is None:
        raise UnknownSubmission(f"no dossier {submission_id} in the outbox")
    return row


def _require_lease(conn: Any, submission_id: str, owner: str) -> None:
    state, lease_owner, _ = _state(conn, submission_id)
    if state != "sending" or lease_owner != owner:
        raise LeaseLost(f"{owner} does not hold the lease on {submission_id} (state {state}); "
                        "another sender claimed it or its lease expired")


def reclaim_expired(conn: Any, now: datetime) -> int:
    """Give back every item whose sender's lease ran out (a crashed or stalled sender)."""
    expired = [r[0] for r in conn.execute(
        "SELECT submission_id FROM outbox WHERE state = 'sending' AND lease_expires_at <= ?",
        (to_db(now),))]
    for submission_id in expired:
        conn.execute("UPDATE outbox SET state = 'queued', lease_owner = NULL, "
                     "lease_expires_at = NULL, last_error = ?, updated_at = ? "
                     "WHERE submission_id = ?", (LEASE_EXPIRED_ERROR, to_db(now), submission_id))
        audit.append(conn, "system", "store", "outbox.lease_expired", submission_id, at=now)
    if expired:
        log.warning("reclaimed %d outbox item(s) whose lease expired", len(expired))
    return len(expired)


SENDABLE_STATES = ("queued", "needs_attention")
_NEXT_SENDABLE = (
    "SELECT o.submission_id, o.next_attempt_at FROM outbox o INDEXED BY outbox_sendable "
    "WHERE o.state = ? AND o.next_attempt_at <= ? "
    "AND NOT EXISTS (SELECT 1 FROM dossier_dependency dep JOIN outbox p "
    "  ON p.submission_id = dep.parent_id "
    "  WHERE dep.child_id = o.submission_id AND p.state != 'accepted') "
    "ORDER BY o.next_attempt_at LIMIT 1")


def claim_next(conn: Any, owner: str, lease_seconds: float, now: datetime) -> OutboxItem | None:
    """The oldest due item whose parents are all accepted, leased to ``owner``."""
    reclaim_expired(conn, now)
    stamp = to_db(now)
    # One state at a time, so the (state, next_attempt_at) index yields rows already in
    # order and the first one whose parents are accepted ends the scan: no sort of the
    # whole queue per claim (it cost 10 ms at a 10,000-dossier backlog).
    candidates = [found for state in SENDABLE_STATES
                  if (found := conn.execute(_NEXT_SENDABLE, (state, stamp)).fetchone())]
    row = min(candidates, key=lambda found: found[1]) if candidates else None
    if row is None:
        return None
    submission_id = row[0]
    conn.execute("UPDATE outbox SET state = 'sending', attempts = attempts + 1, lease_owner = ?, "
                 "lease_expires_at = ?, updated_at = ? WHERE submission_id = ?",
                 (owner, to_db(now + timedelta(seconds=lease_seconds)), stamp, submission_id))
    audit.append(conn, "sync", owner, "outbox.claimed", submission_id, at=now)
    return dossiers.get(conn, submission_id)


def renew_lease(conn: Any, submission_id: str, owner: str, lease_seconds: float,
                now: datetime) -> None:
    _require_lease(conn, submission_id, owner)
    conn.execute("UPDATE outbox SET lease_expires_at = ?, updated_at = ? WHERE submission_id = ?",
                 (to_db(now + timedelta(seconds=lease_seconds)), to_db(now), submission_id))


def mark_accepted(conn: Any, submission_id: str, owner: str, *, official_code: str,
                  receiving_unit: str, due_date: str | None, response: dict,
                  retention_days: int, now: datetime) -> None:
    state, lease_owner, known_code = _state(conn, submission_id)
    if state == "accepted":
        if known_code == official_code:
            return  # the same answer twice (a replayed response): nothing new
        raise InvalidTransition(f"{submission_id} was already accepted under another "
                                "official code; check the portal")
    if state == "rejected":
        raise InvalidTransition(f"{submission_id} is in quarantine; resolve it first")
    if not official_code:
        raise InvalidTransition("an acceptance needs the portal's official dossier code")
    stamp = to_db(now)
    conn.execute(
        "UPDATE outbox SET state = 'accepted', lease_owner = NULL, lease_expires_at = NULL, "
        "next_attempt_at = NULL, last_error = NULL, official_code = ?, receiving_unit = ?, "
        "due_date = ?, portal_response = ?, accepted_at = ?, updated_at = ? "
        "WHERE submission_id = ?",
        (official_code, receiving_unit, due_date,
         json.dumps(response, sort_keys=True, ensure_ascii=False), stamp, stamp, submission_id))
    conn.execute("UPDATE dossier SET retention_until = ? WHERE submission_id = ?",
                 (to_db(now + timedelta(days=retention_days)), submission_id))
    held = state == "sending" and lease_owner == owner
    # The official code lives in the outbox row; kept out of the audit entry so that an
    # unexpected code format can never make the personal-data guard refuse an acceptance.
    audit.append(conn, "sync", owner, "outbox.accepted", submission_id,
                 {"lease_held": held}, at=now)


def mark_retry(conn: Any, submission_id: str, owner: str, *, error: str,
               next_attempt_at: datetime, alert_after: int, now: datetime) -> None:
    _require_lease(conn, submission_id, owner)
    attempts = conn.execute("SELECT attempts FROM outbox WHERE submission_id = ?",
                            (submission_id,)).fetchone()[0]
    state = "needs_attention" if attempts >= alert_after else "queued"
    conn.execute("UPDATE outbox SET state = ?, lease_owner = NULL, lease_expires_at = NULL, "
                 "next_attempt_at = ?, last_error = ?, updated_at = ? WHERE submission_id = ?",
                 (state, to_db(next_attempt_at), error[:500], to_db(now), submission_id))
    audit.append(conn, "sync", owner, "outbox.retry", submission_id,
                 {"attempts": attempts, "state": state}, at=now)


def quarantine(conn: Any, submission_id: str, owner: str, *, reason: str, details: dict,
               now: datetime) -> None:
    _require_lease(conn, submission_id, owner)
    conn.execute("UPDATE outbox SET state = 'rejected', lease_owner = NULL, lease_expires_at = NULL,"
                 " next_attempt_at = NULL, quarantine_reason = ?, quarantine_details = ?, "
                 "last_error = ?, updated_at = ? WHERE submission_id = ?",
                 (reason[:500], json.dumps(details, sort_keys=True, ensure_ascii=False),
                  reason[:500], to_db(now), submission_id))
    audit.append(conn, "sync", owner, "outbox.quarantined", submission_id, at=now)


def release(conn: Any, submission_id: str, owner: str, *, alert_after: int,
            now: datetime) -> None:
    """Give a claimed item back untouched; the attempt it cost is not counted."""
    _require_lease(conn, submission_id, owner)
    conn.execute("UPDATE outbox SET attempts = MAX(attempts - 1, 0), "
                 "state = CASE WHEN attempts - 1 >= ? THEN 'needs_attention' ELSE 'queued' END, "
                 "lease_owner = NULL, lease_expires_at = NULL, updated_at = ? "
                 "WHERE submission_id = ?", (alert_after, to_db(now), submission_id))
    audit.append(conn, "sync", owner, "outbox.released", submission_id, at=now)


def update_portal_status(conn: Any, submission_id: str, *, status: str,
                         official_code: str | None, due_date: str | None, now: datetime) -> None:
    state, _, _ = _state(conn, submission_id)
    if state != "accepted":
        raise InvalidTransition(f"{submission_id} is {state}: the portal knows only accepted "
                                "dossiers")
    conn.execute("UPDATE outbox SET portal_status = ?, "
                 "official_code = COALESCE(?, official_code), due_date = COALESCE(?, due_date), "
                 "updated_at = ? WHERE submission_id = ?",
                 (status, official_code, due_date, to_db(now), submission_id))
    audit.append(conn, "sync", "status", "outbox.portal_status", submission_id,
                 {"status": status}, at=now)


def retry_now(conn: Any, submission_id: str, technician: str, now: datetime) -> None:
    """Staff's "send now": make a waiting item due immediately (REFERENCE §4.11)."""
    state, _, _ = _state(conn, submission_id)
    if state not in ("queued", "needs_attention"):
        raise InvalidTransition(f"{submission_id} is {state}; only waiting items can be sent "
                                "now (use resolve for quarantined ones)")
    conn.execute("UPDATE outbox SET next_attempt_at = ?, updated_at = ? WHERE submission_id = ?",
                 (to_db(now), to_db(now), submission_id))
    audit.append(conn, "technician", technician, "outbox.retry_now", submission_id, at=now)


def resolve(conn: Any, submission_id: str, technician: str, *, action: str, note: str,
            retention_days: int, now: datetime) -> None:
    """A technician's decision on a quarantined dossier: send it again, or close it."""
    state, _, _ = _state(conn, submission_id)
    if state != "rejected":
        raise InvalidTransition(f"{submission_id} is {state}, not in quarantine")
    stamp = to_db(now)
    if action == "requeue":
        conn.execute("UPDATE outbox SET state = 'queued', next_attempt_at = ?, attempts = 0, "
                     "quarantine_reason = NULL, resolved_at = ?, resolved_by = ?, updated_at = ? "
                     "WHERE submission_id = ?", (stamp, stamp, technician, stamp, submission_id))
    elif action == "close":
        conn.execute("UPDATE outbox SET resolved_at = ?, resolved_by = ?, updated_at = ? "
                     "WHERE submission_id = ?", (stamp, technician, stamp, submission_id))
        conn.execute("UPDATE dossier SET retention_until = ? WHERE submission_id = ?",
                     (to_db(now + timedelta(days=retention_days)), submission_id))
    else:
        raise InvalidTransition(f"unknown resolution {action!r}; use requeue or close")
    audit.append(conn, "technician", technician, f"outbox.resolved.{action}", submission_id,
                 {"note_chars": len(note)}, at=now)


def stats(conn: Any) -> QueueStats:
    counts = dict(conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
    oldest = conn.execute("SELECT min(d.finalized_at) FROM outbox o JOIN dossier d "
                          "USING (submission_id) WHERE o.state IN "
                          "('queued', 'sending', 'needs_attention')").fetchone()[0]
    return QueueStats(queued=counts.get("queued", 0), sending=counts.get("sending", 0),
                      accepted=counts.get("accepted", 0), quarantined=counts.get("rejected", 0),
                      needs_attention=counts.get("needs_attention", 0),
                      oldest_queued_at=from_db(oldest))


def list_items(conn: Any, states: tuple[str, ...] | None = None,
               limit: int | None = None) -> list[OutboxItem]:
    """Items for staff screens, oldest first: cheap for 10,000, so without payload bytes
    (``payload_bytes`` is None), attachments or parents; ``get`` gives the full item."""
    sql, args = dossiers.LIST_SELECT, []
    if states:
        sql += f" WHERE o.state IN ({','.join('?' * len(states))})"
        args.extend(states)
    sql += " ORDER BY d.finalized_at"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [dossiers.item_from_row(conn, row, with_links=False)
            for row in conn.execute(sql, args).fetchall()]
