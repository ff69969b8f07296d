"""Capturing a finalized dossier, and reading dossiers back as outbox items.

Capture is one transaction: dossier, dependencies, attachments, consent, the outbox
entry and the audit entry commit together, or nothing does (REFERENCE §4.1). The
payload is frozen as canonical JSON bytes with their SHA-256: every retry sends exactly
these bytes under the same submission id (§4.2).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from datetime import datetime
from typing import Any

from kiosk.store import attachments, audit
from kiosk.store.errors import DossierBeingSent, InvalidDossier, UnknownSubmission
from kiosk.store.model import (
    CapturedDossier,
    Consent,
    NewDossier,
    OutboxItem,
    from_db,
    to_db,
)

# Crockford base32 without I, L, O, U: easy to read aloud and to type back.
_TICKET_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def canonical_payload(payload: dict) -> bytes:
    """The frozen bytes of a payload (interface C): sorted keys, no spaces, UTF-8."""
    try:
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False)
    except (TypeError, ValueError) as error:
        raise InvalidDossier(f"the payload is not plain JSON data ({type(error).__name__}); "
                             "use strings, numbers, lists and objects only") from error
    return text.encode("utf-8")


def validate(dossier: NewDossier, attachment_max_bytes: int) -> None:
    """Everything that can be checked before the transaction, so a refusal writes nothing."""
    for name in ("procedure_code", "form_id", "form_version"):
        value = getattr(dossier, name)
        if not isinstance(value, str) or not value.strip():
            raise InvalidDossier(f"the dossier needs a {name.replace('_', ' ')}")
    if not isinstance(dossier.payload, dict) or not isinstance(dossier.provenance, dict):
        raise InvalidDossier("payload and provenance must be JSON objects (dicts)")
    consent = dossier.consent
    if not isinstance(consent, Consent) or not consent.text_version or not consent.purposes:
        raise InvalidDossier("a dossier needs the resident's consent: text version and "
                             "purposes (REFERENCE §6: silence is not consent)")
    if consent.consented_at.tzinfo is None:
        raise InvalidDossier("consent time must be timezone-aware")
    if len(set(dossier.depends_on)) != len(dossier.depends_on):
        raise InvalidDossier("a parent dossier is listed twice in depends_on")
    attachments.check(dossier.attachments, attachment_max_bytes)


def new_ticket(finalized_at: datetime) -> str:
    code = "".join(secrets.choice(_TICKET_ALPHABET) for _ in range(6))
    return f"T{finalized_at:%y%m%d}-{code}"


def _check_links(conn: Any, dossier: NewDossier, now: datetime) -> None:
    for parent in dossier.depends_on:
        if conn.execute("SELECT 1 FROM dossier WHERE submission_id = ?", (parent,)).fetchone() \
                is None:
            raise InvalidDossier(f"parent dossier {parent} is not in the store; capture the "
                                 "parent first")
    if dossier.supersedes is not None:
        row = conn.execute("SELECT state, lease_expires_at FROM outbox WHERE submission_id = ?",
                           (dossier.supersedes,)).fetchone()
        if row is None:
            raise InvalidDossier(f"dossier {dossier.supersedes} to be replaced is not in the store")
        if row[0] == "sending" and row[1] > to_db(now):
            raise DossierBeingSent(f"dossier {dossier.supersedes} is being sent right now; "
                                   "wait for the result before replacing it")


def capture(conn: Any, dossier: NewDossier, payload_bytes: bytes, now: datetime) -> CapturedDossier:
    """Insert everything for one dossier in the caller's (writer's) transaction."""
    _check_links(conn, dossier, now)
    submission_id = str(uuid.uuid4())
    digest = hashlib.sha256(payload_bytes).hexdigest()
    stamp = to_db(now)
    ticket = new_ticket(now)
    while conn.execute("SELECT 1 FROM dossier WHERE ticket = ?", (ticket,)).fetchone():
        ticket = new_ticket(now)
    consent = dossier.consent
    conn.execute(
        "INSERT INTO dossier(submission_id, ticket, procedure_code, form_id, form_version, "
        "payload, payload_sha256, payload_size, provenance, consent_text_version, consented_at, "
        "consent_purposes, assisted_by, supersedes, created_at, finalized_at, identification) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (submission_id, ticket, dossier.procedure_code, dossier.form_id, dossier.form_version,
         payload_bytes, digest, len(payload_bytes),
         json.dumps(dossier.provenance, sort_keys=True, ensure_ascii=False),
         consent.text_version, to_db(consent.consented_at),
         json.dumps(list(consent.purposes), ensure_ascii=False), dossier.assisted_by,
         dossier.supersedes, stamp, stamp,
         None if dossier.identification is None
         else json.dumps(dossier.identification, sort_keys=True, ensure_ascii=False)))
    for parent in dossier.depends_on:
        conn.execute("INSERT INTO dossier_dependency(child_id, parent_id) VALUES (?, ?)",
                     (submission_id, parent))
    attachments.insert(conn, submission_id, dossier.attachments)
    conn.execute("INSERT INTO outbox(submission_id, state, attempts, next_attempt_at, updated_at) "
                 "VALUES (?, 'queued', 0, ?, ?)", (submission_id, stamp, stamp))
    actor_kind, actor_id = (("volunteer", dossier.assisted_by) if dossier.assisted_by
                            else ("resident_session", "kiosk"))
    audit.append(conn, actor_kind, actor_id, "dossier.captured", submission_id,
                 {"procedure": dossier.procedure_code, "form": dossier.form_id,
                  "form_version": dossier.form_version, "sha256": digest,
                  "attachments": len(dossier.attachments), "parents": len(dossier.depends_on),
                  "supersedes": dossier.supersedes}, at=now)
    return CapturedDossier(submission_id, ticket, payload_bytes, digest, now)


_ITEM_COLUMNS = (
    "d.submission_id, d.ticket, d.procedure_code, d.form_id, d.form_version, d.payload, "
    "d.payload_sha256, o.state, o.attempts, o.next_attempt_at, d.supersedes, o.lease_owner, "
    "o.lease_expires_at, o.last_error, o.official_code, o.receiving_unit, o.due_date, "
    "o.portal_status, d.created_at, d.finalized_at, d.assisted_by, o.accepted_at, "
    "d.retention_until, d.purged_at, o.quarantine_reason, d.consent_text_version, "
    "d.consented_at, d.consent_purposes, o.resolved_at, d.identification")
ITEM_SELECT = f"SELECT {_ITEM_COLUMNS} FROM dossier d JOIN outbox o USING (submission_id)"
LIST_SELECT = ITEM_SELECT.replace("d.payload,", "NULL,", 1)


def item_from_row(conn: Any, row: tuple, *, with_links: bool = True) -> OutboxItem:
    (sid, ticket, procedure, form_id, form_version, payload, digest, state, attempts, next_at,
     supersedes, lease_owner, lease_expires, last_error, official_code, receiving_unit, due_date,
     portal_status, created_at, finalized_at, assisted_by, accepted_at, retention_until,
     purged_at, quarantine_reason, consent_version, consented_at, purposes, resolved_at,
     identification) = row
    parents: tuple[str, ...] = ()
    refs: tuple = ()
    if with_links:
        parents = tuple(r[0] for r in conn.execute(
            "SELECT parent_id FROM dossier_dependency WHERE child_id = ? ORDER BY parent_id",
            (sid,)))
        refs = attachments.refs(conn, sid)
    return OutboxItem(
        submission_id=sid, ticket=ticket, procedure_code=procedure, form_id=form_id,
        form_version=form_version, payload_bytes=None if payload is None else bytes(payload),
        payload_sha256=digest, state=state, attempts=attempts,
        next_attempt_at=from_db(next_at), depends_on=parents, supersedes=supersedes,
        attachments=refs, lease_owner=lease_owner, lease_expires_at=from_db(lease_expires),
        last_error=last_error, official_code=official_code, receiving_unit=receiving_unit,
        due_date=due_date, portal_status=portal_status, created_at=from_db(created_at),
        finalized_at=from_db(finalized_at), assisted_by=assisted_by,
        accepted_at=from_db(accepted_at), retention_until=from_db(retention_until),
        purged_at=from_db(purged_at), quarantine_reason=quarantine_reason,
        consent=Consent(consent_version, from_db(consented_at), tuple(json.loads(purposes))),
        resolved_at=from_db(resolved_at),
        identification=None if identification is None else json.loads(identification))


def get(conn: Any, submission_id: str) -> OutboxItem:
    row = conn.execute(ITEM_SELECT + " WHERE d.submission_id = ?", (submission_id,)).fetchone()
    if row is None:
        raise UnknownSubmission(f"no dossier {submission_id} in the store")
    return item_from_row(conn, row)


def provenance(conn: Any, submission_id: str) -> dict | None:
    row = conn.execute("SELECT provenance FROM dossier WHERE submission_id = ?",
                       (submission_id,)).fetchone()
    if row is None:
        raise UnknownSubmission(f"no dossier {submission_id} in the store")
    return None if row[0] is None else json.loads(row[0])
