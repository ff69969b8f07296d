"""What comes of a finished form, as QML sees it: send it, show the receipt, rate the service.

Split from the session view-model, which fills the form: this one takes the frozen form,
captures and sends it in a worker (store, portal, receipt printing), shows the portal's
answer honestly (received, or queued at the kiosk) with the receipt's seal and the fee's
payment code, and sends the five-face rating. Everything here is wiped when the journey
returns to the attract screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.desk import FrontDesk
from kiosk.errors import KioskError
from kiosk.journey import Event, Journey, Screen
from kiosk.ui import form_view
from kiosk.ui.images import SessionImages
from kiosk.ui.wording import failure_text
from kiosk.ui.worker import Workers

log = logging.getLogger(__name__)


class OutcomeModel(QObject):
    changed = Signal()

    def __init__(self, journey: Journey, desk: FrontDesk, workers: Workers, images: SessionImages,
                 finish: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journey = journey
        self._desk = desk
        self._workers = workers
        self._images = images
        self._finish = finish  # the session's form, frozen into a FilledForm
        self._pending: Any = None   # a FilledForm, or a linked journey's dossiers
        self._captured: dict[str, Any] = {}  # linked: step -> captured, kept across retries
        self._submission: dict[str, Any] = {}
        self._receipt: dict[str, Any] = {}
        self._error = ""
        journey.subscribe(self._on_journey)

    def _on_journey(self, journey: Journey) -> None:
        if journey.screen is Screen.ATTRACT and self.holds_personal_data():
            self.wipe()
        elif journey.screen in (Screen.REVIEW, Screen.FORM) and self._error:
            self._error = ""
            self.changed.emit()

    def wipe(self) -> None:
        self._pending, self._captured = None, {}
        self._submission, self._receipt, self._error = {}, {}, ""
        self.changed.emit()

    def holds_personal_data(self) -> bool:
        return bool(self._pending is not None or self._submission or self._receipt)

    def _lang(self) -> str:
        return self._journey.session.language

    # -- properties ---------------------------------------------------------------------------
    def _get_submission(self) -> dict:
        return dict(self._submission, **self._receipt) if self._submission else {}

    def _get_error(self) -> str:
        return self._error

    submission = Property("QVariantMap", _get_submission, notify=changed)
    error = Property(str, _get_error, notify=changed)

    # -- submit -------------------------------------------------------------------------------
    @Slot()
    def submit(self) -> None:
        try:
            self._pending = self._finish()
        except KioskError as error:
            self._error = error.message
            self.changed.emit()
            return
        self._error, self._captured = "", {}
        self._journey.send(Event.CONFIRMED)
        self._send_pending()

    @Slot()
    def retrySubmit(self) -> None:  # noqa: N802 - QML naming
        """Capture failed (disk full, store locked): try again with the same frozen form."""
        if self._pending is not None and self._journey.screen is Screen.SUBMITTING:
            self._error = ""
            self.changed.emit()
            self._send_pending()

    def _send_pending(self) -> None:
        filled = self._pending
        session = self._journey.session
        consent, assisted_by = dict(session.consent), session.assisted_by
        identification = session.identification.as_record() \
            if session.identification is not None else None
        desk, captured = self._desk, self._captured

        def send(_report):  # noqa: ANN001, ANN202
            if isinstance(filled, list):  # a linked journey: its dossiers, the first shown
                submissions = desk.submit_linked(filled, consent, assisted_by, identification,
                                                 captured)
                receipts = [desk.issue_receipt(s.submission_id) for s in submissions]
                paying = next((r.payment for r in receipts if r.payment is not None
                               and r.payment.qr_text), receipts[0].payment)
                fee = sum(s.fee_vnd or 0 for s in submissions)
                return submissions[0], receipts[0], paying, fee, len(submissions)
            submission = desk.submit(filled, consent, assisted_by, identification=identification)
            issued = desk.issue_receipt(submission.submission_id)
            return submission, issued, issued.payment, submission.fee_vnd, 1

        self._workers.run(send, self._submitted, self._submit_failed)

    def _submitted(self, result: tuple) -> None:
        submission, issued, payment, fee, linked = result
        if self._journey.screen is not Screen.SUBMITTING:
            return
        self._pending = None
        self._submission = {"accepted": submission.accepted, "ticket": submission.ticket,
                            "officialCode": submission.official_code or "",
                            "dueDate": form_view.display(submission.due_date or "", []),
                            "fee": fee,
                            "receivingUnit": submission.receiving_unit or "",
                            "linked": linked}
        self._images.set_seal(issued.seal_text)
        if payment is not None and payment.qr_text:
            self._images.set_code("payment", payment.qr_text)
        self._receipt = {"spoken": issued.spoken, "printed": issued.printed,
                         "number": issued.receipt.receipt_number,
                         "payQr": bool(payment is not None and payment.qr_text),
                         "payReference": payment.reference if payment is not None else ""}
        self._journey.session.result = dict(self._submission)
        self._journey.send(Event.SUBMITTED)
        self.changed.emit()

    def _submit_failed(self, error: Exception) -> None:
        self._error = failure_text("submit", self._lang(), error)
        log.error("submission failed: %s", type(error).__name__)
        self.changed.emit()

    # -- receipt and rating --------------------------------------------------------------------
    @Slot()
    def continueToRating(self) -> None:  # noqa: N802
        self._journey.send(Event.CONTINUE)

    @Slot(int)
    def rate(self, score: int) -> None:
        ticket = self._submission.get("ticket", "")
        desk = self._desk
        self._workers.run(lambda _report: desk.rate(ticket, score), lambda _ok: None,
                          lambda _error: None)
        self._journey.send(Event.RATED)
