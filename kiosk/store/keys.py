"""The database key: 256 random bits per kiosk, sealed at rest, never beside the file in clear.

Two ways to seal it (docs/store.md has the threat model):

* ``systemd-creds`` (preferred): the key is encrypted with the TPM2 and/or the host key
  into ``db-key.cred``; a systemd unit can hand it over decrypted with
  ``LoadCredentialEncrypted=kiosk-db-key:…``, which we read from ``$CREDENTIALS_DIRECTORY``.
* a wrapped key file ``db-key.wrapped`` (0600): AES-256-GCM under a key derived with
  scrypt from a technician passphrase (``store.key_passphrase_file``) or, failing that,
  from the machine secret ``/etc/machine-id``.

A key is created only when neither a sealed key nor a database exists: a database
without its key is reported, never paired with a fresh key (that would look like a
new, empty kiosk). Rotation seals the next key as ``*.next`` first, writes a copy of the
database under it and renames the copy into place, then promotes the new key; a crash at
any step leaves one complete file and a sealed key that opens it, found at the next start.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kiosk.store.errors import KeyMissing, KeyUnsealFailed, StoreError, WrongKey

log = logging.getLogger(__name__)

CREDENTIAL_NAME = "kiosk-db-key"
CRED_FILE = "db-key.cred"
WRAPPED_FILE = "db-key.wrapped"
WRAP_FORMAT = "kiosk-db-key/1"
MACHINE_ID = Path("/etc/machine-id")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


def _settings_paths(settings: Any) -> tuple[Path, Path, Path]:
    folder = settings.data_dir
    return folder / CRED_FILE, folder / WRAPPED_FILE, settings.database_path


def sealed_key_exists(settings: Any) -> bool:
    cred, wrapped, _ = _settings_paths(settings)
    return cred.exists() or wrapped.exists() or _from_credentials_directory() is not None


# -- systemd-creds --------------------------------------------------------------------
def systemd_creds_available() -> bool:
    return shutil.which("systemd-creds") is not None


def _creds(*args: str, data: bytes) -> bytes:
    try:
        result = subprocess.run(["systemd-creds", *args], input=data, capture_output=True,
                                timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise KeyUnsealFailed(f"systemd-creds could not run ({type(error).__name__})") from error
    if result.returncode != 0:
        # systemd-creds' stderr names files and reasons, never the secret.
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise KeyUnsealFailed(f"systemd-creds {args[0]} failed: {detail[0]}")
    return result.stdout


def seal_with_systemd_creds(key: bytes, path: Path) -> None:
    sealed = _creds("encrypt", f"--name={CREDENTIAL_NAME}", "--with-key=auto", "-", "-",
                    data=key.hex().encode())
    _write_private(path, sealed)


def unseal_with_systemd_creds(path: Path) -> bytes:
    return _parse_hex_key(_creds("decrypt", f"--name={CREDENTIAL_NAME}", str(path), "-",
                                 data=b""), str(path))


def _from_credentials_directory() -> Path | None:
    folder = os.environ.get("CREDENTIALS_DIRECTORY")
    if folder and (Path(folder) / CREDENTIAL_NAME).is_file():
        return Path(folder) / CREDENTIAL_NAME
    return None


# -- the wrapped key file -------------------------------------------------------------
def _wrapping_secret(settings: Any) -> tuple[bytes, str]:
    passphrase_file = getattr(settings.store, "key_passphrase_file", "")
    if passphrase_file:
        try:
            secret = Path(passphrase_file).read_bytes().strip()
        except OSError as error:
            raise KeyUnsealFailed(f"cannot read the key passphrase file {passphrase_file}: "
                                  f"{error.strerror}") from error
        if len(secret) < 12:
            raise KeyUnsealFailed("the key passphrase must be at least 12 characters")
        return secret, "passphrase"
    try:
        secret = MACHINE_ID.read_bytes().strip()
    except OSError as error:
        raise KeyUnsealFailed(f"no {MACHINE_ID} to derive the key-wrapping secret from; set "
                              "store.key_passphrase_file") from error
    if not secret:
        raise KeyUnsealFailed(f"{MACHINE_ID} is empty; set store.key_passphrase_file")
    return secret, "machine-id"


def _derive(secret: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(secret)


def wrap_key(key: bytes, secret: bytes, secret_kind: str) -> bytes:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapping = _derive(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(wrapping).encrypt(nonce, key, WRAP_FORMAT.encode())
    document = {"format": WRAP_FORMAT, "kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R,
                "p": SCRYPT_P, "secret": secret_kind,
                "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode(),
                "ciphertext": base64.b64encode(sealed).decode()}
    return json.dumps(document, indent=1).encode()


def unwrap_key(blob: bytes, secret: bytes, where: str) -> bytes:
    try:
        document = json.loads(blob)
        if document.get("format") != WRAP_FORMAT:
            raise ValueError("unknown format")
        salt, nonce, sealed = (base64.b64decode(document[k]) for k in ("salt", "nonce",
                                                                        "ciphertext"))
        wrapping = _derive(secret, salt, int(document["n"]), int(document["r"]),
                           int(document["p"]))
    except (ValueError, KeyError, TypeError) as error:
        raise KeyUnsealFailed(f"{where} is not a kiosk key file; restore it from the "
                              "provisioning backup") from error
    try:
        key = AESGCM(wrapping).decrypt(nonce, sealed, WRAP_FORMAT.encode())
    except InvalidTag as error:
        raise KeyUnsealFailed(f"{where} cannot be unwrapped: the passphrase (or this machine's "
                              "id) is not the one it was sealed with") from error
    if len(key) != 32:
        raise KeyUnsealFailed(f"{where} holds a key of the wrong length")
    return key


def _write_private(path: Path, data: bytes) -> None:
    """Write atomically with mode 0600 from the first byte (no umask window)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _parse_hex_key(text: bytes, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.decode().strip())
    except ValueError as error:
        raise KeyUnsealFailed(f"{where} does not hold a hex key") from error
    if len(key) != 32:
        raise KeyUnsealFailed(f"{where} holds a key of the wrong length")
    return key


