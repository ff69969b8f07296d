"""The holder check: is the person in front of the kiosk the one in the chip's photo?

One check = the chip photo's template, then up to ``attempts`` attempts, each a liveness
run (blink and turns in random order, under a time limit) whose final straight-ahead
frame is compared with the chip photo. Guidance after each attempt says what to change
("move closer", "more light", "only one person", "try again").

What leaves this module is a ``HolderCheckOutcome``: the method, passed or not, the score
band, the attempts used and when it finished — nothing biometric. Frames, landmarks and
templates stay in memory, are overwritten with zeros when the check ends (passed,
failed, cancelled or crashed) and are never logged or stored.

``run`` blocks (it reads the camera): call it on a worker, never on the UI thread. Progress
and preview frames reach the caller through ``on_progress``, on the worker's thread; a
Qt adapter forwards them with a queued signal and must copy the preview frame if it keeps
it, because the buffer is zeroed right after the callback returns.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from kiosk.devices.camera import Camera, CameraError
from kiosk.errors import BadInput
from kiosk.identity.face import Band, ChipPhotoUnusable, FaceDecision, FaceMatcher, FaceTemplate
from kiosk.identity.guidance import Guidance
from kiosk.identity.liveness import (
    CHALLENGES,
    Challenge,
    LivenessCheck,
    LivenessProgress,
    parse_challenges,
)

__all__ = ["HolderCheck", "HolderCheckOutcome", "HolderCheckEvent", "METHOD_FACE_LIVENESS",
           "METHOD_FACE_ONLY", "holder_check_for"]

log = logging.getLogger(__name__)

METHOD_FACE_LIVENESS = "face_liveness"
METHOD_FACE_ONLY = "face_only"   # technicians' command with --no-liveness: never an assurance method


@dataclass(frozen=True)
class HolderCheckOutcome:
    """What the dossier may record about the face check; holds no biometric data."""

    method: str
    passed: bool
    score_band: Band
    attempts: int
    finished_at: datetime
    guidance: Guidance

    def as_dict(self) -> dict[str, Any]:
        return {"method": self.method, "passed": self.passed, "score_band": self.score_band.value,
                "attempts": self.attempts, "finished_at": self.finished_at.isoformat(),
                "guidance": self.guidance.value}


@dataclass(frozen=True)
class HolderCheckEvent:
    """One step for the UI: the attempt, liveness progress, guidance, and the preview frame.

    ``frame`` is valid only during the callback (it is zeroed afterwards); ``decision`` is
    set once an attempt's comparison is made.
    """

    attempt: int
    attempts_allowed: int
    guidance: Guidance
    liveness: LivenessProgress | None = None
    frame: np.ndarray | None = None
    decision: FaceDecision | None = None


ProgressCallback = Callable[[HolderCheckEvent], None]


class HolderCheck:
    """Runs one resident's face check against one camera."""

    def __init__(self, matcher: FaceMatcher, camera: Camera, *, attempts: int = 3,
                 liveness: bool = True, rng: random.Random | None = None,
                 clock: Callable[[], float] = time.monotonic, time_limit_s: float = 20.0,
                 challenges: Sequence[Challenge | str] = CHALLENGES,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 on_progress: ProgressCallback | None = None) -> None:
        if attempts < 1:
            raise BadInput("a face check needs at least one attempt")
        self._matcher = matcher
        self._camera = camera
        self.attempts = attempts
        self.liveness = liveness
        self._rng = rng or random.SystemRandom()
        self._clock = clock
        self.time_limit_s = time_limit_s
        self.challenges = parse_challenges(challenges)
        self._now = now
        self._on_progress = on_progress
        self._cancel = threading.Event()
        self.last_decision: FaceDecision | None = None
        self.last_liveness: LivenessProgress | None = None
        self._attempt_no = 0

    @property
    def method(self) -> str:
        return METHOD_FACE_LIVENESS if self.liveness else METHOD_FACE_ONLY

    def cancel(self) -> None:
        """Stop at the next frame (from any thread): the resident left or chose another way."""
        self._cancel.set()

    def run(self, chip_photo: bytes | np.ndarray) -> HolderCheckOutcome:
        """The whole check; never raises for the resident's or the camera's failures."""
        self._cancel.clear()
        self._attempt_no = 0
        try:
            chip = self._matcher.enroll_chip_photo(chip_photo)
        except ChipPhotoUnusable:
            self._emit(HolderCheckEvent(0, self.attempts, Guidance.CHIP_PHOTO_UNUSABLE))
            return self._outcome(False, Band.NONE, 0, Guidance.CHIP_PHOTO_UNUSABLE)
        try:
            with self._camera:
                return self._attempts(chip)
        except CameraError as error:
            log.warning("face check: camera failed (%s)", type(error).__name__)
            self._emit(HolderCheckEvent(0, self.attempts, Guidance.CAMERA_UNAVAILABLE))
            return self._outcome(False, Band.NONE, self._attempt_no, Guidance.CAMERA_UNAVAILABLE)
        finally:
            chip.wipe()

    def _attempts(self, chip: FaceTemplate) -> HolderCheckOutcome:
        guidance, band = Guidance.NO_FACE, Band.NONE
        for attempt in range(1, self.attempts + 1):
            self._attempt_no = attempt
            decision, guidance = self._one_attempt(attempt, chip)
            if guidance is Guidance.CANCELLED:
                return self._outcome(False, band, attempt, guidance)
            if decision is not None:
                band = decision.band
                self.last_decision = decision
                if decision.matched:
                    log.info("face check passed at attempt %d (band %s)", attempt, band.value)
                    return self._outcome(True, band, attempt, Guidance.OK)
            log.info("face check attempt %d failed: %s", attempt, guidance.value)
        return self._outcome(False, band, self.attempts, guidance)

    def _one_attempt(self, attempt: int, chip: FaceTemplate,
                     ) -> tuple[FaceDecision | None, Guidance]:
        """One liveness run and comparison: the decision (if one was made) and the guidance."""
        check = LivenessCheck(self._matcher, self._rng, clock=self._clock,
                              time_limit_s=self.time_limit_s, challenges=self.challenges)
        started = self._clock()
        try:
            while True:
                if self._cancel.is_set():
                    return None, Guidance.CANCELLED
                frame = self._camera.read()
                try:
                    if self.liveness:
                        progress = check.feed(frame)
                        self.last_liveness = progress
                        self._emit(HolderCheckEvent(attempt, self.attempts, progress.guidance,
                                                    progress, frame))
                        if not progress.finished:
                            continue
                        if not progress.passed:
                            return None, progress.guidance
                        assert check.match_frame is not None and check.match_box is not None
                        decision = self._decide(chip, check.match_frame, check.match_box)
                    else:
                        if self._clock() - started > self.time_limit_s:
                            return None, Guidance.TIME_UP
                        sighting = self._matcher.look(frame)
                        self._emit(HolderCheckEvent(attempt, self.attempts, sighting.guidance,
                                                    None, frame))
                        if sighting.box is None:
                            continue
                        decision = self._decide(chip, frame, sighting.box)
                finally:
                    frame.fill(0)
                self._emit(HolderCheckEvent(attempt, self.attempts, decision.guidance,
                                            self.last_liveness if self.liveness else None,
                                            None, decision))
                return decision, decision.guidance
        finally:
            check.wipe()

    def _decide(self, chip: FaceTemplate, frame: np.ndarray, box: Any) -> FaceDecision:
        live = self._matcher.template_of(frame, box)
        try:
            return self._matcher.decide(chip, live)
        finally:
            live.wipe()

    def _emit(self, event: HolderCheckEvent) -> None:
        if self._on_progress is not None:
            self._on_progress(event)

    def _outcome(self, passed: bool, band: Band, attempts: int,
                 guidance: Guidance) -> HolderCheckOutcome:
        return HolderCheckOutcome(self.method, passed, band, attempts, self._now(), guidance)


def holder_check_for(settings: Any, camera: Camera, matcher: FaceMatcher | None = None,
                     on_progress: ProgressCallback | None = None,
                     rng: random.Random | None = None) -> HolderCheck:
    """A holder check on the kiosk's ``[face]`` settings (``settings`` is kiosk.config.Settings).

    Share one ``FaceMatcher`` between checks: the models load once per process anyway, but
    the matcher also carries the thresholds.
    """
    face = settings.face
    return HolderCheck(matcher or FaceMatcher(face.threshold), camera, attempts=face.attempts,
                       rng=rng, time_limit_s=face.liveness_time_limit_s,
                       challenges=face.challenges, on_progress=on_progress)
