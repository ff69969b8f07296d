"""The append-only, hash-chained audit log: who did what, never to whom.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical
JSON, so deleting, reordering or editing any entry breaks every later hash. Triggers in
the schema refuse UPDATE and DELETE. Entries carry actor kinds and ids, actions and
submission ids; a guard refuses anything that looks like personal data.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

from kiosk.store.errors import PersonalDataInAudit
from kiosk.store.model import AuditVerdict, to_db, utcnow

ACTOR_KINDS = ("resident_session", "volunteer", "technician", "sync", "system")
GENESIS = "0" * 64
# Nine or more digits in a row: a CMND/CCCD number or a phone number, never an audit fact.
_DIGIT_RUN = re.compile(r"\d{9,}")
# Ids and hashes are hex and may hold digit runs by chance: they are not personal data.
_HEX_TOKEN = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                        r"[0-9a-fA-F]{12}|\b[0-9a-f]{32,}\b")
_PERSONAL_KEYS = {"id_number", "full_name", "name", "date_of_birth", "address", "residence",
                  "phone", "email", "payload", "old_id_number", "spouse_name",
                  "father_name", "mother_name"}


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _check_impersonal(value: Any, where: str) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if str(key).lower() in _PERSONAL_KEYS:
                raise PersonalDataInAudit(f"audit {where}: key {key!r} names personal data")
            _check_impersonal(inner, where)
    elif isinstance(value, list | tuple):
        for inner in value:
            _check_impersonal(inner, where)
    elif isinstance(value, str) and _DIGIT_RUN.search(_HEX_TOKEN.sub("", value)):
        raise PersonalDataInAudit(f"audit {where}: a value looks like an ID or phone number")


def entry_hash(prev_hash: str, seq: int, at: str, actor_kind: str, actor_id: str,
               action: str, subject: str | None, details: str) -> str:
    body = canonical([seq, at, actor_kind, actor_id, action, subject, details])
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(conn: Any, actor_kind: str, actor_id: str, action: str,
           subject: str | None = None, details: dict | None = None,
           at: datetime | None = None) -> int:
    """Add one entry inside the caller's (writer's) transaction; returns its sequence number."""
    if actor_kind not in ACTOR_KINDS:
        raise PersonalDataInAudit(f"unknown audit actor kind {actor_kind!r}; "
                                  f"use one of {', '.join(ACTOR_KINDS)}")
    details = details or {}
    # Machine actors (a sender named after its host and pid) may carry long digit runs; a
    # person's actor id (volunteer, technician) must not be their ID or phone number.
    checked = {"action": action, "subject": subject}
    if actor_kind not in ("sync", "system"):
        checked["actor_id"] = actor_id
    _check_impersonal(checked, action)
    _check_impersonal(details, action)
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    stamp = to_db(at or utcnow())
    text = canonical(details)
    digest = entry_hash(prev, seq, stamp, actor_kind, actor_id, action, subject, text)
    conn.execute("INSERT INTO audit(seq, at, actor_kind, actor_id, action, subject, details, "
                 "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)",
                 (seq, stamp, actor_kind, actor_id, action, subject, text, prev, digest))
    return seq


def verify(conn: Any) -> AuditVerdict:
    """Recompute the whole chain; report the first entry that does not follow."""
    prev, count, expected_seq = GENESIS, 0, 1
    for row in conn.execute("SELECT seq, at, actor_kind, actor_id, action, subject, details, "
                            "prev_hash, hash FROM audit ORDER BY seq"):
        seq, at, kind, actor, action, subject, details, prev_hash, digest = row
        if seq != expected_seq:
            return AuditVerdict(False, count, seq, f"entry {expected_seq} is missing")
        if prev_hash != prev:
            return AuditVerdict(False, count, seq, "previous-hash link broken")
        if entry_hash(prev, seq, at, kind, actor, action, subject, details) != digest:
            return AuditVerdict(False, count, seq, "entry hash does not match its content")
        prev, count, expected_seq = digest, count + 1, seq + 1
    return AuditVerdict(True, count)


def recent(conn: Any, limit: int = 50, subject: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT seq, at, actor_kind, actor_id, action, subject, details FROM audit"
    args: tuple = ()
    if subject is not None:
        sql += " WHERE subject = ?"
        args = (subject,)
    rows = conn.execute(sql + " ORDER BY seq DESC LIMIT ?", (*args, limit)).fetchall()
    return [{"seq": r[0], "at": r[1], "actor_kind": r[2], "actor_id": r[3], "action": r[4],
             "subject": r[5], "details": json.loads(r[6])} for r in rows]
