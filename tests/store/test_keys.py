"""Key handling: sealed at rest, never paired fresh with an existing database, rotatable
(issue 4 §2; REFERENCE §4.9)."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from store_samples import dossier

from kiosk.store import KeyMissing, WrongKey, open_configured_store, open_store
from kiosk.store import keys as keys_module
from kiosk.store.errors import KeyUnsealFailed


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def test_keyfile_is_private_wrapped_and_stable(keyfile_settings):
    """The key file is 0600, holds neither the raw nor the hex key, and unseals to the same key."""
    key = keys_module.load_or_create_key(keyfile_settings)
    path = keyfile_settings.data_dir / keys_module.WRAPPED_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    blob = path.read_bytes()
    assert key not in blob and key.hex().encode() not in blob
    assert keys_module.load_or_create_key(keyfile_settings) == key


def test_wrong_passphrase_is_a_clear_error(keyfile_settings, kiosk_home):
    """Unwrapping with another passphrase raises KeyUnsealFailed naming the cause."""
    keys_module.load_or_create_key(keyfile_settings)
    (kiosk_home / "passphrase").write_text("another passphrase entirely\n")
    with pytest.raises(KeyUnsealFailed, match="passphrase"):
        keys_module.load_or_create_key(keyfile_settings)


def test_missing_key_with_existing_database_never_creates_a_new_key(keyfile_settings):
    """A database without its sealed key raises KeyMissing; no new key, the file untouched."""
    store = open_configured_store(keyfile_settings)
    store.capture(dossier())
    store.close()
    (keyfile_settings.data_dir / keys_module.WRAPPED_FILE).unlink()
    before = _fingerprint(keyfile_settings.data_dir)
    with pytest.raises(KeyMissing, match="restore the key"):
        open_configured_store(keyfile_settings)
    assert _fingerprint(keyfile_settings.data_dir) == before


def test_missing_database_of_a_kiosk_that_had_one_is_reported(keyfile_settings):
    """Once a store existed, a missing file raises StoreMissing; no empty store appears."""
    from kiosk.store import StoreMissing

    open_configured_store(keyfile_settings).close()
    keyfile_settings.database_path.unlink()
    with pytest.raises(StoreMissing, match="restore"):
        open_configured_store(keyfile_settings)
    assert not keyfile_settings.database_path.exists()


def test_rotation_keeps_every_queued_dossier(keyfile_settings):
    """After PRAGMA rekey, queued dossiers are intact under the new key; the old key fails."""
    store = open_configured_store(keyfile_settings)
    old_key = keys_module.load_or_create_key(keyfile_settings)
    captured = [store.capture(dossier({"n": n})) for n in range(5)]
    keys_module.rotate_key(keyfile_settings, store)
    # The running store keeps working after the rotation.
    store.capture(dossier({"n": 5}))
    assert store.queue_stats().queued == 6
    store.close()
    new_key = keys_module.load_or_create_key(keyfile_settings)
    assert new_key != old_key
    with pytest.raises(WrongKey):
        open_store(keyfile_settings.database_path, old_key, create=False)
    reopened = open_configured_store(keyfile_settings)
    try:
        for item in captured:
            assert reopened.get(item.submission_id).payload_sha256 == item.payload_sha256
        assert reopened.queue_stats().queued == 6
    finally:
        reopened.close()


def test_interrupted_rotation_recovers_the_key_that_opens_the_database(keyfile_settings):
    """A crash after rekey but before promoting the new key is completed at the next start."""
    store = open_configured_store(keyfile_settings)
    captured = store.capture(dossier())
    new_key = os.urandom(32)
    keys_module.seal(keyfile_settings, new_key, backend="keyfile", suffix=".next")
    store.rekey(new_key)  # ...and the kiosk dies here, before the rename
    store.close()
    assert keys_module.load_or_create_key(keyfile_settings) == new_key
    assert not keys_module._pending(keyfile_settings)
    reopened = open_configured_store(keyfile_settings)
    assert reopened.get(captured.submission_id).state == "queued"
    reopened.close()


def test_abandoned_pending_key_is_dropped_when_rekey_never_ran(keyfile_settings):
    """A crash before rekey leaves the old key valid; the stray pending key is removed."""
    store = open_configured_store(keyfile_settings)
    store.close()
    old = keys_module.load_or_create_key(keyfile_settings)
    keys_module.seal(keyfile_settings, os.urandom(32), backend="keyfile", suffix=".next")
    assert keys_module.load_or_create_key(keyfile_settings) == old
    assert not keys_module._pending(keyfile_settings)


def _systemd_creds_usable() -> bool:
    if shutil.which("systemd-creds") is None:
        return False
    probe = subprocess.run(["systemd-creds", "encrypt", "--name=probe", "--with-key=auto",
                            "-", "-"], input=b"x", capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _systemd_creds_usable(), reason="systemd-creds cannot encrypt here "
                    "(needs root for the host key, or a TPM2)")
def test_systemd_creds_seals_and_unseals(kiosk_home):
    """With systemd-creds the key is a credential file that only systemd-creds can open."""
    from kiosk.config import load_settings

    settings = load_settings(demo=True, overrides={"paths.data_dir": str(kiosk_home / "d"),
                                                   "store.key_backend": "systemd-creds"})
    key = keys_module.load_or_create_key(settings)
    cred = settings.data_dir / keys_module.CRED_FILE
    assert cred.exists() and key.hex().encode() not in cred.read_bytes()
    assert keys_module.load_or_create_key(settings) == key
    store = open_configured_store(settings)
    keys_module.rotate_key(settings, store)
    store.close()
    assert keys_module.load_or_create_key(settings) != key


def test_credentials_directory_hand_over_wins(kiosk_home, monkeypatch, keyfile_settings):
    """A key handed over by systemd (LoadCredentialEncrypted) is used as is."""
    folder = kiosk_home / "creds"
    folder.mkdir()
    key = os.urandom(32)
    (folder / keys_module.CREDENTIAL_NAME).write_text(key.hex())
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(folder))
    assert keys_module.load_or_create_key(keyfile_settings) == key
