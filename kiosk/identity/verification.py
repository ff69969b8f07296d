"""The verify step of the journey: offer the methods that lift the resident to the level the
chosen procedure needs, run the one they pick, and turn its result into evidence.

No Qt: the UI's view-model calls these from workers and shows what they report. Each
method returns an :class:`~kiosk.identity.assurance.Evidence` — passed or failed, with a
reason code — and never raises for a resident's failure (a face that does not match, a
VNeID sign-in denied); it raises only for what the kiosk itself cannot do.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kiosk.errors import KioskError
from kiosk.identity.assurance import Evidence, Identification, Level, Method, methods_reaching

__all__ = ["FaceCheck", "VerifyOffer", "Verification", "offer_for"]

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class VerifyOffer:
    """What the verify step shows: the level needed, the level reached, and the ways up."""

    required: Level
    reached: Level
    methods: tuple[Method, ...]
    face_unusable: bool = False      # the card's photo has no usable face: say why no face check

    @property
    def needed(self) -> bool:
        return self.reached < self.required

    @property
    def refused(self) -> bool:
        """Nothing available reaches the level: the resident is sent to the counter, kindly."""
        return self.needed and not self.methods


def offer_for(identification: Identification, required: Level, *, camera: bool, portal: bool,
              volunteer: bool, chip_photo: bool, face_tries_left: bool = True) -> VerifyOffer:
    """The methods worth offering now (each must reach ``required`` on its own)."""
    available: set[Method] = set()
    if camera and chip_photo and face_tries_left:
        available.add(Method.FACE_LIVENESS)
    if portal:
        available.add(Method.VNEID_L2)
    if volunteer:
        available.add(Method.VOLUNTEER)
    methods = tuple(methods_reaching(identification.passed(), required, available))
    return VerifyOffer(required, identification.level, methods,
                       face_unusable=camera and not chip_photo and face_tries_left)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Verification:
    """The kiosk's means of verifying a holder, built once by the composition root.

    ``face_check`` is a callable (chip JPEG, progress, stop event) → (passed, band, reason)
    wrapping the camera and the face models, or None when the kiosk has no camera;
    ``vneid`` a :class:`kiosk.identity.vneid.VneidSignin` factory, or None without a portal.
    """

    face_check: FaceCheck | None = None
    vneid: Callable[[], Any] | None = None
    face_attempts: int = 1     # holder checks per session; each makes [face] attempts tries
    vneid_wait_s: float = 120.0
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)

    # -- face ---------------------------------------------------------------------------
    def face(self, chip_jpeg: bytes, on_progress: Progress) -> Evidence:
        """One face check with liveness against the chip photo (runs in a worker)."""
        if self.face_check is None:
            raise KioskError("this kiosk has no camera")
        self._stop.clear()
        passed, band, reason = self.face_check(chip_jpeg, on_progress, self._stop)
        log.info("face check: %s (%s)", "passed" if passed else "failed", reason or band)
        return Evidence(Method.FACE_LIVENESS, passed, _now(), band=band if passed else "",
                        detail="" if passed else reason)

    def chip_photo_usable(self, chip_jpeg: bytes) -> bool:
        """Checked while the choices show (it also loads the face models): a photo without a
        usable face takes the face check off the list instead of failing after consent."""
        return self.face_check is not None and self.face_check.usable(chip_jpeg)

    def release(self) -> None:
        """The verify step is over: free what the face check loaded."""
        if self.face_check is not None:
            self.face_check.release()

    def stop(self) -> None:
        """The resident left the step (back, timeout): stop the camera loop at the next frame."""
        self._stop.set()

    # -- VNeID ---------------------------------------------------------------------------
    def vneid_open(self, hint_id: str | None) -> tuple[Any, Any]:
        """Open a sign-in session; the UI shows ``session.qr_text`` as a QR code."""
        if self.vneid is None:
            raise KioskError("this kiosk cannot reach the portal for VNeID sign-in")
        signin = self.vneid()
        return signin, signin.open(hint_id)

    def vneid_wait(self, signin: Any, session: Any, card_id: str | None) -> Evidence:
        """Wait for the resident's approval in the app; the identity must be the card's."""
        from kiosk.identity.vneid import VneidDenied, VneidError, VneidExpired, VneidTimeout

        try:
            identity = signin.wait(session, self.vneid_wait_s)
        except VneidDenied:
            return Evidence(Method.VNEID_L2, False, _now(), detail="denied")
        except (VneidExpired, VneidTimeout):
            return Evidence(Method.VNEID_L2, False, _now(), detail="expired")
        except VneidError as error:
            log.warning("vneid sign-in refused: %s", type(error).__name__)
            return Evidence(Method.VNEID_L2, False, _now(), detail="refused")
        if card_id is not None and not identity.matches(card_id):
            return Evidence(Method.VNEID_L2, False, _now(), detail="other_person")
        if identity.level < 2:
            return Evidence(Method.VNEID_L1, True, _now(), detail="level_1")
        return Evidence(Method.VNEID_L2, True, _now())

    def vneid_cancel(self, signin: Any, session: Any) -> None:
        signin.cancel(session)

    # -- volunteer ------------------------------------------------------------------------
    @staticmethod
    def attest(volunteers: Any, code: str, pin: str) -> Evidence:
        """The signed-in volunteer's attestation (see ``VolunteerDesk.attest_holder``)."""
        volunteer = volunteers.attest_holder(code, pin)
        return Evidence(Method.VOLUNTEER, True, _now(), by=volunteer.code)


