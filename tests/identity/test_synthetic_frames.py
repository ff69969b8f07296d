"""Live-like frames from one photo: the blink and the turns move what liveness measures."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.devices.camera import CameraStopped
from kiosk.errors import BadInput
from kiosk.identity.face import ChipPhotoUnusable
from kiosk.identity.liveness import signals
from kiosk.identity.synthetic_frames import (
    Pose,
    SyntheticFace,
    demo_camera,
    live_sequence,
    still_sequence,
)


def _measure(matcher, frame: np.ndarray):  # noqa: ANN001, ANN202
    sighting = matcher.look(frame)
    assert sighting.box is not None, sighting.guidance
    rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    shape = matcher.models.landmarks68(rgb, sighting.box.rectangle())
    return signals(np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64))


def test_poses_move_the_liveness_signals(matcher, astronaut: np.ndarray) -> None:
    """Shut eyes drop the eye aspect ratio well below open; turns move the yaw both ways."""
    face = SyntheticFace(astronaut, matcher.models)
    rest = _measure(matcher, face.render(Pose()))
    shut = _measure(matcher, face.render(Pose(blink=1.0)))
    left = _measure(matcher, face.render(Pose(turn=1.0)))
    right = _measure(matcher, face.render(Pose(turn=-1.0)))
    assert shut.ear < 0.75 * rest.ear
    assert left.yaw - rest.yaw > 0.2 and rest.yaw - right.yaw > 0.2


def test_only_the_face_moves(matcher, astronaut: np.ndarray) -> None:
    """The warp stays around the face: the picture's far corners are untouched, the rest pose
    is the photo itself, and a blink moves only the upper-lid landmarks."""
    face = SyntheticFace(astronaut, matcher.models)
    assert np.array_equal(face.render(Pose()), astronaut)
    turned = face.render(Pose(turn=1.0))
    assert np.array_equal(turned[-40:, -40:], astronaut[-40:, -40:])
    assert not np.array_equal(turned, astronaut)
    moved = face.moved_landmarks(Pose(blink=0.5)) != face.landmarks
    assert sorted(set(np.nonzero(moved.any(axis=1))[0])) == [37, 38, 43, 44]


def test_sequence_shape_and_errors(matcher, astronaut: np.ndarray) -> None:
    """A round is rest, then each action there and back; unknown actions and faceless photos
    are typed errors."""
    from kiosk.devices.card.virtual.portrait import synthetic_portrait

    face = SyntheticFace(astronaut, matcher.models)
    frames = live_sequence(face, ["turn_left"], rounds=1)
    assert len(frames) == 3 + (3 + 2 + 2 + 1) + 3
    assert all(f.shape == astronaut.shape and f.dtype == np.uint8 for f in frames)
    with pytest.raises(BadInput):
        live_sequence(face, ["wink"])
    with pytest.raises(ChipPhotoUnusable):
        SyntheticFace(synthetic_portrait("001090012345"), matcher.models)
    assert len(still_sequence(astronaut, 4)) == 4
    face.forget()
    assert not np.any(face.image)


def test_demo_camera_plays_the_chip_photo_and_forgets_it(astronaut: np.ndarray) -> None:
    """The demo camera loops the resident's own photo in real time; forget() zeroes its frames."""
    _, jpeg = cv2.imencode(".jpg", astronaut)
    camera = demo_camera(jpeg.tobytes(), fps=200)
    assert camera.loop and camera.realtime
    with camera:
        first = camera.read()
        assert first.shape == astronaut.shape
    camera.forget()
    with camera, pytest.raises(CameraStopped):
        camera.read()
