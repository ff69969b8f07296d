"""Fixtures for the Qt layer: the real window on the real journey, offscreen."""

from __future__ import annotations

import time

import pytest

from kiosk.journey import Journey, Timing


class HandClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> HandClock:
    return HandClock()


@pytest.fixture
def kiosk_window(qapp, clock: HandClock):
    """The kiosk's window on a fresh journey whose clock the test moves by hand."""
    from kiosk.ui.window import build_window

    journey = Journey(Timing(idle_timeout_s=60, warning_s=20), clock=clock)
    kiosk = build_window(journey, "Trung tâm thử nghiệm", size=(1280, 800))
    yield kiosk
    kiosk.window.close()
    kiosk.engine.deleteLater()


@pytest.fixture
def settle(qtbot):
    """Let Qt run for a moment so bindings, layouts and the scene graph catch up."""
    def run(milliseconds: int = 120) -> None:
        deadline = time.monotonic() + milliseconds / 1000
        while time.monotonic() < deadline:
            qtbot.wait(10)
    return run
