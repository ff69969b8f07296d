"""`kiosk shots`: every screen rendered offscreen to PNG, in Vietnamese and English.

Drives the real window and the real journey (with a hand-moved clock for the timeout
warning), so what the PNGs show is what a resident sees.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from kiosk.config import Settings
from kiosk.journey import Event, Journey, Timing
from kiosk.ui.window import KioskWindow, build_window

log = logging.getLogger(__name__)


class _ShotClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class _ShotAccessKey:
    """Stands in for the access key so the journey can pass the identify screen."""

    def wipe(self) -> None:
        pass


def _settle(kiosk: KioskWindow, milliseconds: int = 150) -> None:
    deadline = time.monotonic() + milliseconds / 1000
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.005)


def _to_identify(journey: Journey) -> None:
    journey.send(Event.START)


def _to_consent(journey: Journey) -> None:
    _to_identify(journey)
    journey.session.access_key = _ShotAccessKey()
    journey.send(Event.ACCESS_KEY_ENTERED)


def _to_reading(journey: Journey) -> None:
    _to_consent(journey)
    journey.give_consent("shots", ("read_chip",))


# name -> how to get there from the attract screen
SCENES: dict[str, Callable[[Journey], None]] = {
    "attract": lambda journey: None,
    "identify": _to_identify,
    "consent": _to_consent,
    "reading": _to_reading,
}


def render_all(settings: Settings, out_dir: Path, size: tuple[int, int] = (1280, 800)) -> list[Path]:
    """Render each scene in each language (plus the accessibility modes); return the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    clock = _ShotClock()
    journey = Journey(Timing(settings.ui.idle_timeout_s, settings.ui.idle_warning_s), clock=clock)
    kiosk = build_window(journey, settings.kiosk.centre_name, size=size)
    written: list[Path] = []

    def shoot(name: str) -> None:
        _settle(kiosk)
        path = out_dir / f"{name}.png"
        if not kiosk.window.grabWindow().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)

    for language in ("vi", "en"):
        for scene, reach in SCENES.items():
            journey.end("shots")
            journey.set_language(language)
            reach(journey)
            shoot(f"{language}-{scene}")
        # The inactivity warning over the identify screen, 25 s before the end.
        journey.end("shots")
        journey.set_language(language)
        _to_identify(journey)
        clock.now += settings.ui.idle_timeout_s + settings.ui.idle_warning_s - 25
        journey.tick()
        shoot(f"{language}-timeout-warning")
        journey.end("shots")
    journey.set_language("vi")
    kiosk.model.toggleLargeText()
    shoot("vi-attract-large-text")
    kiosk.model.toggleLargeText()
    kiosk.model.toggleHighContrast()
    shoot("vi-attract-high-contrast")
    kiosk.model.toggleHighContrast()
    kiosk.window.close()
    kiosk.engine.deleteLater()
    return written
