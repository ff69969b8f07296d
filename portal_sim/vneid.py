"""VNeID sign-in sessions: what the portal keeps between the kiosk's QR and the app's approval.

The real flow (REFERENCE §3, Decree 69/2024/ND-CP): the website shows a QR, the resident scans
it with the VNeID app, unlocks the app (passcode or Face ID) and approves. No public API
exists, so this module is the simulator's stand-in for the portal's side of that exchange:
sessions with an expiry on the portal's clock, an approval by "the app" (an admin call or
the auto-approve option), and a signed identity assertion handed out exactly once.

The assertion is a COSE_Sign1 made by the same content signer as the catalogue, so the kiosk
verifies it with the anchor it already has (docs/portal-api.md §15).
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import cbor2

from portal_sim.cose import X5CHAIN, sign1
from portal_sim.db import Database
from portal_sim.lookup import iso_date
from portal_sim.pki import Authority, cert_der
from portal_sim.residents import Seed

SCHEMA = """
CREATE TABLE IF NOT EXISTS vneid_sessions (
    session_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, nonce TEXT NOT NULL, hint_id TEXT,
    short_code TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    auto_approve_at TEXT, resident_id TEXT, level INTEGER, approved_at TEXT, assertion BLOB,
    consumed_at TEXT);
"""
QR_PREFIX = "vneid://signin"
ASSERTION_TYPE = "vneid-identity"
LEVELS = (1, 2)


class SessionRefused(Exception):
    """The session cannot do what was asked; ``reason`` is the contract's error code."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status, self.reason, self.message = status, reason, message


@dataclass(frozen=True)
class Poll:
    """What one look at a session found: its status, and the assertion if this look consumed it."""

    session_id: str
    status: str
    assertion: bytes | None = None


def qr_text(session_id: str, short_code: str) -> str:
    """The URI the VNeID app scans (our format: the real app's is not public)."""
    return f"{QR_PREFIX}?session={session_id}&code={short_code}"


def session_from_qr(text: str) -> str:
    """The session id in a scanned QR text, or the text itself when it is already an id."""
    if text.startswith(QR_PREFIX + "?"):
        for part in text.split("?", 1)[1].split("&"):
            name, _, value = part.partition("=")
            if name == "session":
                return value
    return text


