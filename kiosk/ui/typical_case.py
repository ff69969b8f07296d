"""What the walkthrough's typical resident answers and whom they bring: the forms' own
typical branch of a procedure (or linked journey) for one demo resident. Plain Python, no
Qt; the walkthrough (kiosk/ui/walkthrough.py) drives the real screens with it."""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.demo_residents import demo_residents
from kiosk.forms import demo
from kiosk.forms.stats import typical_journey, typical_session


class TypicalCase:
    def __init__(self, desk: Any, procedure: str, resident: str) -> None:
        self.desk = desk
        self.procedure = procedure
        self.resident = resident
        self.linked = desk.is_journey(procedure)

    def bindings(self) -> dict[str, str]:
        """Who each person of the procedure (or linked journey) is in its typical case."""
        catalogue = self.desk.catalogue
        spec = catalogue.journey(self.procedure) if self.linked \
            else catalogue.procedure(self.procedure)
        return spec.typical.get("persons", {})

    def _person_id(self, slot: str) -> str | None:
        binding = self.bindings().get(slot)
        if not binding or binding == "self":
            return None
        records = demo.person_for(binding, self.resident)
        return (records.chip or {}).get("id_number") or (records.lookup or {}).get("id_number")

    def other_card(self, slot: str) -> str | None:
        """Whose demo card the typical case reads for ``slot``, if that person has one (the
        deceased tap no card): at the kiosk they hand over their own card."""
        other = self._person_id(slot)
        holders = {person["id"] for person in demo_residents()}
        return other if other and other != self.resident and other in holders else None

    def relative(self, person: dict[str, Any]) -> str | None:
        """Which of the resident's linked relatives (as the screen offers them) the typical
        case's person is, if any."""
        wanted = self._person_id(person["slot"]) if person.get("relatives") else None
        own = demo.lookup_record(self.resident) or {}
        for relative in person.get("relatives", []):
            if wanted and (own.get(relative["relation"]) or {}).get("id_number") == wanted:
                return relative["relation"]
        return None

    def answers(self, current_code: str) -> Any:
        """The typical answers of the form on screen (for a linked journey, of the step
        whose procedure is ``current_code``)."""
        catalogue, today = self.desk.catalogue, date.today()
        if self.linked:
            sessions = typical_journey(catalogue.journey(self.procedure), catalogue,
                                       self.resident, today)
            return next(s for s in sessions.values() if s.spec.code == current_code)
        return typical_session(catalogue.procedure(self.procedure), self.resident, today)


def as_typed(value: Any) -> str:
    """A value as the resident types it: dates day first, yes/no as the option's value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = "" if value is None else str(value)
    if len(text) == 10 and text[4] == text[7] == "-" and text.replace("-", "").isdigit():
        return f"{text[8:]}/{text[5:7]}/{text[:4]}"  # an ISO date is typed day first
    return text
