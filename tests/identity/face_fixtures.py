"""Fixtures for the face tests: public-domain portraits from registry packages, the models.

Images (never committed; fetched into a cache outside the repository):
- ``skimage.data.astronaut()``: Eileen Collins, NASA portrait (public domain), shipped in the
  scikit-image wheel;
- obama.jpg, obama2.jpg, obama3.jpg, biden.jpg from the ``face_recognition==1.3.0`` sdist on
  PyPI (tests/test_images/: US-government portraits, public domain), fetched with
  ``pip download --no-deps --no-binary :all: face_recognition==1.3.0`` on first use.

Cache folder: $KIOSK_TEST_IMAGES, else ~/.cache/kiosk-test-images.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pytest

SDIST = "face_recognition==1.3.0"
NAMES = ("obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg")


def image_cache() -> Path:
    return Path(os.environ.get("KIOSK_TEST_IMAGES") or Path.home() / ".cache" / "kiosk-test-images")


def fetch_public_images(folder: Path | None = None) -> Path:
    """The four portraits from face_recognition's sdist, downloaded once into ``folder``."""
    folder = folder or image_cache()
    if all((folder / name).is_file() for name in NAMES):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                               ":all:", "--dest", scratch, SDIST],
                              capture_output=True, text=True, timeout=300, check=False)
        archives = list(Path(scratch).glob("face_recognition-*.tar.gz"))
        if done.returncode != 0 or not archives:
            raise FileNotFoundError(f"pip download {SDIST} failed: {done.stderr[-300:]}")
        with tarfile.open(archives[0]) as archive:
            for member in archive.getmembers():
                name = Path(member.name).name
                if name in NAMES and "/tests/test_images/" in member.name:
                    source = archive.extractfile(member)
                    assert source is not None
                    (folder / name).write_bytes(source.read())
    return folder


@pytest.fixture(scope="session")
def public_images() -> Path:
    """Folder holding obama.jpg, obama2.jpg, obama3.jpg and biden.jpg."""
    try:
        return fetch_public_images()
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"public test portraits are not installed ({error})")


@pytest.fixture(scope="session")
def astronaut() -> np.ndarray:
    """scikit-image's public-domain astronaut portrait, as BGR."""
    from skimage import data

    return cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)


@pytest.fixture(scope="session")
def matcher():  # noqa: ANN201 - kiosk.identity.face.FaceMatcher
    """One matcher for the session, its models loaded once (about a second)."""
    from kiosk.identity.face import FaceMatcher

    found = FaceMatcher()
    found.models  # noqa: B018 - load now, not inside the first test's timing
    return found


def read(folder: Path, name: str) -> np.ndarray:
    image = cv2.imread(str(folder / name))
    assert image is not None, name
    return image


@pytest.fixture(scope="session")
def obama_live(public_images: Path, matcher) -> list[np.ndarray]:  # noqa: ANN001
    """A live-like sequence (blink, left, right; three rounds) made from obama.jpg."""
    from kiosk.identity.synthetic_frames import SyntheticFace, live_sequence

    return live_sequence(SyntheticFace(read(public_images, "obama.jpg"), matcher.models), rounds=3)


@pytest.fixture(scope="session")
def astronaut_live(astronaut: np.ndarray, matcher) -> list[np.ndarray]:  # noqa: ANN001
    """A live-like sequence (blink, left, right; three rounds) made from the astronaut."""
    from kiosk.identity.synthetic_frames import SyntheticFace, live_sequence

    return live_sequence(SyntheticFace(astronaut, matcher.models), rounds=3)


class FrameClock:
    """A camera's clock: each read advances it by one frame period (tests stay fast)."""

    def __init__(self, fps: float = 15.0) -> None:
        self.now = 0.0
        self.period = 1.0 / fps

    def __call__(self) -> float:
        return self.now

    def tick(self) -> None:
        self.now += self.period
