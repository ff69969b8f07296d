"""Active liveness: the resident blinks and turns the head on request, seen in the landmarks.

A printed photo or a phone showing a still picture cannot blink or turn on request; this
check asks for the challenges (blink, turn left, turn right) in a random order drawn
from an injected ``random.Random`` and follows dlib's 68 landmarks (iBUG 300-W) frame
by frame, under a time limit read from an injected clock.

Measurements, per frame:
- eye aspect ratio, EAR = (|p2-p6| + |p3-p5|) / (2 |p1-p4|) over each eye's six points
  (Soukupová and Čech, "Real-Time Eye Blink Detection using Facial Landmarks", 2016),
  averaged over both eyes. A blink is a drop below ``blink_closed`` × the resident's own
  open-eye EAR followed by a recovery above ``blink_open`` × it.
- yaw, from how far the nose tip (point 30) sits from each end of the jaw outline (0 and
  16): (d0 - d16) / (d0 + d16), about the sine of the head's rotation; positive when the
  resident turns to their own left (the camera's image is not mirrored). A flat picture
  tilted in front of the camera keeps this ratio (an affine view preserves ratios along
  a line), which is why a turn is hard to fake with a photo.

The first ``calibration_frames`` frontal frames set the resident's own open-eye EAR and
straight-ahead yaw. After the last challenge the resident looks straight once more:
that frame is the one the face match uses, so the face that did the challenges is the
face compared. A face that jumps (moves more than its own width between two frames)
restarts the check: another person took the place. A challenge done when it was not
asked is ignored (not failed), which keeps the check kind to a resident who turns the
wrong way first. What this does and does not stop: docs/identity.md, "Face check".
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import cv2
import numpy as np

from kiosk.errors import BadInput
from kiosk.identity.face import FaceBox, FaceMatcher, as_bgr_frame
from kiosk.identity.guidance import Guidance

__all__ = ["Challenge", "LivenessState", "LivenessProgress", "LivenessCheck", "FaceSignals",
           "signals", "parse_challenges", "CHALLENGES"]

log = logging.getLogger(__name__)


class Challenge(StrEnum):
    BLINK = "blink"
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"


CHALLENGES = (Challenge.BLINK, Challenge.TURN_LEFT, Challenge.TURN_RIGHT)


def parse_challenges(names: str | Sequence[str | Challenge]) -> tuple[Challenge, ...]:
    """Challenges from settings text ("blink,turn_left") or a list; a typed error for typos."""
    items = names.split(",") if isinstance(names, str) else list(names)
    chosen: list[Challenge] = []
    for item in items:
        name = str(item).strip()
        if not name:
            continue
        try:
            chosen.append(Challenge(name))
        except ValueError:
            raise BadInput(f"unknown liveness challenge {name!r}: use "
                           f"{', '.join(c.value for c in CHALLENGES)}") from None
    if not chosen or len(set(chosen)) != len(chosen):
        raise BadInput("liveness needs one or more different challenges from "
                       f"{', '.join(c.value for c in CHALLENGES)}")
    return tuple(chosen)


_ASK = {Challenge.BLINK: Guidance.BLINK, Challenge.TURN_LEFT: Guidance.TURN_LEFT,
        Challenge.TURN_RIGHT: Guidance.TURN_RIGHT}
_RIGHT_EYE, _LEFT_EYE = range(36, 42), range(42, 48)


class LivenessState(StrEnum):
    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"


@dataclass(frozen=True)
class LivenessProgress:
    """Where the check stands after a frame: what to show the resident."""

    state: LivenessState
    current: Challenge | None
    done: tuple[Challenge, ...]
    total: int
    time_left_s: float
    guidance: Guidance

    @property
    def finished(self) -> bool:
        return self.state is not LivenessState.RUNNING

    @property
    def passed(self) -> bool:
        return self.state is LivenessState.PASSED

    def as_dict(self) -> dict[str, object]:
        return {"state": self.state.value, "current": self.current.value if self.current else None,
                "done": [c.value for c in self.done], "total": self.total,
                "time_left_s": round(self.time_left_s, 2), "guidance": self.guidance.value}


@dataclass(frozen=True)
class FaceSignals:
    """The two numbers liveness reads from a face's landmarks."""

    ear: float
    yaw: float


