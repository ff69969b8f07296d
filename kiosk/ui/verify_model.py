"""The verify step as QML sees it: which ways up are offered, and the one under way.

Shown when the chosen procedure needs a higher assurance level than the card read gave
(kiosk/identity/assurance.py). Steps: ``methods`` (choose), ``camera_consent`` (no camera
before the resident agrees), ``face`` (preview + the liveness challenge, in a worker),
``vneid`` (the sign-in QR, waiting in a worker), ``volunteer`` (the volunteer's PIN), and
``refused`` (nothing available reaches the level: the counter). Frames and the QR live
only in the image provider and are dropped when the step ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.errors import KioskError
from kiosk.identity.assurance import Evidence, Identification, Level, Method
from kiosk.identity.verification import Verification, VerifyOffer, offer_for
from kiosk.journey import Event, Journey, Screen
from kiosk.ui.images import SessionImages
from kiosk.ui.worker import Workers
from kiosk.volunteers import VolunteerDesk

log = logging.getLogger(__name__)


class VerifyModel(QObject):
    changed = Signal()

    def __init__(self, journey: Journey, verification: Verification, volunteers: VolunteerDesk,
                 workers: Workers, images: SessionImages, portal_ready: Callable[[], bool],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journey = journey
        self._verification = verification
        self._volunteers = volunteers
        self._workers = workers
        self._images = images
        self._portal_ready = portal_ready
        self._required = Level.NONE
        self._proceed: Callable[[], None] | None = None
        self._step = "methods"
        self._offer: VerifyOffer | None = None
        self._guidance = ""
        self._challenge = ""
        self._result = ""
        self._vneid: tuple[Any, Any] | None = None
        self._short_code = ""
        self._preview = 0
        self._photo_usable: bool | None = None  # per session, once the models have looked
        self._in_step = False
        # While the resident is busy with the camera or their phone they touch nothing: that
        # is not walking away (the VNeID session's own expiry ends a forgotten one).
        self._busy = QTimer(self)
        self._busy.setInterval(5_000)
        self._busy.timeout.connect(self._still_busy)
        self._busy.start()
        journey.subscribe(self._on_journey)

    def _still_busy(self) -> None:
        if self._journey.screen is Screen.VERIFY and self._step in ("face", "vneid"):
            self._journey.touch()

    # -- entering and leaving ---------------------------------------------------------------
    def gate(self, required: Level, proceed: Callable[[], None]) -> bool:
        """Before a procedure's form: True if the resident may go straight on; otherwise the
        journey moves to the verify screen and ``proceed`` runs once the level is reached."""
        ident = self._identification()
        if ident.level >= required:
            return True
        self._required, self._proceed = required, proceed
        self._reset("methods")
        self._refresh_offer()
        self._journey.send(Event.VERIFY_NEEDED)
        self._check_chip_photo()
        return False

    def _check_chip_photo(self) -> None:
        """While the resident reads the choices: is there a face in the chip photo?"""
        identity = self._journey.session.identity
        if self._photo_usable is not None or self._verification.face_check is None \
                or identity is None or identity.face_jpeg is None:
            return
        photo, verification = identity.face_jpeg, self._verification

        def checked(usable: bool) -> None:
            if self._journey.session.identity is identity:
                self._photo_usable = usable
                if self._step in ("methods", "refused"):
                    self._refresh_offer()
                    self.changed.emit()

        self._workers.run(lambda _r: verification.chip_photo_usable(photo), checked,
                          lambda _error: checked(False))

    def _identification(self) -> Identification:
        session = self._journey.session
        if session.identification is None:
            session.identification = Identification()
        return session.identification

    def _on_journey(self, journey: Journey) -> None:
        if journey.screen is not Screen.VERIFY and (self._step != "methods" or self._proceed):
            self._stop_running()
            self._reset("methods")
        if journey.screen is not Screen.VERIFY and self._in_step:
            self._verification.release()
        self._in_step = journey.screen is Screen.VERIFY
        if journey.screen is Screen.ATTRACT:
            self._proceed, self._photo_usable, self._offer = None, None, None
        self.changed.emit()

    def _reset(self, step: str) -> None:
        self._step, self._guidance, self._challenge, self._result = step, "", "", ""
        self._short_code = ""
        self._images.clear_camera()
        self._images.clear_code("vneid")

    def shutdown(self) -> None:
        """The kiosk is closing: stop a face check or a VNeID wait now, so workers end."""
        self._stop_running()

    def _stop_running(self) -> None:
        self._verification.stop()
        if self._vneid is not None:
            signin, session = self._vneid
            self._vneid = None
            self._workers.run(lambda _r: self._verification.vneid_cancel(signin, session),
                              lambda _ok: None, lambda _error: None)

    def _refresh_offer(self) -> None:
        identity = self._journey.session.identity
        ident = self._identification()
        self._offer = offer_for(
            ident, self._required,
            camera=self._verification.face_check is not None,
            portal=self._verification.vneid is not None and self._portal_ready(),
            volunteer=self._volunteers.current() is not None,
            chip_photo=identity is not None and identity.face_jpeg is not None
            and self._photo_usable is not False,
            face_tries_left=ident.attempts(Method.FACE_LIVENESS)
            < self._verification.face_attempts)
        if self._offer.refused:
            self._step = "refused"

    def _record(self, evidence: Evidence) -> None:
        if self._journey.screen is not Screen.VERIFY:
            return
        level = self._identification().add(evidence)
        self._result = evidence.detail or ("passed" if evidence.passed else "failed")
        if level >= self._required and self._proceed is not None:
            proceed, self._proceed = self._proceed, None
            self._reset("methods")
            proceed()
            return
        self._reset("methods")
        self._result = evidence.detail or "failed"
        self._refresh_offer()
        self.changed.emit()

    # -- properties -------------------------------------------------------------------------
    def _get_state(self) -> dict:
        offer = self._offer
        volunteer = self._volunteers.current()
        return {
            "step": self._step,
            "required": self._required.name.lower(),
            "reached": offer.reached.name.lower() if offer else "",
            "methods": [m.value for m in offer.methods] if offer else [],
            "faceUnusable": bool(offer and offer.face_unusable),
            "checkingPhoto": self._photo_usable is None and bool(
                offer and Method.FACE_LIVENESS in offer.methods),
            "guidance": self._guidance,
            "challenge": self._challenge,
            "result": self._result,
            "shortCode": self._short_code,
            "cameraOn": self._step == "face",
            "preview": f"image://session/camera?{self._preview}",
            "qr": f"image://session/vneid?{self._images.generation}",
            "volunteer": volunteer.code if volunteer is not None else "",
        }

    state = Property("QVariantMap", _get_state, notify=changed)

    @Slot()
    def refresh(self) -> None:
        """Something changed what can be offered (a volunteer signed in, the portal came
        back): offer again, unless a method is under way."""
        if self._journey.screen is Screen.VERIFY and self._step in ("methods", "refused"):
            self._step = "methods"
            self._refresh_offer()
            self.changed.emit()

    # -- choosing ---------------------------------------------------------------------------
    @Slot(str)
    def choose(self, method: str) -> None:
        self._journey.touch()
        self._result = ""
        if method == Method.FACE_LIVENESS:
            self._step = "camera_consent"
        elif method == Method.VNEID_L2:
            self._start_vneid()
        elif method == Method.VOLUNTEER:
            self._step = "volunteer"
        self.changed.emit()

    @Slot()
    def back(self) -> None:
        """From a method back to the choice; from the choice back to the services."""
        self._journey.touch()
        if self._step in ("methods", "refused"):
            self._proceed = None
            self._journey.send(Event.BACK)
            return
        self._stop_running()
        self._reset("methods")
        self._refresh_offer()
        self.changed.emit()

    # -- face -----------------------------------------------------------------------------
    @Slot()
    def agreeCamera(self) -> None:  # noqa: N802 - QML naming
        """Consent for the camera, then the check in a worker; frames reach the preview."""
        identity = self._journey.session.identity
        if identity is None or identity.face_jpeg is None:
            return
        self._step = "face"
        self._journey.touch()
        photo = identity.face_jpeg
        verification = self._verification
        images = self._images

        def run(report):  # noqa: ANN001, ANN202
            def progress(stage: str, fraction: float, frame: Any = None) -> None:
                if frame is not None:
                    images.set_camera(frame)
                report(stage, fraction)
            return verification.face(photo, progress)

        self._workers.run(run, self._record, self._face_failed, self._face_progress)
        self.changed.emit()

    def _face_progress(self, stage: str, _fraction: float) -> None:
        if self._step != "face":
            return
        kind, _, code = stage.partition(":")
        if kind == "challenge":
            self._challenge = code
        elif kind == "guidance":
            self._guidance = code
        self._preview += 1
        self._journey.touch()  # the resident is busy in front of the camera, not idle
        self.changed.emit()

    def _face_failed(self, error: Exception) -> None:
        log.warning("face check could not run: %s", type(error).__name__)
        if self._journey.screen is Screen.VERIFY:
            self._record(Evidence(Method.FACE_LIVENESS, False, _utcnow(), detail="camera"))

    # -- VNeID ----------------------------------------------------------------------------
    def _start_vneid(self) -> None:
        identity = self._journey.session.identity
        card_id = identity.fields["id_number"].value if identity is not None and \
            "id_number" in identity.fields else None
        self._step = "vneid"
        verification = self._verification

        def opened(result: tuple) -> None:
            if self._step != "vneid" or self._journey.screen is not Screen.VERIFY:
                verification.vneid_cancel(*result)
                return
            self._vneid = result
            signin, session = result
            self._short_code = session.short_code
            self._images.set_code("vneid", session.qr_text)
            self.changed.emit()
            self._workers.run(lambda _r: verification.vneid_wait(signin, session, card_id),
                              self._vneid_done, self._vneid_failed)

        self._workers.run(lambda _r: verification.vneid_open(card_id), opened, self._vneid_failed)

    def _vneid_done(self, evidence: Evidence) -> None:
        self._vneid = None
        self._record(evidence)

    def _vneid_failed(self, error: Exception) -> None:
        log.warning("vneid sign-in could not run: %s", type(error).__name__)
        self._vneid = None
        if self._journey.screen is Screen.VERIFY and self._step == "vneid":
            self._record(Evidence(Method.VNEID_L2, False, _utcnow(), detail="portal"))

    # -- volunteer --------------------------------------------------------------------------
    @Slot(str)
    def attest(self, pin: str) -> None:
        current = self._volunteers.current()
        self._journey.touch()
        try:
            evidence = Verification.attest(self._volunteers, current.code if current else "", pin)
        except KioskError as error:
            self._result = "wrong_pin"
            log.info("attestation refused: %s", type(error).__name__)
            self.changed.emit()
            return
        self._record(evidence)


def _utcnow():  # noqa: ANN202
    from datetime import UTC, datetime

    return datetime.now(UTC)
