"""Fixtures every test can use: an isolated home for the kiosk's files, offscreen Qt.

No test writes to the real user's directories: XDG_* point into a per-test temporary
folder, so platformdirs (and therefore the kiosk's data, config and log paths) move there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture
def kiosk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private home for the kiosk's files: config, data, state and cache under tmp_path."""
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        folder = tmp_path / f"xdg-{name.lower()}"
        folder.mkdir()
        monkeypatch.setenv(f"XDG_{name}_HOME", str(folder))
    for key in list(os.environ):
        if key.startswith("KIOSK_"):
            monkeypatch.delenv(key)
    return tmp_path


@pytest.fixture
def demo_settings(kiosk_home: Path):
    """Settings on the embedded demo defaults, with every path inside kiosk_home."""
    from kiosk.config import load_settings

    return load_settings(demo=True)