# dlib hung when a second thread used the models the first one had loaded (seen with the
# worker pool): every dlib call of the verify step runs on this one thread.
_DLIB_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="face")


class FaceCheck:
    """The kiosk's face check on its ``[face]`` settings, as the verify step calls it.

    The camera is opened for one check and closed after it. The demo's virtual camera
    without a frames folder plays the resident's own chip photo, blinking and turning
    (kiosk/identity/synthetic_frames.py), so `make run` shows the whole step. The models
    load on first use (dlib is not imported before), ideally through :meth:`usable` while
    the resident reads the choices."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self._matcher: Any = None
        self._lock = threading.Lock()

    def matcher(self) -> Any:
        with self._lock:
            if self._matcher is None:
                from kiosk.identity.face import FaceMatcher

                self._matcher = FaceMatcher(self.settings.face.threshold)
            return self._matcher

    def release(self) -> None:
        """Drop the models (about 100 MB) when the verify step ends; the next check loads them
        again while the resident reads the choices. Runs after any check in progress."""
        def drop() -> None:
            from kiosk.identity.models import release

            with self._lock:
                self._matcher = None
            release()

        _DLIB_THREAD.submit(drop)

    def usable(self, chip_jpeg: bytes) -> bool:
        """Whether the chip photo shows one face to compare with (loads the models)."""
        from kiosk.identity.face import ChipPhotoUnusable

        def check() -> bool:
            try:
                self.matcher().enroll_chip_photo(chip_jpeg).wipe()
            except ChipPhotoUnusable:
                return False
            return True

        return _DLIB_THREAD.submit(check).result()

    def __call__(self, chip_jpeg: bytes, on_progress: Callable[..., None],
                 stop: threading.Event) -> tuple[bool, str, str]:
        from kiosk.devices.camera import open_camera
        from kiosk.identity.holder_check import holder_check_for

        face, matcher = self.settings.face, self.matcher()
        if face.camera == "virtual" and not face.virtual_frames_dir:
            from kiosk.identity.synthetic_frames import demo_camera

            if not self.usable(chip_jpeg):
                return False, "", "chip_photo_unusable"
            camera = _DLIB_THREAD.submit(demo_camera, chip_jpeg).result()
        else:
            camera = open_camera(face.camera, face.camera_index, face.virtual_frames_dir)
        holder = None

        def progress(event: Any) -> None:
            if stop.is_set() and holder is not None:
                holder.cancel()
            current = event.liveness.current if event.liveness is not None else None
            stage = f"challenge:{current.value}" if current is not None \
                and event.guidance.value in ("blink", "turn_left", "turn_right", "ok") \
                else f"guidance:{event.guidance.value}"
            on_progress(stage, float(event.attempt), event.frame)

        holder = holder_check_for(self.settings, camera, matcher, on_progress=progress)
        try:
            outcome = _DLIB_THREAD.submit(holder.run, chip_jpeg).result()
        finally:
            forget = getattr(camera, "forget", None)
            if callable(forget):
                forget()
        return outcome.passed, outcome.score_band.value, \
            "" if outcome.passed else outcome.guidance.value
