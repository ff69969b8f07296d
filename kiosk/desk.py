"""The work behind each step of the resident's journey, with no Qt.

``journey.py`` decides which screen shows; the front desk does what each step needs:
read the card, look the resident up in the national databases, open the procedure's
form filled from both, capture the finished dossier in the store (durably, before any
receipt), let sync send it, and issue the receipt. Every method may block (card I/O,
HTTP, disk), so the UI calls them from a worker, never from its own thread.
"""

from __future__ import annotations

import logging
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.devices.card.access import AccessKey
from kiosk.devices.card.identity import ChipIdentity
from kiosk.devices.card.reader import read_identity
from kiosk.devices.card.readers import CardReader
from kiosk.errors import KioskError
from kiosk.forms.autofill import Known, PersonRecords
from kiosk.forms.catalogue import Catalogue
from kiosk.forms.engine import FilledForm, FormSession
from kiosk.forms.linked import JourneySession, LinkedDossier
from kiosk.logs import remember_personal
from kiosk.store import Consent, NewDossier, Store

log = logging.getLogger(__name__)

# The resident's own person slot in every procedure spec.
REQUESTER = "requester"
# How long the submit step waits for the portal before telling the resident "queued".
ONLINE_WAIT_S = 6.0


@dataclass(frozen=True)
class Service:
    """One procedure as the service list shows it."""

    code: str
    title_vi: str
    title_en: str
    category: str
    fee_note_vi: str
    fee_note_en: str
    search_key: str


@dataclass
class Submission:
    """What the resident is told after submitting."""

    submission_id: str
    ticket: str
    accepted: bool
    official_code: str | None
    due_date: str | None
    receiving_unit: str | None
    fee_vnd: int


