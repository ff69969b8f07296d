"""Opening the SQLCipher database, its pragmas, and the one serialized writer thread.

Only this module calls ``sqlcipher3.connect``. Opening never changes an existing file:
a wrong key, a damaged page 1 or a missing file raise typed errors before any write, and
a new database is built under a temporary name and renamed into place only once its
schema is committed, so a crash during first start never leaves a half-made file.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import sqlcipher3

from kiosk.store import migrations
from kiosk.store.errors import (
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreMissing,
    StoreWriteFailed,
    WrongKey,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

Connection = sqlcipher3.Connection
DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError
PAGE_SIZE = 4096  # SQLCipher 4 default
_PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"
# Primary result codes (https://www.sqlite.org/rescode.html).
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 10, 11, 13, 26


def key_pragma_value(key: bytes) -> str:
    """A raw 256-bit key in SQLCipher's blob-literal form: no PBKDF2 on open (SQLCipher 4 API)."""
    if len(key) != 32:
        raise StoreError("the database key must be 32 bytes; the sealed key file is damaged")
    return f"x'{key.hex()}'"


def _configure(conn: Connection, key: bytes) -> None:
    conn.execute(f"PRAGMA key = \"{key_pragma_value(key)}\"")
    conn.execute("PRAGMA cipher_log_level = NONE")  # no page-decrypt chatter on stderr


def _apply_pragmas(conn: Connection, *, read_only: bool) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA temp_store = MEMORY")  # no plaintext temp files, ever
    conn.execute("PRAGMA busy_timeout = 10000")
    if read_only:
        conn.execute("PRAGMA query_only = ON")
    else:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise StoreError(f"could not switch the database to WAL journal mode (got {mode})")
    conn.execute("PRAGMA synchronous = FULL")


