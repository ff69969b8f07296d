"""Fixtures for the store tests: a real SQLCipher database in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from store_samples import FakeClock, dossier

from kiosk.store import NewDossier, Store, open_store


@pytest.fixture
def store_key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiosk.db"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


@pytest.fixture
def store(db_path: Path, store_key: bytes, clock: FakeClock) -> Iterator[Store]:
    opened = open_store(db_path, store_key, attachment_max_bytes=64 * 1024, retention_days=30,
                        attempts_before_alert=3, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def make_dossier() -> Callable[..., NewDossier]:
    return dossier


@pytest.fixture
def keyfile_settings(kiosk_home: Path):
    """Settings whose key is a scrypt-wrapped file under a technician passphrase."""
    from kiosk.config import load_settings

    passphrase = kiosk_home / "passphrase"
    passphrase.write_text("correct horse battery staple\n")
    return load_settings(demo=True, overrides={
        "paths.data_dir": str(kiosk_home / "data"), "store.key_backend": "keyfile",
        "store.key_passphrase_file": str(passphrase)})