def fold(text: str) -> str:
    """Lower case without diacritics, so 'ha noi' finds 'Hà Nội' and 'dang ky' finds 'Đăng ký'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold()


def self_slots(bindings: dict[str, str], sex: str) -> set[str]:
    """The person slots the resident fills with their own card in the procedure's typical
    case: 'self', and the parent or spouse of the resident's own sex (a father registering
    his child's birth, a bride at her marriage). Other people's details are typed — reading
    a second card inside a form is not built yet."""
    own = {"Nam": "male_of_couple", "Nữ": "female_of_couple"}.get(sex, "")
    return {slot for slot, who in bindings.items()
            if who == "self" or (own and who.startswith(own))}


class FrontDesk:
    """Built once by the composition root from the configured services."""

    def __init__(self, settings: Any, *, reader: CardReader, catalogue: Catalogue,
                 store: Store | None, client: Any = None, sync: Any = None,
                 receipts: Any = None, trust_store: Any = None) -> None:
        self.settings = settings
        self.reader = reader
        self.catalogue = catalogue
        self.store = store
        self.client = client
        self.sync = sync
        self.receipts = receipts
        self.trust_store = trust_store

    def portal_online(self) -> bool:
        """Whether sync last reached the portal (a flag, no I/O: safe on the UI thread)."""
        from kiosk.sync.connectivity import ONLINE

        return self.client is not None and self.sync is not None and \
            self.sync.connectivity.gate.state == ONLINE

    # -- identify -----------------------------------------------------------------------
    def read_card(self, key: AccessKey, on_progress: Callable[[str, float], None]) -> ChipIdentity:
        transport = self.reader.connect()
        try:
            identity = read_identity(transport, key, on_progress, trust_store=self.trust_store)
        finally:
            transport.close()
        fields = identity.as_plain_record()
        remember_personal(*(fields.get(name, "") for name in (
            "full_name", "residence", "place_of_origin", "father_name", "mother_name",
            "spouse_name")))
        return identity

    @staticmethod
    def _presence(identity: ChipIdentity, consent: dict[str, Any], session_id: str
                  ) -> dict[str, str]:
        return {"chip_authenticity": identity.authenticity.status, "access": identity.access,
                "consent_reference": consent["text_version"],
                "consented_at": datetime.fromtimestamp(consent["at"], UTC).isoformat(),
                "session_id": session_id}

    def lookup_relative(self, identity: ChipIdentity, relation: str, purpose: str,
                        consent: dict[str, Any], session_id: str) -> dict[str, Any]:
        """A linked relative's record (the parent whose death is registered): raises when
        the portal is unreachable or refuses, and the resident types instead."""
        if self.client is None:
            raise KioskError("the national database cannot be reached from this kiosk now")
        return self.client.lookup_relative(identity.fields["id_number"].value, relation, purpose,
                                           self._presence(identity, consent, session_id))

    def lookup(self, identity: ChipIdentity, consent: dict[str, Any], session_id: str
               ) -> dict[str, Any] | None:
        """The resident's national-database record, or None when the portal is unreachable."""
        if self.client is None or identity.authenticity.status == "failed":
            return None
        presence = self._presence(identity, consent, session_id)
        try:
            return self.client.lookup_resident(identity.fields["id_number"].value, presence)
        except Exception as error:  # noqa: BLE001 - offline or refused: the form asks instead
            log.warning("resident lookup unavailable: %s", type(error).__name__)
            return None

    # -- choose -------------------------------------------------------------------------
    def services(self) -> list[Service]:
        found = []
        for spec in self.catalogue.procedures():
            if not spec.standalone:
                continue
            found.append(Service(
                code=spec.code, title_vi=spec.title.vi, title_en=spec.title.en,
                category=spec.category, fee_note_vi=spec.fee_note.vi, fee_note_en=spec.fee_note.en,
                search_key=fold(f"{spec.title.vi} {spec.title.en} {spec.code}")))
        for journey in self.catalogue.journeys():
            steps = [self.catalogue.procedure(step.procedure) for step in journey.steps]
            found.append(Service(
                code=journey.code, title_vi=journey.title.vi, title_en=journey.title.en,
                category=steps[0].category,
                fee_note_vi=" ".join(dict.fromkeys(step.fee_note.vi for step in steps)),
                fee_note_en=" ".join(dict.fromkeys(step.fee_note.en for step in steps)),
                search_key=fold(f"{journey.title.vi} {journey.title.en} {journey.code} "
                                + " ".join(f"{s.title.vi} {s.title.en}" for s in steps))))
        return found

    def min_assurance(self, code: str) -> str:
        """The assurance level a procedure or a linked journey needs."""
        if self.is_journey(code):
            return self.catalogue.journey(code).min_assurance
        return self.catalogue.procedure(code).min_assurance

    def is_journey(self, code: str) -> bool:
        return any(journey.code == code for journey in self.catalogue.journeys())

    @staticmethod
    def search(services: list[Service], query: str) -> list[Service]:
        words = fold(query).split()
        return [service for service in services if all(word in service.search_key for word in words)]

    # -- fill ---------------------------------------------------------------------------
    def open_journey(self, code: str, identity: ChipIdentity | None,
                     lookup: dict[str, Any] | None, language: str) -> JourneySession:
        """A linked journey (kiosk/forms/linked.py) on the resident's records."""
        journey = self.catalogue.journey(code)
        first = self.catalogue.procedure(journey.steps[0].procedure)
        return JourneySession(journey, self.catalogue, self._known(first, identity, lookup),
                              language=language)

    def open_form(self, code: str, identity: ChipIdentity | None, lookup: dict[str, Any] | None,
                  language: str) -> FormSession:
        spec = self.catalogue.procedure(code)
        return FormSession(spec, self._known(spec, identity, lookup), language=language)

    def _known(self, spec: Any, identity: ChipIdentity | None,
               lookup: dict[str, Any] | None) -> Known:
        requester = PersonRecords(
            chip=identity.as_plain_record() if identity is not None else None,
            chip_verified=identity is not None and identity.authenticity.status == "genuine",
            lookup=dict(lookup) if lookup else None)
        slots = self_slots(spec.typical.get("persons", {}),
                           requester.chip.get("sex", "") if requester.chip else "")
        known = Known(persons={slot: requester for slot in slots | {REQUESTER}}, settings={
            "centre_code": self.settings.kiosk.centre_code,
            "centre_name": self.settings.kiosk.centre_name,
            "kiosk_id": self.settings.kiosk.kiosk_id})
        return known

    def add_person_card(self, form: FormSession, slot: str, identity: ChipIdentity,
                        language: str) -> FormSession:
        """The form again, with another person's card read into their slot (the mother at a
        birth registration, the spouse at a marriage): what the chip gives is filled in,
        and what the resident already typed elsewhere is kept."""
        return self._with_person(form, slot, PersonRecords(
            chip=identity.as_plain_record(),
            chip_verified=identity.authenticity.status == "genuine"), language)

    def add_person_record(self, form: FormSession, slot: str, record: dict[str, Any],
                          language: str) -> FormSession:
        """The form again, with a relative's national-database record in their slot (the
        parent whose death is registered): filled as "from the population database"."""
        return self._with_person(form, slot, PersonRecords(lookup=dict(record)), language)

    def _with_person(self, form: FormSession, slot: str, person: PersonRecords,
                     language: str) -> FormSession:
        known = form.known
        known.persons[slot] = person
        refreshed = FormSession(form.spec, known, language=language)
        for key, origin in form.provenance.items():
            if "[" in key or origin.source not in ("resident", "volunteer"):
                continue
            if key in refreshed.prefilled and \
                    refreshed.prefilled[key][1].startswith(("chip", "lookup")):
                continue  # the card or the database now says it
            try:
                refreshed.set(key, form.values.get(key), by=origin.source)
            except KioskError:
                log.info("a typed value no longer fits after the card read; asked again")
        for group, items in form.items.items():
            if items and not refreshed.items.get(group):
                refreshed.items[group] = [dict(item) for item in items]
        return refreshed

    # -- submit -------------------------------------------------------------------------
    def submit(self, filled: FilledForm, consent: dict[str, Any], assisted_by: str | None,
               wait_s: float = ONLINE_WAIT_S, identification: dict | None = None) -> Submission:
        """Capture durably, then give sync a few seconds to get the portal's answer."""
        captured = self._capture(filled, consent, assisted_by, identification, ())
        return self._answer(captured, filled, wait_s)

    def submit_linked(self, dossiers: list[LinkedDossier], consent: dict[str, Any],
                      assisted_by: str | None, identification: dict | None,
                      captured: dict[str, Any], wait_s: float = ONLINE_WAIT_S) -> list[Submission]:
        """A linked journey's dossiers, captured in order, each naming the submissions it
        depends on, so the outbox sends the birth registration before the others.

        ``captured`` (step → captured dossier) is the caller's memory across retries: a
        retry after a failure half-way (disk full at the second dossier) captures only the
        ones still missing, never the first one twice."""
        for dossier in dossiers:
            if dossier.step not in captured:
                parents = tuple(captured[step].submission_id for step in dossier.depends_on)
                captured[dossier.step] = self._capture(dossier.filled, consent, assisted_by,
                                                       identification, parents)
        deadline = time.monotonic() + wait_s  # one wait for all of them, not one each
        return [self._answer(captured[d.step], d.filled, max(0.0, deadline - time.monotonic()))
                for d in dossiers]

    def _capture(self, filled: FilledForm, consent: dict[str, Any], assisted_by: str | None,
                 identification: dict | None, depends_on: tuple[str, ...]) -> Any:
        if self.store is None:
            raise RuntimeError("no store: the kiosk cannot take dossiers")
        captured = self.store.capture(NewDossier(
            procedure_code=filled.procedure_code, form_id=filled.form_id,
            form_version=filled.form_version, payload=filled.payload,
            provenance=filled.provenance,
            consent=Consent(text_version=consent["text_version"],
                            consented_at=datetime.fromtimestamp(consent["at"], UTC),
                            purposes=tuple(consent["purposes"])),
            assisted_by=assisted_by, identification=identification, depends_on=depends_on))
        log.info("dossier captured: %s", captured.ticket)
        return captured

    def _answer(self, captured: Any, filled: FilledForm, wait_s: float) -> Submission:
        """Give sync a few seconds to bring the portal's answer for a captured dossier."""
        item = self.store.get(captured.submission_id)
        if self.sync is not None:
            self.sync.send_now()
            deadline = time.monotonic() + wait_s
            while item.state != "accepted" and time.monotonic() < deadline:
                time.sleep(0.1)
                item = self.store.get(captured.submission_id)
        accepted = item.state == "accepted"
        return Submission(submission_id=captured.submission_id, ticket=captured.ticket,
                          accepted=accepted, official_code=item.official_code if accepted else None,
                          due_date=item.due_date if accepted else None,
                          receiving_unit=item.receiving_unit if accepted else None,
                          fee_vnd=filled.fee_vnd)

    def issue_receipt(self, submission_id: str) -> Any:
        """Seal, render, record and print the receipt of a committed dossier."""
        from kiosk.receipts.from_store import receipt_from_item

        item = self.store.get(submission_id)
        receipt = receipt_from_item(item, centre_code=self.settings.kiosk.centre_code,
                                    centre_name=self.settings.kiosk.centre_name,
                                    kiosk_id=self.settings.kiosk.kiosk_id)
        return self.receipts.issue(receipt, print_it=True)

    def rate(self, ticket: str, score: int) -> bool:
        """Send the five-face rating; a kiosk offline simply loses it (it is anonymous)."""
        if self.client is None:
            return False
        try:
            self.client.rate(ticket, score, "", str(uuid.uuid4()))
            return True
        except Exception as error:  # noqa: BLE001
            log.warning("rating not sent: %s", type(error).__name__)
            return False
