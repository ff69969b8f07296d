"""Active liveness: a live-like sequence passes in any order, a still photo never does."""

from __future__ import annotations

import random

import numpy as np
import pytest
from face_fixtures import FrameClock

from kiosk.errors import BadInput
from kiosk.identity.guidance import Guidance
from kiosk.identity.liveness import (
    CHALLENGES,
    Challenge,
    LivenessCheck,
    LivenessState,
    parse_challenges,
    signals,
)
from kiosk.identity.synthetic_frames import still_sequence


def _run(check: LivenessCheck, frames: list[np.ndarray], clock: FrameClock) -> list:
    progress = []
    for frame in frames:
        clock.tick()
        step = check.feed(frame)
        progress.append(step)
        if step.finished:
            break
    return progress


def _seeds_with_distinct_orders(count: int) -> list[int]:
    seeds, orders = [], set()
    for seed in range(100):
        order = tuple(random.Random(seed).sample(list(CHALLENGES), len(CHALLENGES)))
        if order not in orders:
            orders.add(order)
            seeds.append(seed)
        if len(seeds) == count:
            return seeds
    raise AssertionError("not enough distinct orders")


@pytest.mark.parametrize("seed", _seeds_with_distinct_orders(3))
def test_live_like_sequence_passes_in_the_random_order(matcher, obama_live, seed: int) -> None:
    """Blink, turn left and turn right pass whatever order the seeded generator draws."""
    clock = FrameClock()
    check = LivenessCheck(matcher, random.Random(seed), clock=clock, time_limit_s=20)
    expected = tuple(random.Random(seed).sample(list(CHALLENGES), len(CHALLENGES)))
    assert check.order == expected
    progress = _run(check, obama_live, clock)
    final = progress[-1]
    assert final.state is LivenessState.PASSED and final.passed and final.guidance is Guidance.OK
    assert final.done == check.order  # done in the order asked
    asked = [p.current for p in progress if p.current is not None]
    assert asked[0] == check.order[0] and set(asked) == set(CHALLENGES)
    assert check.match_frame is not None and check.match_box is not None
    check.wipe()
    assert check.match_frame is None


def test_progress_tells_each_step(matcher, astronaut_live) -> None:
    """The UI sees: look straight (calibration), then each challenge's instruction, then OK."""
    clock = FrameClock()
    check = LivenessCheck(matcher, random.Random(1), clock=clock, time_limit_s=20)
    progress = _run(check, astronaut_live, clock)
    guidance = [p.guidance for p in progress]
    assert guidance[0] is Guidance.LOOK_STRAIGHT
    instructions = {Challenge.BLINK: Guidance.BLINK, Challenge.TURN_LEFT: Guidance.TURN_LEFT,
                    Challenge.TURN_RIGHT: Guidance.TURN_RIGHT}
    first_seen = [g for i, g in enumerate(guidance) if g in instructions.values()
                  and g not in guidance[:i]]
    assert first_seen == [instructions[c] for c in check.order]
    assert progress[-1].passed and progress[-1].time_left_s < 20
    done_counts = [len(p.done) for p in progress]
    assert done_counts == sorted(done_counts) and done_counts[-1] == 3


def test_printed_photo_replay_fails(matcher, astronaut) -> None:
    """A still picture repeated as frames never blinks or turns: the check fails on time."""
    clock = FrameClock(fps=10)
    check = LivenessCheck(matcher, random.Random(0), clock=clock, time_limit_s=3)
    progress = _run(check, still_sequence(astronaut, 60), clock)
    final = progress[-1]
    assert final.state is LivenessState.FAILED and not final.passed
    assert final.guidance is Guidance.TIME_UP and final.done == ()
    assert check.match_frame is None
    assert check.feed(astronaut).state is LivenessState.FAILED  # finished stays finished


def test_time_limit_applies_to_a_live_sequence(matcher, astronaut_live) -> None:
    """The same live sequence fails when the limit is shorter than the challenges take."""
    clock = FrameClock()
    check = LivenessCheck(matcher, random.Random(1), clock=clock, time_limit_s=1.0)
    final = _run(check, astronaut_live, clock)[-1]
    assert final.state is LivenessState.FAILED and final.guidance is Guidance.TIME_UP
    assert len(final.done) < 3


def test_no_face_pauses_without_progress(matcher, astronaut_live) -> None:
    """Frames without a face give NO_FACE guidance and count nothing toward a challenge."""
    clock = FrameClock()
    check = LivenessCheck(matcher, random.Random(1), clock=clock, time_limit_s=20)
    blank = np.full((480, 640, 3), 128, np.uint8)
    progress = _run(check, [blank] * 3, clock)
    assert [p.guidance for p in progress] == [Guidance.NO_FACE] * 3
    assert progress[-1].state is LivenessState.RUNNING and progress[-1].done == ()


def test_a_face_that_jumps_restarts_the_check(matcher, astronaut) -> None:
    """If the face leaps across the frame (someone else stepped in), calibration starts over."""
    from kiosk.identity.face import FaceMatcher

    near_or_far = FaceMatcher(min_face_fraction=0.0, face_models=matcher.models)
    clock = FrameClock()
    check = LivenessCheck(near_or_far, random.Random(1), clock=clock, time_limit_s=20)
    wide = np.full((512, 1400, 3), 128, np.uint8)
    left, right = wide.copy(), wide.copy()
    left[:, :512] = astronaut
    right[:, -512:] = astronaut
    _run(check, [left] * 3 + [right], clock)
    assert check.restarts == 1


def test_signals_from_landmarks() -> None:
    """EAR is the eye's height over its width; yaw is signed by the nose's side."""
    points = np.zeros((68, 2))
    for start in (36, 42):  # an eye 30 wide and 9 high: EAR 0.3
        x = 0 if start == 36 else 60
        points[start:start + 6] = [(x, 0), (x + 10, -4.5), (x + 20, -4.5), (x + 30, 0),
                                   (x + 20, 4.5), (x + 10, 4.5)]
    points[0], points[16] = (-20, 20), (110, 20)
    points[30] = (45, 20)
    straight = signals(points)
    assert straight.ear == pytest.approx(0.3) and straight.yaw == pytest.approx(0.0)
    points[30] = (80, 20)  # the nose toward the image's right: the resident's left
    assert signals(points).yaw > 0.4


def test_challenges_are_validated() -> None:
    """Unknown, repeated or empty challenge lists are typed errors naming the valid ones."""
    assert parse_challenges("blink, turn_left") == (Challenge.BLINK, Challenge.TURN_LEFT)
    for bad in ("wink", "blink,blink", "", ","):
        with pytest.raises(BadInput):
            parse_challenges(bad)


def test_only_the_asked_challenges_are_run(matcher, astronaut_live) -> None:
    """A configuration with one challenge asks only that one."""
    clock = FrameClock()
    check = LivenessCheck(matcher, random.Random(0), clock=clock, time_limit_s=20,
                          challenges=["turn_right"])
    final = _run(check, astronaut_live, clock)[-1]
    assert final.passed and final.done == (Challenge.TURN_RIGHT,) and final.total == 1