# -- choosing, loading, creating ------------------------------------------------------
def _backend(settings: Any) -> str:
    choice = getattr(settings.store, "key_backend", "auto")
    if choice == "auto":
        return "systemd-creds" if systemd_creds_available() else "keyfile"
    return choice


def seal(settings: Any, key: bytes, *, backend: str | None = None, suffix: str = "") -> Path:
    """Seal ``key`` (with the configured backend unless told); returns the file written."""
    cred, wrapped, _ = _settings_paths(settings)
    chosen = backend or _backend(settings)
    if chosen == "systemd-creds":
        target = Path(f"{cred}{suffix}")
        try:
            seal_with_systemd_creds(key, target)
            return target
        except KeyUnsealFailed:
            if backend or getattr(settings.store, "key_backend", "auto") == "systemd-creds":
                raise
            log.warning("systemd-creds could not seal the key; using a wrapped key file")
    target = Path(f"{wrapped}{suffix}")
    secret, kind = _wrapping_secret(settings)
    _write_private(target, wrap_key(key, secret, kind))
    return target


def unseal(settings: Any, path: Path) -> bytes:
    if path.name.startswith(CRED_FILE):
        return unseal_with_systemd_creds(path)
    secret, _ = _wrapping_secret(settings)
    return unwrap_key(path.read_bytes(), secret, str(path))


def _current_sealed(settings: Any) -> Path | None:
    cred, wrapped, _ = _settings_paths(settings)
    for candidate in (cred, wrapped):
        if candidate.exists():
            return candidate
    return None


def _pending(settings: Any) -> list[Path]:
    cred, wrapped, _ = _settings_paths(settings)
    return [p for p in (Path(f"{cred}.next"), Path(f"{wrapped}.next")) if p.exists()]


def _opens(db_path: Path, key: bytes) -> bool:
    from kiosk.store.database import open_connection

    try:
        open_connection(db_path, key, read_only=True).close()
    except WrongKey:
        return False
    return True


def _finish_rotation(settings: Any, key: bytes) -> bytes:
    """A rotation was interrupted: keep whichever sealed key opens the database."""
    _, _, db_path = _settings_paths(settings)
    if db_path.exists() and not _opens(db_path, key):
        for pending in _pending(settings):
            candidate = unseal(settings, pending)
            if _opens(db_path, candidate):
                os.replace(pending, Path(str(pending)[: -len(".next")]))
                log.warning("completed an interrupted key rotation")
                return candidate
        return key
    for pending in _pending(settings):
        pending.unlink()  # the new copy never replaced the file: the old key still opens it
    Path(f"{db_path}.rekey").unlink(missing_ok=True)
    return key


def load_or_create_key(settings: Any) -> bytes:
    """This kiosk's 32-byte database key: unsealed, or created when the kiosk is new."""
    handed_over = _from_credentials_directory()
    if handed_over is not None:
        return _parse_hex_key(handed_over.read_bytes(), str(handed_over))
    _, _, db_path = _settings_paths(settings)
    sealed = _current_sealed(settings)
    if sealed is not None:
        key = unseal(settings, sealed)
        return _finish_rotation(settings, key) if _pending(settings) else key
    if db_path.exists():
        raise KeyMissing(f"the database {db_path} exists but this kiosk's sealed key "
                         f"({settings.data_dir / CRED_FILE} or {WRAPPED_FILE}) is missing. The "
                         "database was left untouched: restore the key file from the "
                         "provisioning backup.")
    key = secrets.token_bytes(32)
    where = seal(settings, key)
    log.info("created a new database key, sealed in %s", where.name)
    return key


def rotate_key(settings: Any, store: Any) -> Path:
    """Re-encrypt the open store under a fresh key, keeping every queued dossier."""
    current = _current_sealed(settings)
    if current is None:
        raise StoreError("no sealed key to rotate; the key comes from $CREDENTIALS_DIRECTORY")
    new_key = secrets.token_bytes(32)
    backend = "systemd-creds" if current.name == CRED_FILE else "keyfile"
    pending = seal(settings, new_key, backend=backend, suffix=".next")
    store.rekey(new_key)
    os.replace(pending, current)
    log.info("rotated the database key")
    return current