def _eye_aspect_ratio(points: np.ndarray) -> float:
    p1, p2, p3, p4, p5, p6 = points
    width = float(np.linalg.norm(p1 - p4))
    if width == 0:
        return 0.0
    return float((np.linalg.norm(p2 - p6) + np.linalg.norm(p3 - p5)) / (2.0 * width))


def signals(landmarks: np.ndarray) -> FaceSignals:
    """EAR (mean of both eyes) and yaw ratio from 68 landmarks, shape (68, 2)."""
    ear = (_eye_aspect_ratio(landmarks[list(_RIGHT_EYE)]) +
           _eye_aspect_ratio(landmarks[list(_LEFT_EYE)])) / 2.0
    to_right_jaw = float(np.linalg.norm(landmarks[30] - landmarks[0]))
    to_left_jaw = float(np.linalg.norm(landmarks[30] - landmarks[16]))
    total = to_right_jaw + to_left_jaw
    yaw = 0.0 if total == 0 else (to_right_jaw - to_left_jaw) / total
    return FaceSignals(ear, yaw)


@dataclass
class _Baseline:
    ears: list[float] = field(default_factory=list)
    yaws: list[float] = field(default_factory=list)
    ear: float = 0.0
    yaw: float = 0.0


class LivenessCheck:
    """One run of the challenges; ``feed`` it frames until ``progress.finished``.

    Not thread-safe: one worker feeds it. ``match_frame`` (the final straight-ahead frame)
    is kept for the face match and zeroed by ``wipe``.
    """

    def __init__(self, matcher: FaceMatcher, rng: random.Random | None = None, *,
                 clock: Callable[[], float] = time.monotonic, time_limit_s: float = 20.0,
                 challenges: Sequence[Challenge | str] = CHALLENGES, calibration_frames: int = 3,
                 blink_closed: float = 0.75, blink_open: float = 0.9, turn_yaw: float = 0.2,
                 frontal_yaw: float = 0.1) -> None:
        chosen = list(parse_challenges(challenges))
        if time_limit_s <= 0:
            raise BadInput("the liveness time limit must be above 0 seconds")
        rng = rng or random.SystemRandom()
        self.order: tuple[Challenge, ...] = tuple(rng.sample(chosen, len(chosen)))
        self._matcher = matcher
        self._clock = clock
        self.time_limit_s = time_limit_s
        self.calibration_frames = calibration_frames
        self.blink_closed = blink_closed
        self.blink_open = blink_open
        self.turn_yaw = turn_yaw
        self.frontal_yaw = frontal_yaw
        self._started: float | None = None
        self._restart()
        self._state = LivenessState.RUNNING
        self._last_guidance = Guidance.LOOK_STRAIGHT
        self.match_frame: np.ndarray | None = None
        self.match_box: FaceBox | None = None
        self.frames_seen = 0
        self.restarts = 0

    def _restart(self) -> None:
        self._baseline = _Baseline()
        self._done: list[Challenge] = []
        self._eyes_closed = False
        self._last_box: FaceBox | None = None

    @property
    def current(self) -> Challenge | None:
        if len(self._done) < len(self.order):
            return self.order[len(self._done)]
        return None

    def _time_left(self) -> float:
        if self._started is None:
            return self.time_limit_s
        return max(0.0, self.time_limit_s - (self._clock() - self._started))

    def progress(self, guidance: Guidance | None = None) -> LivenessProgress:
        """The check's state now (without a new frame)."""
        return LivenessProgress(self._state, self.current if self._state is LivenessState.RUNNING
                                else None, tuple(self._done), len(self.order), self._time_left(),
                                guidance or self._last_guidance)

    def feed(self, frame: np.ndarray) -> LivenessProgress:
        """Look at one camera frame and move the challenges on."""
        if self._state is not LivenessState.RUNNING:
            return self.progress()
        if self._started is None:
            self._started = self._clock()
        if self._time_left() <= 0:
            self._state = LivenessState.FAILED
            log.info("liveness: time up after %d frames, %d/%d challenges", self.frames_seen,
                     len(self._done), len(self.order))
            return self._say(Guidance.TIME_UP)
        self.frames_seen += 1
        frame = as_bgr_frame(frame)
        sighting = self._matcher.look(frame)
        if sighting.box is None:
            return self._say(sighting.guidance)
        box = sighting.box
        if self._jumped(box):
            self.restarts += 1
            log.info("liveness: the face jumped between frames; restarting the challenges")
            self._restart()
        self._last_box = box
        landmarks = self._landmarks(frame, box)
        measured = signals(landmarks)
        baseline = self._baseline
        if len(baseline.ears) < self.calibration_frames:
            if abs(measured.yaw) > 0.3:  # a resting face is roughly frontal
                return self._say(Guidance.LOOK_STRAIGHT)
            baseline.ears.append(measured.ear)
            baseline.yaws.append(measured.yaw)
            baseline.ear = float(np.median(baseline.ears))
            baseline.yaw = float(np.median(baseline.yaws))
            if len(baseline.ears) < self.calibration_frames:
                return self._say(Guidance.LOOK_STRAIGHT)
            return self._say(_ASK[self.order[0]])
        challenge = self.current
        if challenge is not None and self._satisfied(challenge, measured):
            self._done.append(challenge)
            log.info("liveness: challenge %s done (%d/%d)", challenge.value, len(self._done),
                     len(self.order))
            challenge = self.current
        if challenge is not None:
            return self._say(_ASK[challenge])
        # Every challenge done: one straight-ahead, open-eyed frame for the face match.
        turned = abs(measured.yaw - baseline.yaw) > self.frontal_yaw
        if turned or measured.ear < self.blink_open * baseline.ear:
            return self._say(Guidance.LOOK_STRAIGHT)
        self._keep_match_frame(frame, box)
        self._state = LivenessState.PASSED
        log.info("liveness passed after %d frames", self.frames_seen)
        return self._say(Guidance.OK)

    def _say(self, guidance: Guidance) -> LivenessProgress:
        self._last_guidance = guidance
        return self.progress(guidance)

    def _jumped(self, box: FaceBox) -> bool:
        last = self._last_box
        if last is None:
            return False
        (x0, y0), (x1, y1) = last.center, box.center
        return float(np.hypot(x1 - x0, y1 - y0)) > max(last.width, box.width)

    def _landmarks(self, frame: np.ndarray, box: FaceBox) -> np.ndarray:
        rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
        shape = self._matcher.models.landmarks68(rgb, box.rectangle())
        rgb.fill(0)
        return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)

    def _satisfied(self, challenge: Challenge, measured: FaceSignals) -> bool:
        baseline = self._baseline
        if challenge is Challenge.BLINK:
            if measured.ear < self.blink_closed * baseline.ear:
                self._eyes_closed = True
                return False
            return self._eyes_closed and measured.ear >= self.blink_open * baseline.ear
        turn = measured.yaw - baseline.yaw
        if challenge is Challenge.TURN_LEFT:
            return turn >= self.turn_yaw
        return turn <= -self.turn_yaw

    def _keep_match_frame(self, frame: np.ndarray, box: FaceBox) -> None:
        if self.match_frame is not None:
            self.match_frame.fill(0)
        self.match_frame = frame.copy()
        self.match_box = box

    def wipe(self) -> None:
        """Zero the kept frame and forget the resident's measurements."""
        if self.match_frame is not None:
            self.match_frame.fill(0)
        self.match_frame = None
        self.match_box = None
        self._baseline = _Baseline()
