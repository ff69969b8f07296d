"""The resident's session as QML sees it: identity, services, form pages, review, result.

Every slow step (card read, lookup, capture + send, receipt) runs through ``Workers``; the
results come back on the UI thread and move the journey on. All personal data lives in
the journey's Session (wiped by ``Journey.end``) and in the properties below, which are
emptied by :meth:`wipe` on the same signal — a test checks nothing remains.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.desk import FrontDesk, Service
from kiosk.devices.card.access import AccessKey
from kiosk.errors import KioskError
from kiosk.identity.assurance import Identification, Level
from kiosk.journey import Event, Journey, JourneyError, Screen
from kiosk.ui import form_view
from kiosk.ui.images import SessionImages
from kiosk.ui.keyboard_model import forget_session_words
from kiosk.ui.linked_steps import LinkedSteps
from kiosk.ui.wording import failure_text
from kiosk.ui.worker import Workers

log = logging.getLogger(__name__)


def _date_from_typed(text: str) -> date:
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) != 8:
        raise ValueError("date")
    return date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))


# Screens where a resident who takes the card away is asked before going on: the chip was
# read, but a card leaving the reader may mean the resident left.
_PAUSE_ON_REMOVAL = {Screen.WELCOME, Screen.CHOOSE, Screen.VERIFY, Screen.FORM, Screen.REVIEW}


class SessionModel(QObject):
    changed = Signal()
    formChanged = Signal()
    cardPresence = Signal(bool)  # from the card thread; queued to the UI thread

    def __init__(self, journey: Journey, desk: FrontDesk, workers: Workers, images: SessionImages,
                 demo: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journey = journey
        self._desk = desk
        self._workers = workers
        self._images = images
        self._demo = demo
        self._services: list[Service] = []
        self._query = ""
        self._form = None
        self._steps: LinkedSteps | None = None  # a linked journey's procedures, in order
        self._page_index = 0
        self._field_errors: dict[str, str] = {}
        self._progress = 0.0
        self._error = ""
        self._session_id = ""
        self._lookup: dict[str, Any] | None = None
        self._card_removed = False
        self._other_slot = ""
        self.verify: Any = None  # the VerifyModel, set by the composition root
        self.outcome: Any = None  # the OutcomeModel, set by the composition root
        journey.subscribe(self._on_journey)
        self.cardPresence.connect(self._on_card_presence)
        desk.reader.on_presence(self.cardPresence.emit)

    def _on_card_presence(self, present: bool) -> None:
        """Card removed mid-journey: pause and ask; nothing typed so far is lost."""
        if not present and self._journey.screen in _PAUSE_ON_REMOVAL:
            self._card_removed = True
            self.changed.emit()
        elif present and self._card_removed:
            self._card_removed = False
            self.changed.emit()

    def _get_card_removed(self) -> bool:
        return self._card_removed

    cardRemoved = Property(bool, _get_card_removed, notify=changed)

    @Slot()
    def continueWithoutCard(self) -> None:  # noqa: N802 - QML naming
        """The resident is still here: go on where they were (the chip was already read)."""
        self._card_removed = False
        self._journey.touch()
        self.changed.emit()

    # -- journey hooks ------------------------------------------------------------------
    def _on_journey(self, journey: Journey) -> None:
        if journey.screen is Screen.ATTRACT and (self._form is not None or self._session_id):
            self.wipe()
        self.changed.emit()

    def wipe(self) -> None:
        """Drop everything personal the view-model holds (the journey wipes its Session)."""
        if self._form is not None:
            self._form.wipe()
        if self._steps is not None:
            self._steps.wipe()
        self._form = self._steps = None
        self._lookup = None
        self._page_index = 0
        self._field_errors = {}
        self._progress = 0.0
        self._error = ""
        self._query = ""
        self._session_id = ""
        self._card_removed = False
        self._other_slot = ""
        self._images.clear()
        forget_session_words()  # the words typed this session, kept for suggestions
        take_card = getattr(self._desk.reader, "remove", None)  # demo: the card leaves with you
        if take_card is not None:
            take_card()
        self.formChanged.emit()
        self.changed.emit()

    def holds_personal_data(self) -> bool:
        """For tests: whether anything personal is still referenced by the UI layer."""
        from kiosk.ui.keyboard_model import SESSION_WORDS

        return bool(self._form is not None or self._steps is not None or self._lookup
                    or self._images.holds_data()
                    or (self.outcome is not None and self.outcome.holds_personal_data())
                    or self._journey.session.identity is not None or SESSION_WORDS)

    def _lang(self) -> str:
        return self._journey.session.language

    # -- identify -------------------------------------------------------------------------
    def _get_demo_residents(self) -> list:
        if not self._demo:
            return []
        from kiosk.demo_residents import demo_residents

        return [{"id": person["id"], "name": person["full_name"]} for person in demo_residents()]

    @Slot(str)
    def scanQr(self, text: str) -> None:  # noqa: N802 - QML naming
        """The QR code on the card was scanned: it gives the access key (never identity)."""
        try:
            key = AccessKey.from_card_qr(text)
        except KioskError as error:
            self._fail(failure_text("bad_qr", self._lang(), error))
            return
        self._accept_key(key)

    @Slot(str)
    def scannedQr(self, text: str) -> None:  # noqa: N802
        """A QR scanner read something: on the attract or identify screen, it is the card's
        QR. Anywhere else it is ignored (a resident's form is never typed into by a scan)."""
        if self._other_slot and self._journey.screen is Screen.FORM:
            if self._demo and hasattr(self._desk.reader, "place"):
                self._desk.reader.place(text.split("|", 1)[0])
            self._read_other(text)
            return
        if self._journey.screen is Screen.ATTRACT:
            self._journey.send(Event.START)
        if self._journey.screen is not Screen.IDENTIFY:
            return
        if self._demo and hasattr(self._desk.reader, "place"):
            from kiosk.demo_residents import demo_residents

            scanned_id = text.split("|", 1)[0]
            if any(person["id"] == scanned_id for person in demo_residents()):
                self._desk.reader.place(scanned_id)  # demo: the scanned card goes on the reader
        self.scanQr(text)

    @Slot(str, str)
    def enterIdAndBirthDate(self, id_number: str, birth_date: str) -> None:  # noqa: N802
        try:
            key = AccessKey.from_id(id_number.strip(), _date_from_typed(birth_date))
        except (KioskError, ValueError) as error:
            self._fail(failure_text("bad_typed_key", self._lang(), error))
            return
        self._accept_key(key)

    @Slot(str)
    def useDemoCard(self, resident_id: str) -> None:  # noqa: N802
        """Demo mode: put a demo resident's card on the virtual reader and 'scan' its QR."""
        from kiosk.demo_residents import card_qr_text

        self._desk.reader.place(resident_id)
        self.scanQr(card_qr_text(resident_id))

    def _accept_key(self, key: AccessKey) -> None:
        self._error = ""
        self._journey.session.access_key = key
        try:
            self._journey.send(Event.ACCESS_KEY_ENTERED)
        except JourneyError as error:
            log.warning("access key ignored: %s", error)
        self.changed.emit()

    def _clear_error(self) -> None:
        if self._error:
            self._error = ""
            self.changed.emit()

    def _fail(self, message: str) -> None:
        self._error = message
        self.changed.emit()

    # -- consent → reading ------------------------------------------------------------------
    @Slot()
    def consentAndRead(self) -> None:  # noqa: N802
        from kiosk.ui.journey_model import CONSENT_PURPOSES, CONSENT_TEXT_VERSION

        self._journey.give_consent(CONSENT_TEXT_VERSION, CONSENT_PURPOSES)
        self._session_id = str(uuid.uuid4())
        self._progress = 0.0
        key = self._journey.session.access_key
        consent = dict(self._journey.session.consent)
        session_id = self._session_id
        desk = self._desk

        def read(report):  # noqa: ANN001, ANN202
            identity = desk.read_card(key, report)
            lookup = desk.lookup(identity, consent, session_id)
            return identity, lookup

        self._workers.run(read, self._card_read, self._card_failed, self._card_progress)
        self.changed.emit()

    def _card_progress(self, _stage: str, fraction: float) -> None:
        self._progress = fraction
        self.changed.emit()

    def _card_read(self, result: tuple) -> None:
        identity, lookup = result
        if self._journey.screen is not Screen.READING:  # the session ended meanwhile
            identity.wipe()
            return
        self._journey.session.identity = identity
        self._journey.session.identification = Identification.from_card(
            identity.authenticity.status)
        self._lookup = lookup
        self._images.set_face(identity.face_jpeg)
        self._services = self._desk.services()
        self._journey.send(Event.CARD_READ)

    def _card_failed(self, error: Exception) -> None:
        if self._journey.screen is not Screen.READING:
            return
        self._error = failure_text("card", self._lang(), error)
        log.warning("card read failed: %s", type(error).__name__)
        self._journey.session.access_key = None
        self._journey.send(Event.CARD_FAILED)

    # -- properties -----------------------------------------------------------------------
    def _get_error(self) -> str:
        return self._error

    def _get_progress(self) -> float:
        return self._progress

    def _get_welcome(self) -> dict:
        identity = self._journey.session.identity
        if identity is None:
            return {}
        fields = identity.fields
        return {"name": fields["full_name"].value if "full_name" in fields else "",
                "status": identity.authenticity.status,
                "statusText": failure_text(f"authenticity_{identity.authenticity.status}",
                                           self._lang()),
                "expired": identity.expired,
                "hasPhoto": identity.face_jpeg is not None,
                "lookupFound": self._lookup is not None}

    def _get_services(self) -> list:
        chosen = FrontDesk.search(self._services, self._query) if self._query else self._services
        english = self._lang() == "en"
        return [{"code": s.code, "title": s.title_en if english else s.title_vi,
                 "category": s.category, "fee": s.fee_note_en if english else s.fee_note_vi}
                for s in chosen]

    def _get_query(self) -> str:
        return self._query

    demoResidents = Property("QVariantList", _get_demo_residents, constant=True)
    error = Property(str, _get_error, notify=changed)
    progress = Property(float, _get_progress, notify=changed)
    welcome = Property("QVariantMap", _get_welcome, notify=changed)
    services = Property("QVariantList", _get_services, notify=changed)
    query = Property(str, _get_query, notify=changed)

    @Slot()
    def continueToServices(self) -> None:  # noqa: N802
        self._journey.send(Event.CONTINUE)

    @Slot(str)
    def setQuery(self, text: str) -> None:  # noqa: N802
        self._query = text
        self._journey.touch()
        self.changed.emit()

    # -- the form ---------------------------------------------------------------------------
    @Slot(str)
    def chooseService(self, code: str) -> None:  # noqa: N802
        """The form opens at once when the card read reached the procedure's assurance level;
        otherwise after the verify step (kiosk/ui/verify_model.py) has lifted it."""
        required = Level.named(self._desk.min_assurance(code))
        if self.verify is None or self.verify.gate(
                required, lambda: self._open_form(code, Event.VERIFIED)):
            self._open_form(code, Event.SERVICE_CHOSEN)

    def _open_form(self, code: str, event: Event) -> None:
        identity = self._journey.session.identity
        if self._desk.is_journey(code):
            self._steps = LinkedSteps(self._desk.open_journey(code, identity, self._lookup,
                                                              self._lang()))
            self._form = self._steps.form
        else:
            self._form = self._desk.open_form(code, identity, self._lookup, self._lang())
        self._journey.session.procedure_code = code
        self._page_index = 0
        self._field_errors = {}
        self._journey.send(event)
        self.formChanged.emit()

    def _pages(self) -> list[str]:
        return self._form.pages() if self._form is not None else []

    def _get_page(self) -> dict:
        if self._form is None:
            return {}
        return form_view.page_view(self._form, self._page_index, self._lang(), self._field_errors)

    page = Property("QVariantMap", _get_page, notify=formChanged)

    def _get_other_people(self) -> list:
        if self._form is None:
            return []
        return form_view.other_people(self._form, self._page_index, self._lang())

    otherPeople = Property("QVariantList", _get_other_people, notify=formChanged)

    def _get_other_slot(self) -> str:
        return self._other_slot

    otherSlot = Property(str, _get_other_slot, notify=changed)

    @Slot(str)
    def askOtherCard(self, slot: str) -> None:  # noqa: N802
        """The resident wants another person's card read into this form."""
        self._other_slot = slot
        self._error = ""
        self._journey.touch()
        self.changed.emit()

    @Slot()
    def cancelOtherCard(self) -> None:  # noqa: N802
        self._other_slot = ""
        self.changed.emit()

    @Slot(str)
    def useOtherDemoCard(self, resident_id: str) -> None:  # noqa: N802
        """Demo: that person's card is scanned and put on the reader (they agreed on screen)."""
        from kiosk.demo_residents import card_qr_text

        self._desk.reader.place(resident_id)
        self._read_other(card_qr_text(resident_id))

    def _read_other(self, qr_text: str) -> None:
        try:
            key = AccessKey.from_card_qr(qr_text)
        except KioskError as error:
            self._fail(failure_text("bad_qr", self._lang(), error))
            return
        slot, desk = self._other_slot, self._desk
        self._workers.run(lambda report: desk.read_card(key, report),
                          lambda identity: self._other_read(slot, identity),
                          self._other_failed)

    def _other_read(self, slot: str, identity: Any) -> None:
        if self._form is None or self._other_slot != slot:
            identity.wipe()
            return
        self._form = self._desk.add_person_card(self._form, slot, identity, self._lang())
        if self._steps is not None:
            self._steps.replace(self._form)
        identity.wipe()
        self._other_slot = ""
        self.formChanged.emit()
        self.changed.emit()

    def _other_failed(self, error: Exception) -> None:
        self._error = failure_text("card", self._lang(), error)
        self.changed.emit()

    @Slot(str, str)
    def useRelative(self, slot: str, relation: str) -> None:  # noqa: N802
        """Fill ``slot`` (the deceased, the other parent) from the record of the relative the
        resident's own record links, in a worker; on failure the resident types it."""
        identity, consent = self._journey.session.identity, self._journey.session.consent
        if self._form is None or identity is None or consent is None:
            return
        purpose, desk, session_id = self._form.spec.code, self._desk, self._session_id
        self._error = ""
        self._journey.touch()

        def filled(record: dict) -> None:
            if self._form is not None and self._form.spec.code == purpose:
                self._form = desk.add_person_record(self._form, slot, record, self._lang())
                if self._steps is not None:
                    self._steps.replace(self._form)
                self.formChanged.emit()

        self._workers.run(
            lambda _r: desk.lookup_relative(identity, relation, purpose, dict(consent), session_id),
            filled, lambda error: self._fail(failure_text("relative", self._lang(), error)))

    @Slot(str)
    def addItem(self, group: str) -> None:  # noqa: N802
        if self._form is not None:
            self._form.add_item(group)
            self._field_errors.pop(group, None)
            self._journey.touch()
            self.formChanged.emit()

    @Slot(str, int)
    def removeItem(self, group: str, index: int) -> None:  # noqa: N802
        if self._form is not None:
            self._form.remove_item(group, index)
            self._journey.touch()
            self.formChanged.emit()

    @Slot(str, int, str, str)
    def setItemField(self, group: str, index: int, key: str, value: str) -> None:  # noqa: N802
        from kiosk.forms.engine import item_key

        if self._form is None:
            return
        by = "volunteer" if self._journey.session.assisted_by else "resident"
        path = item_key(group, index, key)
        try:
            self._form.set_item(group, index, key, value, by=by)
            self._field_errors.pop(path, None)
        except KioskError as error:
            self._field_errors[path] = error.message
        self._journey.touch()
        self.formChanged.emit()

    @Slot(str, str)
    def setField(self, key: str, value: str) -> None:  # noqa: N802
        if self._form is None:
            return
        by = "volunteer" if self._journey.session.assisted_by else "resident"
        try:
            self._form.set(key, value, by=by)
            self._field_errors.pop(key, None)
        except KioskError as error:
            self._field_errors[key] = error.message
        self._journey.touch()
        self.formChanged.emit()

    @Slot()
    def nextPage(self) -> None:  # noqa: N802
        if self._form is None:
            return
        key = self._pages()[self._page_index]
        shown = {view.key for view in self._form.fields(key)}
        problems = {e.key: e.message for e in self._form.errors() if e.key.split("[")[0] in shown}
        self._field_errors = problems
        if problems:
            self.formChanged.emit()
            return
        self._form.confirm_page(key)
        self._clear_error()
        if self._page_index + 1 < len(self._pages()):
            self._page_index += 1
        elif self._steps is not None and not self._steps.last:
            try:
                self._form, self._page_index = self._steps.forward(), 0  # the next procedure
            except KioskError as error:  # a field of an earlier page still needs attention
                self._error = error.message
                self.changed.emit()
        else:
            self._journey.send(Event.FORM_COMPLETE)
        self._journey.touch()
        self.formChanged.emit()

    @Slot()
    def previousPage(self) -> None:  # noqa: N802
        previous = self._steps.back() if self._steps is not None and self._page_index == 0 \
            else None
        self._clear_error()
        if self._page_index > 0:
            self._page_index -= 1
        elif previous is not None:
            self._form, self._page_index = previous, len(previous.pages()) - 1
        else:
            self._form = self._steps = None
            self._journey.send(Event.BACK)
        self.formChanged.emit()

    def _get_review(self) -> dict:
        if self._form is None or self._journey.screen is not Screen.REVIEW:
            return {}
        if self._steps is not None:
            return self._steps.review(self._lang())
        return form_view.review_view(self._form, self._lang())

    review = Property("QVariantMap", _get_review, notify=formChanged)

    @Slot(int)
    def editPage(self, index: int) -> None:  # noqa: N802
        if self._steps is not None:
            self._form, index = self._steps.edit(index)
        self._page_index = index
        self._journey.send(Event.EDIT)
        self.formChanged.emit()

    def finish(self) -> Any:
        """The form frozen for sending (kiosk/ui/outcome_model.py sends it)."""
        if self._form is None:
            raise KioskError("no form to send")
        return self._steps.finish() if self._steps is not None else self._form.finish()