def translate(error: Exception) -> Exception:
    """Map an SQLite failure to the typed error a technician can act on."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _SQLITE_FULL:
        return StoreFull("the disk is full (or the file-size limit was reached): nothing was "
                         "written. Free disk space; earlier dossiers are intact.")
    if primary == _SQLITE_IOERR:
        return StoreWriteFailed("the disk refused a write (I/O error): nothing was written. "
                                "Check free space and the disk's health.")
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return StoreCorrupt("some database pages fail their authentication check: the file "
                            "is damaged. Stop the kiosk and restore from the technician export.")
    return error


def _check_existing(path: Path) -> None:
    """Refuse files that cannot be ours before SQLCipher touches them."""
    size = path.stat().st_size
    if size == 0:
        raise StoreCorrupt(f"{path} is empty. It was left untouched; restore it from the "
                           "technician export or move it aside to start a new store.")
    with path.open("rb") as handle:
        head = handle.read(16)
    if head == _PLAIN_SQLITE_HEADER:
        raise StoreError(f"{path} is an unencrypted SQLite file, not this kiosk's store. It was "
                         "left untouched; move it aside.")
    wal = Path(f"{path}-wal")
    if size % PAGE_SIZE and not (wal.exists() and wal.stat().st_size):
        # Whole pages only, unless a checkpoint was cut short (disk full): the WAL then
        # still holds every committed page and SQLite completes it on open.
        raise StoreCorrupt(f"{path} is truncated ({size} bytes, not whole pages). It was "
                           "left untouched; restore it from the technician export.")


def verify_key(path: Path, key: bytes) -> None:
    """Prove the key on the main file through an ``immutable`` connection, changing nothing.

    An ordinary connection that fails would still, on close, checkpoint a leftover WAL
    into the file and delete it; an immutable one takes no locks and never touches
    ``-wal``/``-shm``. ``cipher_integrity_check`` authenticates each page's HMAC without
    parsing the schema (which may be mid-checkpoint after a crash or a full disk): a
    wrong key fails every page, damage fails some. Damage beyond page 1 does not stop
    the store from opening (the rest can still be sent); integrity_problems() reports it.
    """
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    conn = sqlcipher3.connect(uri, uri=True, isolation_level=None)
    try:
        _configure(conn, key)
        failed = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")
                  if "HMAC" in row[0]]
    finally:
        conn.close()
    pages = path.stat().st_size // PAGE_SIZE
    if not failed:
        return
    if not any(row.endswith(" page 1") for row in failed):
        log.warning("%d of %d database pages fail their authentication check", len(failed), pages)
        return
    if len(failed) < pages:
        raise StoreCorrupt(f"{path}: {len(failed)} of {pages} pages, including the first, fail "
                           "their authentication check, so the key is right but the file is "
                           "damaged. It was left untouched; restore it from the technician "
                           "export.")
    raise WrongKey(f"this kiosk's key does not open {path}: the key is wrong (or the file "
                   "is damaged beyond telling). The file was left untouched: restore "
                   "the kiosk's sealed key (see docs/store.md), or restore the database "
                   "from the technician export.")


def open_connection(path: Path, key: bytes, *, read_only: bool = False,
                    check_same_thread: bool = True, verify: bool = True) -> Connection:
    """Open an existing store file with its key; never creates one.

    ``verify=False`` skips the whole-file key check for a second connection to a file
    already verified by this process.
    """
    if not path.exists():
        raise StoreMissing(f"the database {path} does not exist")
    _check_existing(path)
    if verify:
        verify_key(path, key)
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=check_same_thread)
    try:
        _configure(conn, key)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        _apply_pragmas(conn, read_only=read_only)
    except DatabaseError as error:
        conn.close()
        translated = translate(error)
        if translated is error:
            raise
        raise translated from error
    except Exception:
        conn.close()
        raise
    return conn


def create_database(path: Path, key: bytes) -> None:
    """Build a new store at a temporary name, migrate it, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".creating")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    conn = sqlcipher3.connect(str(partial), isolation_level=None)
    try:
        _configure(conn, key)
        _apply_pragmas(conn, read_only=False)
        migrations.migrate(conn)
        # Leave no WAL behind: the renamed file must be complete on its own.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)
    _fsync_dir(path.parent)
    log.info("created a new encrypted store")


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Writer:
    """The one thread that writes. Every write runs in ``BEGIN IMMEDIATE … COMMIT`` there.

    Callers block until their transaction committed (durably: WAL + synchronous=FULL)
    or rolled back; no other thread ever writes to the database.
    """

    def __init__(self, path: Path, key: bytes) -> None:
        self._path, self._key = path, key
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer")
        self._conn: Connection | None = None
        self._verify_next = True
        try:
            self._executor.submit(self._open).result()
        except BaseException:
            self._executor.shutdown(wait=True)
            raise

    def _open(self) -> None:
        self._conn = open_connection(self._path, self._key, verify=self._verify_next)
        self._verify_next = False

    @property
    def key(self) -> bytes:
        return self._key

    def transaction(self, work: Callable[[Connection], T]) -> T:
        return self._executor.submit(self._run_transaction, work).result()

    def outside_transaction(self, work: Callable[[Connection], T]) -> T:
        """For statements SQLite refuses inside a transaction (VACUUM, checkpoints, rekey)."""
        return self._executor.submit(self._run_plain, work).result()

    def _connection(self) -> Connection:
        if self._conn is None:
            self._open()
        assert self._conn is not None
        return self._conn

    def _run_transaction(self, work: Callable[[Connection], T]) -> T:
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
            result = work(conn)
            conn.execute("COMMIT")
            return result
        except BaseException as error:
            self._recover(conn, error)
            translated = translate(error) if isinstance(error, DatabaseError) else error
            if translated is error:
                raise
            raise translated from error

    def _run_plain(self, work: Callable[[Connection], T]) -> T:
        conn = self._connection()
        try:
            return work(conn)
        except DatabaseError as error:
            self._recover(conn, error)
            translated = translate(error)
            if translated is error:
                raise
            raise translated from error

    def _recover(self, conn: Connection, error: BaseException) -> None:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except DatabaseError:
                log.warning("rollback failed after %s", type(error).__name__)
        if isinstance(error, DatabaseError) and not isinstance(error, IntegrityError):
            # After an I/O error SQLite may keep a broken state: start afresh next time.
            code = getattr(error, "sqlite_errorcode", 0) or 0
            if code & 0xFF in (_SQLITE_IOERR, _SQLITE_FULL):
                conn.close()
                self._conn = None

    def reencrypt(self, new_key: bytes) -> None:
        """Copy the database under ``new_key`` to ``<file>.rekey``, then rename it into place.

        Not ``PRAGMA rekey`` in place: a kill in the middle of that leaves pages under both
        keys plus a hot journal, which no key check can judge (measured in
        tests/store/test_rotation_crash.py). A copy makes every crash point leave one
        complete file under one key: the old one before the rename, the new one after.
        Leaving WAL first folds the WAL into the file and needs this to be the only
        connection (a running kiosk makes it fail: nothing changed).
        """
        def _reencrypt() -> None:
            conn = self._connection()
            target = Path(f"{self._path}.rekey")
            for leftover in (target, Path(f"{target}-journal")):
                leftover.unlink(missing_ok=True)
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if mode != "delete":
                raise StoreError("another process has the database open: stop the kiosk "
                                 "before rotating its key (nothing was changed)")
            try:
                conn.execute("ATTACH DATABASE ? AS rekey KEY ?",
                             (str(target), key_pragma_value(new_key)))
                conn.execute("SELECT sqlcipher_export('rekey')").fetchall()
                version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
                conn.execute(f"PRAGMA rekey.user_version = {version:d}")
                conn.execute("DETACH DATABASE rekey")
                _fsync_file(target)
            except BaseException:
                if any(row[1] == "rekey" for row in conn.execute("PRAGMA database_list")):
                    conn.execute("DETACH DATABASE rekey")
                target.unlink(missing_ok=True)
                conn.execute("PRAGMA journal_mode = WAL")
                raise
            conn.close()
            self._conn = None
            os.replace(target, self._path)
            _fsync_dir(self._path.parent)
            self._key = new_key
            self._verify_next = True
            self._open()

        self._executor.submit(_reencrypt).result()

    def close(self) -> None:
        def _close() -> None:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

        self._executor.submit(_close).result()
        self._executor.shutdown(wait=True)


class Reader:
    """One read-only connection shared under a lock: reads never queue behind writes (WAL)."""

    def __init__(self, path: Path, key: bytes) -> None:
        self._lock = threading.Lock()
        self._conn = open_connection(path, key, read_only=True, check_same_thread=False,
                                     verify=False)

    def run(self, work: Callable[[Connection], T]) -> T:
        with self._lock:
            try:
                self._conn.execute("BEGIN")
                try:
                    return work(self._conn)
                finally:
                    self._conn.execute("COMMIT")
            except DatabaseError as error:
                translated = translate(error)
                if translated is error:
                    raise
                raise translated from error

    def close(self) -> None:
        with self._lock:
            self._conn.close()
