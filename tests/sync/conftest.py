"""Fixtures for the sync engine: a real portal simulator on loopback and a real encrypted store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_fixtures import Portal, start_portal

from kiosk.store import Store, open_store


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Portal]:
    """A plain-HTTP simulator on a free loopback port (the kiosk names itself in headers)."""
    running = start_portal(tmp_path)
    yield running
    running.server.stop()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh SQLCipher store with a random key and a low alert ceiling."""
    opened = open_store(tmp_path / "kiosk.db", os.urandom(32), attempts_before_alert=50)
    yield opened
    opened.close()
