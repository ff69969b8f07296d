"""Fixtures for the Qt layer: the real window on the real journey, offscreen."""

from __future__ import annotations

import time

import pytest


class HandClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> HandClock:
    return HandClock()


@pytest.fixture
def kiosk_window(qapp, clock: HandClock, kiosk_home):
    """The kiosk's window, built as `kiosk run` builds it, on a journey whose clock the test
    moves by hand (services not started: these tests need no card, store or portal)."""
    from kiosk.app import build_kiosk
    from kiosk.config import load_settings

    settings = load_settings(demo=True, overrides={
        "ui.idle_timeout_s": "60", "ui.idle_warning_s": "20",
        "kiosk.centre_name": "Trung tâm thử nghiệm"})
    built = build_kiosk(settings, size=(1280, 800), clock=clock, start_services=False)
    yield built.window
    built.close()


@pytest.fixture
def settle(qtbot):
    """Let Qt run for a moment so bindings, layouts and the scene graph catch up."""
    def run(milliseconds: int = 120) -> None:
        deadline = time.monotonic() + milliseconds / 1000
        while time.monotonic() < deadline:
            qtbot.wait(10)
    return run


@pytest.fixture
def drive(qapp, kiosk_home):
    """The whole kiosk (services started) and a Walkthrough that taps its real window."""
    from kiosk.app import build_kiosk
    from kiosk.config import load_settings
    from kiosk.ui.walkthrough import Metrics, Walkthrough

    built = build_kiosk(load_settings(demo=True))
    assert built.services.ready.wait(60)
    yield Walkthrough(built, kiosk_home, Metrics("ui-test", "", "vi", False))
    built.close()

