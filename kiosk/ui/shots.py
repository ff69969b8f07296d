"""`kiosk shots`: every screen rendered offscreen to PNG, in Vietnamese and English.

Drives the real window and the real journey (with a hand-moved clock for the timeout
warning), so what the PNGs show is what a resident sees.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from kiosk.config import Settings
from kiosk.journey import Event, Journey
from kiosk.ui.window import KioskWindow

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


def render_all(settings: Settings, out_dir: Path, size: tuple[int, int] = (1280, 800),
               journey_procedure: str | None = "marital_status_confirmation",
               journey_resident: str = "001090012345") -> list[Path]:
    """Render each scene in each language (plus the accessibility modes), then the rest of
    the journey (welcome … receipt, rating) through a real walkthrough; return the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = _render_scenes(settings, out_dir, size)
    if journey_procedure:
        from kiosk.ui.walkthrough import run_walkthrough

        for language in ("vi", "en"):
            with tempfile.TemporaryDirectory() as folder:
                run_walkthrough(journey_procedure, journey_resident, Path(folder), language)
                for png in sorted(Path(folder).glob("*.png")):
                    label = png.stem.split("-", 1)[1]
                    if label in ("attract", "identify", "consent", "end"):
                        continue  # already rendered above, with the accessibility variants
                    target = out_dir / f"{language}-{label}.png"
                    shutil.copy(png, target)
                    written.append(target)
    return written


def _render_scenes(settings: Settings, out_dir: Path, size: tuple[int, int]) -> list[Path]:
    from kiosk.app import build_kiosk

    clock = _ShotClock()
    built = build_kiosk(settings, size=size, clock=clock, start_services=False)
    kiosk, journey = built.window, built.window.model._journey
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
    built.services.stop()
    return written
