"""The holder check: attempts, guidance, the outcome, and nothing biometric left behind."""

from __future__ import annotations

import pickle
import random
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.devices.camera import OpenCvCamera, VirtualCamera
from kiosk.identity.face import Band
from kiosk.identity.guidance import Guidance
from kiosk.identity.holder_check import (
    METHOD_FACE_LIVENESS,
    HolderCheck,
    HolderCheckEvent,
    HolderCheckOutcome,
    holder_check_for,
)
from kiosk.identity.synthetic_frames import still_sequence

AT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def _jpeg(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return data.tobytes()


def _check(matcher, camera: VirtualCamera, **options) -> HolderCheck:  # noqa: ANN001
    """A check timed by the camera's recording time, so the tests never sleep."""
    options.setdefault("time_limit_s", 20.0)
    return HolderCheck(matcher, camera, rng=random.Random(options.pop("seed", 7)),
                       clock=lambda: camera.position_s, now=lambda: AT, **options)


def test_same_person_passes_on_the_first_attempt(matcher, obama_live,
                                                 public_images: Path) -> None:
    """obama.jpg's live-like sequence against obama3.jpg as the chip photo: passed, one attempt."""
    events: list[HolderCheckEvent] = []
    camera = VirtualCamera(obama_live, loop=True)
    check = _check(matcher, camera, on_progress=events.append)
    outcome = check.run((public_images / "obama3.jpg").read_bytes())
    assert outcome == HolderCheckOutcome(METHOD_FACE_LIVENESS, True, outcome.score_band, 1, AT,
                                         Guidance.OK)
    assert outcome.score_band in (Band.STRONG, Band.MATCH)
    assert any(e.liveness is not None and e.liveness.passed for e in events)
    assert events[-1].decision is not None and events[-1].decision.matched
    assert all(e.attempt == 1 and e.attempts_allowed == 3 for e in events)


def test_another_person_fails_after_three_attempts(matcher, astronaut_live,
                                                   public_images: Path) -> None:
    """A live astronaut against Obama's chip photo: three liveness passes, three refusals."""
    decisions = []
    camera = VirtualCamera(astronaut_live, loop=True)
    check = _check(matcher, camera, on_progress=lambda e: e.decision and decisions.append(e))
    outcome = check.run((public_images / "obama.jpg").read_bytes())
    assert not outcome.passed and outcome.attempts == 3
    assert outcome.guidance is Guidance.NOT_MATCHED and outcome.score_band is Band.NO_MATCH
    assert [e.attempt for e in decisions] == [1, 2, 3]


def test_printed_photo_replay_fails_every_attempt(matcher, astronaut) -> None:
    """The chip photo itself held to the camera (a still, repeated) fails liveness three times."""
    camera = VirtualCamera(still_sequence(astronaut, 1), fps=10, loop=True)
    seen: list[HolderCheckEvent] = []
    check = _check(matcher, camera, time_limit_s=3.0, on_progress=seen.append)
    outcome = check.run(_jpeg(astronaut))
    assert not outcome.passed and outcome.attempts == 3
    assert outcome.guidance is Guidance.TIME_UP and outcome.score_band is Band.NONE
    assert all(e.decision is None for e in seen)  # never compared: liveness came first


def test_attempts_setting_bounds_the_tries(matcher, astronaut) -> None:
    """With attempts=1 a failed liveness ends the check after one attempt."""
    camera = VirtualCamera(still_sequence(astronaut, 1), fps=10, loop=True)
    outcome = _check(matcher, camera, attempts=1, time_limit_s=3.0).run(_jpeg(astronaut))
    assert outcome.attempts == 1 and not outcome.passed


def test_chip_photo_without_a_face_is_its_own_outcome(matcher, astronaut_live) -> None:
    """The virtual card's drawn portrait: no attempt is made, the guidance says why."""
    from kiosk.devices.card.virtual.portrait import synthetic_portrait

    camera = VirtualCamera(astronaut_live)
    outcome = _check(matcher, camera).run(synthetic_portrait("001090012345"))
    assert not outcome.passed and outcome.attempts == 0
    assert outcome.guidance is Guidance.CHIP_PHOTO_UNUSABLE and camera.frames_read == 0


def test_missing_camera_is_an_outcome_not_a_crash(matcher, astronaut) -> None:
    """No camera at the index: the check ends with CAMERA_UNAVAILABLE for the UI to offer another way."""
    camera = OpenCvCamera(index=63, warmup=0)
    outcome = HolderCheck(matcher, camera, now=lambda: AT).run(_jpeg(astronaut))
    assert not outcome.passed and outcome.guidance is Guidance.CAMERA_UNAVAILABLE


def test_cancel_stops_at_the_next_frame(matcher, astronaut_live, astronaut) -> None:
    """cancel() (the resident walked away) ends the check as CANCELLED within a frame."""
    camera = VirtualCamera(astronaut_live, loop=True)
    holder: list[HolderCheck] = []

    def on_progress(event: HolderCheckEvent) -> None:
        if camera.frames_read == 5:
            holder[0].cancel()

    holder.append(_check(matcher, camera, on_progress=on_progress))
    outcome = holder[0].run(_jpeg(astronaut))
    assert outcome.guidance is Guidance.CANCELLED and not outcome.passed
    assert camera.frames_read == 5


def test_no_biometric_data_leaves_the_check(matcher, astronaut_live, astronaut) -> None:
    """The outcome (fields, repr, pickle) holds no template or frame, and every frame the
    check handed out is zeroed when it ends."""
    frames: list[np.ndarray] = []
    camera = VirtualCamera(astronaut_live, loop=True)
    check = _check(matcher, camera,
                   on_progress=lambda e: e.frame is not None and frames.append(e.frame))
    outcome = check.run(_jpeg(astronaut))
    assert outcome.passed
    assert {f.name for f in fields(outcome)} == {"method", "passed", "score_band", "attempts",
                                                 "finished_at", "guidance"}
    for value in vars(outcome).values():
        assert not isinstance(value, np.ndarray | bytes | list | tuple)
    blob = pickle.dumps(outcome)
    assert len(blob) < 600 and b"numpy" not in blob
    assert "array" not in repr(outcome)
    assert outcome.as_dict() == {"method": "face_liveness", "passed": True,
                                 "score_band": outcome.score_band.value, "attempts": 1,
                                 "finished_at": AT.isoformat(), "guidance": "ok"}
    assert frames and all(not np.any(frame) for frame in frames)


def test_without_liveness_the_first_usable_frame_is_compared(matcher, astronaut) -> None:
    """--no-liveness (technicians only): a still matches, under the method 'face_only'."""
    camera = VirtualCamera(still_sequence(astronaut, 2), loop=True)
    outcome = _check(matcher, camera, liveness=False).run(_jpeg(astronaut))
    assert outcome.passed and outcome.method == "face_only" and outcome.attempts == 1


def test_built_from_the_face_settings(demo_settings, matcher, astronaut) -> None:
    """holder_check_for reads attempts, time limit and challenges from the [face] section."""
    camera = VirtualCamera(still_sequence(astronaut, 1), loop=True)
    check = holder_check_for(demo_settings, camera, matcher)
    assert check.attempts == demo_settings.face.attempts == 3
    assert check.time_limit_s == demo_settings.face.liveness_time_limit_s
    assert [c.value for c in check.challenges] == ["blink", "turn_left", "turn_right"]


@pytest.mark.parametrize("bad", [0, -1])
def test_attempts_must_be_positive(matcher, bad: int) -> None:
    """Zero attempts is a configuration error, not a check that silently never runs."""
    from kiosk.errors import BadInput

    with pytest.raises(BadInput):
        HolderCheck(matcher, VirtualCamera([np.zeros((32, 32, 3), np.uint8)]), attempts=bad)
