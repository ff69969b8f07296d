"""Export the encrypted backlog for a technician to carry to the centre (REFERENCE §4.11).

The export is a SQLCipher database with the store's own schema, holding every dossier
not yet accepted (plus the parents and replaced dossiers they reference, and the audit
log), encrypted under a key derived with scrypt from a passphrase the technician chooses:
the kiosk's own key never leaves the kiosk. A manifest beside it lists ids, tickets,
states and payload hashes (no personal data) and the scrypt parameters.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kiosk.store import migrations
from kiosk.store.database import create_database, key_pragma_value
from kiosk.store.errors import InvalidDossier, StoreError
from kiosk.store.model import to_db, utcnow

FORMAT = "kiosk-backlog/1"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
BACKLOG_STATES = ("queued", "sending", "needs_attention", "rejected")


@dataclass(frozen=True)
class BacklogExport:
    database: Path
    manifest: Path
    dossiers: int


def derive_key(passphrase: bytes, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R,
               p: int = SCRYPT_P) -> bytes:
    if len(passphrase) < 12:
        raise InvalidDossier("the export passphrase must be at least 12 characters")
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase)


def _closure(conn: Any) -> list[str]:
    """Backlog dossiers plus every dossier they depend on or replace, oldest first."""
    wanted = {r[0] for r in conn.execute(
        f"SELECT submission_id FROM outbox WHERE state IN ({','.join('?' * 4)})",
        BACKLOG_STATES)}
    frontier = set(wanted)
    while frontier:
        found = set()
        for sid in frontier:
            found.update(r[0] for r in conn.execute(
                "SELECT parent_id FROM dossier_dependency WHERE child_id = ? UNION "
                "SELECT supersedes FROM dossier WHERE submission_id = ? AND supersedes IS NOT NULL",
                (sid, sid)))
        frontier = found - wanted
        wanted |= found
    return [r[0] for r in conn.execute(
        "SELECT submission_id FROM dossier ORDER BY finalized_at") if r[0] in wanted]


def _copy(conn: Any, ids: list[str]) -> None:
    conn.execute("CREATE TEMP TABLE export_ids(submission_id TEXT PRIMARY KEY)")
    try:
        conn.executemany("INSERT INTO export_ids VALUES (?)", [(sid,) for sid in ids])
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("INSERT INTO backlog.dossier SELECT * FROM dossier WHERE submission_id "
                         "IN (SELECT submission_id FROM export_ids) ORDER BY finalized_at")
            conn.execute("INSERT INTO backlog.dossier_dependency SELECT * FROM dossier_dependency "
                         "WHERE child_id IN (SELECT submission_id FROM export_ids)")
            for table in ("attachment", "outbox", "receipt"):
                conn.execute(f"INSERT INTO backlog.{table} SELECT * FROM {table} WHERE "
                             "submission_id IN (SELECT submission_id FROM export_ids)")
            conn.execute("INSERT INTO backlog.print_job SELECT * FROM print_job WHERE "
                         "receipt_number IN (SELECT receipt_number FROM backlog.receipt)")
            conn.execute("INSERT INTO backlog.audit SELECT * FROM audit ORDER BY seq")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("DROP TABLE temp.export_ids")


def _make_self_contained(database: Path, key: bytes) -> None:
    """One file to carry: fold the WAL in and leave WAL mode, so no -wal/-shm is needed."""
    from kiosk.store.database import open_connection

    conn = open_connection(database, key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        conn.execute("PRAGMA journal_mode = DELETE").fetchall()
    finally:
        conn.close()


def export_backlog(store: Any, folder: Path, passphrase: bytes, kiosk_id: str,
                   technician: str) -> BacklogExport:
    """Write ``backlog-<kiosk>-<time>.db`` and its ``.json`` manifest into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_bytes(16)
    key = derive_key(passphrase, salt)
    stamp = utcnow()
    base = folder / f"backlog-{kiosk_id}-{stamp:%Y%m%dT%H%M%SZ}"
    database, manifest = base.with_suffix(".db"), base.with_suffix(".json")
    if database.exists():
        raise StoreError(f"{database} already exists; choose another folder")
    create_database(database, key)

    def _export(conn: Any) -> list[tuple]:
        ids = _closure(conn)
        conn.execute("ATTACH DATABASE ? AS backlog KEY ?", (str(database), key_pragma_value(key)))
        try:
            _copy(conn, ids)
        finally:
            conn.execute("DETACH DATABASE backlog")
        return [conn.execute("SELECT d.submission_id, d.ticket, d.procedure_code, d.form_id, "
                             "d.form_version, d.payload_sha256, o.state FROM dossier d JOIN "
                             "outbox o USING (submission_id) WHERE d.submission_id = ?",
                             (sid,)).fetchone() for sid in ids]

    rows = store.run_writer(_export)
    _make_self_contained(database, key)
    store.audit("technician", technician, "outbox.exported", None, {"dossiers": len(rows)})
    document = {
        "format": FORMAT, "kiosk_id": kiosk_id, "created_at": to_db(stamp),
        "schema_version": migrations.latest_version(),
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                "salt": salt.hex()},
        "dossiers": [dict(zip(("submission_id", "ticket", "procedure_code", "form_id",
                               "form_version", "payload_sha256", "state"), row, strict=True))
                     for row in rows],
    }
    manifest.write_text(json.dumps(document, indent=1, ensure_ascii=False), "utf-8")
    return BacklogExport(database, manifest, len(rows))


def export_key(manifest: Path, passphrase: bytes) -> bytes:
    """The key that opens an export (``open_store(export.db, export_key(...), create=False)``)."""
    document = json.loads(manifest.read_text("utf-8"))
    if document.get("format") != FORMAT:
        raise StoreError(f"{manifest} is not a kiosk backlog manifest")
    kdf = document["kdf"]
    return derive_key(passphrase, bytes.fromhex(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"])


__all__ = ["BacklogExport", "export_backlog", "export_key"]
