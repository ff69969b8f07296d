"""Versioned schema migrations: ``schema/vNNNN_name.py`` (its ``SQL``), applied in order at start-up.

Each version runs in its own ``BEGIN IMMEDIATE … COMMIT`` together with the bump of
``PRAGMA user_version``, so a crash or a failing statement leaves the database on the
previous version, never half-way. Released versions are frozen: a change is a new file.
tests/store/fixtures/ holds a database saved from every released version.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from dataclasses import dataclass
from typing import Any

import sqlcipher3

from kiosk.store.errors import StoreError

log = logging.getLogger(__name__)
_NAME = re.compile(r"^v(\d{4})_[a-z0-9_]+$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available() -> list[Migration]:
    from kiosk.store import schema

    found = []
    for module in pkgutil.iter_modules(schema.__path__):
        match = _NAME.match(module.name)
        if match:
            sql = importlib.import_module(f"kiosk.store.schema.{module.name}").SQL
            found.append(Migration(int(match.group(1)), module.name, sql))
    found.sort(key=lambda m: m.version)
    if not found:
        raise StoreError("the kiosk install is missing its schema migrations "
                         "(kiosk/store/schema/): reinstall the kiosk")
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise StoreError("schema migrations are not numbered v0001, v0002, …: the install is broken")
    return found


def latest_version() -> int:
    return len(available())


def _statements(sql: str) -> list[str]:
    """Split a script into statements (triggers included) without executescript's COMMIT."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlcipher3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise StoreError("a schema migration ends with an incomplete statement")
    return statements


def current_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Any, target: int | None = None) -> list[int]:
    """Bring the schema up to ``target`` (default: the latest); return the versions applied."""
    known = available()
    target = len(known) if target is None else target
    version = current_version(conn)
    if version > len(known):
        raise StoreError(f"the database has schema version {version}, newer than this kiosk "
                         f"software knows ({len(known)}): update the kiosk software.")
    applied = []
    for migration in known[version:target]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {migration.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        log.info("applied schema migration %s", migration.name)
        applied.append(migration.version)
    return applied
