"""Fixtures for the contract tests: the kiosk's client against a running simulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from contract_fixtures import Portal

from kiosk.sync import PortalClient


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Portal]:
    running = Portal(tmp_path)
    yield running
    running.stop()


@pytest.fixture
def client(portal: Portal) -> Iterator[PortalClient]:
    opened = PortalClient(portal.url, kiosk_id="KIOSK-CONTRACT", centre_code="HN-01001",
                          connect_timeout=2, read_timeout=5)
    yield opened
    opened.close()
