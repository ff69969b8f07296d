"""Linked journeys: several procedures as one guided journey, producing linked dossiers.

Example: birth registration + permanent residence registration + health-insurance card
for a child under 6. The resident fills the first form; each later step starts with
the people an earlier step ``provides`` (the child, the requester), carrying the
provenance of every value over, and with the answers the journey fixes. The result
is one dossier per step with its dependencies, in an order the outbox can send
(parents first): the caller captures them in order and turns ``depends_on`` step keys
into the parents' submission ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.errors import BadInput
from kiosk.forms.autofill import Known, PersonRecords
from kiosk.forms.catalogue import Catalogue
from kiosk.forms.engine import FilledForm, FormSession
from kiosk.forms.spec import JourneySpec, JourneyStep


@dataclass(frozen=True)
class LinkedDossier:
    step: str
    filled: FilledForm
    depends_on: tuple[str, ...]


class JourneySession:
    """The steps of one linked journey, filled one after the other."""

    def __init__(self, journey: JourneySpec, catalogue: Catalogue, known: Known, *,
                 language: str = "vi", today: date | None = None) -> None:
        self.journey = journey
        self.catalogue = catalogue
        self.known = known
        self.language = language
        self.today = today or date.today()
        self.finished: dict[str, FilledForm] = {}
        self.sessions: dict[str, FormSession] = {}

    def steps(self) -> list[JourneyStep]:
        return list(self.journey.steps)

    def _person_from(self, reference: str) -> PersonRecords:
        step_key, _, slot = reference.partition(".")
        filled = self.finished.get(step_key)
        if filled is None:
            raise BadInput(f"step {step_key!r} must be finished first")
        spec = self.catalogue.by_form_id(filled.form_id)
        mapping = spec.provides.get(slot, {})
        linked = {name: (filled.values[key], filled.sources.get(key, "computed"))
                  for name, key in mapping.items() if key in filled.values}
        return PersonRecords(linked=linked)

    def start(self, step_key: str) -> FormSession:
        """The form of one step, pre-filled from the records and from earlier steps."""
        step = next((s for s in self.journey.steps if s.key == step_key), None)
        if step is None:
            raise BadInput(f"journey {self.journey.code} has no step {step_key!r}")
        for parent in step.depends_on:
            if parent not in self.finished:
                raise BadInput(f"step {step_key!r} needs step {parent!r} finished first")
        persons = dict(self.known.persons)
        for slot, reference in step.persons.items():
            persons[slot] = self._person_from(reference)
        spec = self.catalogue.procedure(step.procedure)
        session = FormSession(spec, Known(persons=persons, settings=self.known.settings),
                              language=self.language, today=self.today, preset=step.answers)
        self.sessions[step_key] = session
        return session

    def finish(self, step_key: str) -> FilledForm:
        filled = self.sessions[step_key].finish()
        self.finished[step_key] = filled
        return filled

    def dossiers(self) -> list[LinkedDossier]:
        """Every step's dossier in sending order, each naming the steps it depends on."""
        missing = [s.key for s in self.journey.steps if s.key not in self.finished]
        if missing:
            raise BadInput(f"steps not finished yet: {', '.join(missing)}")
        return [LinkedDossier(s.key, self.finished[s.key], s.depends_on) for s in self.journey.steps]

    def wipe(self) -> None:
        for session in self.sessions.values():
            session.wipe()
        self.sessions.clear()
        self.finished.clear()
        self.known.wipe()