class VneidSessions:
    """The sessions table and its state machine: pending → approved → consumed, or denied,
    cancelled, expired. Every change is one transaction of the simulator's database."""

    def __init__(self, db: Database, seed: Seed, authority: Authority, clock: Callable[[], datetime],
                 ttl_s: float = 120.0, auto_approve_after_s: float = 0.0) -> None:
        self.db, self.seed, self.authority, self.clock = db, seed, authority, clock
        self.ttl_s, self.auto_approve_after_s = ttl_s, auto_approve_after_s
        with db.transaction() as conn:
            conn.execute(SCHEMA)

    def open(self, kiosk_id: str, nonce: str, hint_id: str | None) -> dict[str, Any]:
        """A new pending session for this kiosk; the answer the contract returns."""
        now = self.clock()
        session_id = secrets.token_urlsafe(18)
        short_code = f"{secrets.randbelow(10**6):06d}"
        expires = now + timedelta(seconds=self.ttl_s)
        auto = None
        if self.auto_approve_after_s > 0 and hint_id:
            auto = (now + timedelta(seconds=self.auto_approve_after_s)).isoformat()
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO vneid_sessions (session_id, kiosk_id, nonce, hint_id, short_code, "
                         "status, created_at, expires_at, auto_approve_at) VALUES (?,?,?,?,?,?,?,?,?)",
                         (session_id, kiosk_id, nonce, hint_id, short_code, "pending", now.isoformat(),
                          expires.isoformat(), auto))
        return {"session_id": session_id, "qr_text": qr_text(session_id, short_code),
                "short_code": short_code, "expires_at": expires.isoformat(),
                "expires_in_s": self.ttl_s}

    def _row(self, conn: sqlite3.Connection, session_id: str) -> dict[str, Any]:
        row = conn.execute("SELECT * FROM vneid_sessions WHERE session_id=?", (session_id,)).fetchone()
        if row is None:
            raise SessionRefused(404, "not_found", "no such VNeID sign-in session")
        return dict(row)

    def _settle(self, conn: sqlite3.Connection, row: dict[str, Any]) -> dict[str, Any]:
        """Apply what the clock decides: expiry, and the auto-approving stand-in app."""
        now = self.clock()
        if row["status"] in ("pending", "approved") and now > datetime.fromisoformat(row["expires_at"]):
            conn.execute("UPDATE vneid_sessions SET status='expired', assertion=NULL WHERE session_id=?",
                         (row["session_id"],))
            return {**row, "status": "expired", "assertion": None}
        auto = row["auto_approve_at"]
        if row["status"] == "pending" and auto and now >= datetime.fromisoformat(auto) \
                and row["hint_id"] in self.seed.residents:
            return self._approve(conn, row, row["hint_id"], 2)
        return row

    def _approve(self, conn: sqlite3.Connection, row: dict[str, Any], resident_id: str,
                 level: int) -> dict[str, Any]:
        person = self.seed.residents[resident_id]
        approved = self.clock()
        claims = {"v": 1, "typ": ASSERTION_TYPE, "sid": row["session_id"], "nonce": row["nonce"],
                  "kiosk": row["kiosk_id"], "id_number": resident_id, "full_name": person["full_name"],
                  "date_of_birth": iso_date(person.get("date_of_birth", "")), "level": level,
                  "approved_at": int(approved.timestamp()),
                  "exp": int(datetime.fromisoformat(row["expires_at"]).timestamp())}
        signer = self.authority
        assertion = sign1(cbor2.dumps(claims), signer.signer_key, signer.signer_kid,
                          {X5CHAIN: cert_der(signer.signer_cert)})
        conn.execute("UPDATE vneid_sessions SET status='approved', resident_id=?, level=?, approved_at=?, "
                     "assertion=? WHERE session_id=?",
                     (resident_id, level, approved.isoformat(), assertion, row["session_id"]))
        return {**row, "status": "approved", "resident_id": resident_id, "level": level,
                "assertion": assertion}

    def poll(self, kiosk_id: str, session_id: str) -> Poll:
        """The session's status for the kiosk that opened it; an approved one is consumed here.

        A session whose assertion was already handed out answers 409 ``already_consumed``:
        the assertion exists once, so a copied session id is worth nothing.
        """
        with self.db.transaction() as conn:
            row = self._row(conn, session_id)
            if row["kiosk_id"] != kiosk_id:
                raise SessionRefused(404, "not_found", "no such VNeID sign-in session from this kiosk")
            row = self._settle(conn, row)
            if row["consumed_at"]:
                raise SessionRefused(409, "already_consumed", "this sign-in was already collected; "
                                     "open a new session")
            if row["status"] != "approved":
                return Poll(session_id, row["status"])
            conn.execute("UPDATE vneid_sessions SET consumed_at=?, assertion=NULL WHERE session_id=?",
                         (self.clock().isoformat(), session_id))
            return Poll(session_id, "approved", bytes(row["assertion"]))

    def status(self, session_id: str) -> str:
        """The status without consuming anything (the long poll's cheap check)."""
        with self.db.transaction() as conn:
            row = self._settle(conn, self._row(conn, session_id))
            return "consumed" if row["consumed_at"] else row["status"]

    def approve(self, session_id: str, resident_id: str, level: int = 2) -> str:
        """The app's approval by ``resident_id``; refused for unknown residents or closed sessions."""
        if level not in LEVELS:
            raise SessionRefused(422, "validation_failed", "level must be 1 or 2")
        if resident_id not in self.seed.residents:
            raise SessionRefused(404, "unknown_resident", "no VNeID account with this ID number")
        with self.db.transaction() as conn:
            row = self._settle(conn, self._row(conn, session_id))
            if row["status"] != "pending":
                raise SessionRefused(409, "not_pending", f"the session is {row['status']}, not pending")
            self._approve(conn, row, resident_id, level)
        return "approved"

    def deny(self, session_id: str) -> str:
        """The resident refused in the app."""
        return self._close(session_id, "denied")

    def cancel(self, kiosk_id: str, session_id: str) -> str:
        """The kiosk gave up (resident left, timeout): nothing can be approved any more."""
        with self.db.transaction() as conn:
            if self._row(conn, session_id)["kiosk_id"] != kiosk_id:
                raise SessionRefused(404, "not_found", "no such VNeID sign-in session from this kiosk")
        return self._close(session_id, "cancelled", allow_approved=True)

    def _close(self, session_id: str, status: str, allow_approved: bool = False) -> str:
        with self.db.transaction() as conn:
            row = self._settle(conn, self._row(conn, session_id))
            open_states = ("pending", "approved") if allow_approved else ("pending",)
            if row["status"] not in open_states or row["consumed_at"]:
                raise SessionRefused(409, "not_pending", f"the session is {row['status']}, not pending")
            conn.execute("UPDATE vneid_sessions SET status=?, assertion=NULL WHERE session_id=?",
                         (status, session_id))
        return status

    def sessions(self) -> list[dict[str, Any]]:
        """Every session's state for the operator (no names or ID numbers)."""
        with self.db.transaction() as conn:
            rows = conn.execute("SELECT session_id, kiosk_id, status, level, created_at, expires_at, "
                                "approved_at, consumed_at FROM vneid_sessions ORDER BY created_at").fetchall()
        return [dict(row) for row in rows]
