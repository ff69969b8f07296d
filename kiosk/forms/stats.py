"""How much of each form fills itself: the goal figure of the forms issue (≥ 70 %).

For each procedure (and linked journey) and each demo resident, the typical branch is
played: the resident's card is read (verified), the bindings of the spec's ``typical``
section say who the other people are, and the typical answers are given only for what
is still empty. Counted over the fields shown (repeat items count field by field): how
many were filled automatically (chip, lookup, computation, kiosk setting) and how many
the resident had to type or choose.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from kiosk.errors import BadInput
from kiosk.forms import demo
from kiosk.forms.autofill import AUTOMATIC, Known
from kiosk.forms.catalogue import Catalogue
from kiosk.forms.engine import FormSession, item_key
from kiosk.forms.linked import JourneySession
from kiosk.forms.spec import JourneySpec, ProcedureSpec
from kiosk.forms.values import empty

DEMO_SETTINGS = {"centre_code": "DEMO-01001",
                 "centre_name": "Trung tâm Phục vụ hành chính công phường Thanh Xuân (demo)"}


@dataclass(frozen=True)
class FillStats:
    procedure: str
    resident: str
    shown: int
    auto_filled: int
    defaulted: int  # pre-chosen by the spec (e.g. nationality "Việt Nam"): the resident may accept
    to_type: int

    @property
    def share(self) -> float:
        return self.auto_filled / self.shown if self.shown else 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(asdict(self), share=round(self.share, 3))


def apply_answers(session: FormSession, typical: dict[str, Any]) -> None:
    """Give the typical answers for what the records did not fill (locked ones untouched)."""
    scope = session.scope()
    for key, value in typical.get("answers", {}).items():
        spec = session.spec.field(key)
        if session.is_locked(key):
            continue
        if spec.calculate is not None:
            if empty(scope.get(key)):
                session.set(key, value)
            continue
        current = session.provenance.get(key)
        if current is None or current.source == "default" or empty(session.values.get(key)):
            session.set(key, value)
    for group, items in typical.get("items", {}).items():
        filled = session.items.get(group) or []
        if filled and items:
            # The records gave the items: answer only what the records never give (the
            # sub-fields without ``from_item``), item i with the i-th answer, else the last.
            typed_only = {sub.key for sub in session.spec.field(group).fields if not sub.from_item}
            for index, item in enumerate(filled):
                answer = items[min(index, len(items) - 1)]
                for key, value in answer.items():
                    if key in typed_only and empty(item.get(key)):
                        session.set_item(group, index, key, value)
            continue
        for item in items:
            index = session.add_item(group)
            for key, value in item.items():
                session.set_item(group, index, key, value)


def count(session: FormSession) -> tuple[int, int]:
    """(fields shown, fields filled automatically) in the session's current branch.

    A value carried over from an earlier step of a linked journey counts as filled
    automatically here (the resident does not type it again), whatever its provenance.
    """
    scope = session.scope()
    shown = auto = 0
    for spec in session.visible():
        if spec.type == "repeat":
            for index, item in enumerate(session.items.get(spec.key, [])):
                for sub in spec.fields:
                    shown += 1
                    origin = session.provenance.get(item_key(spec.key, index, sub.key))
                    if origin is not None and origin.source in AUTOMATIC and not origin.corrected \
                            and not empty(item.get(sub.key)):
                        auto += 1
            continue
        shown += 1
        origin = session.provenance.get(spec.key)
        typed = origin is not None and origin.source in ("resident", "volunteer")
        if spec.calculate is not None and not typed and not empty(scope.get(spec.key)):
            auto += 1
        elif origin is not None and origin.source in AUTOMATIC and not origin.corrected:
            auto += 1
        elif spec.key in session.prefilled and origin is not None and not origin.corrected \
                and any(s.kind == "linked" for s in spec.sources):
            auto += 1
    return shown, auto


def defaulted(session: FormSession) -> int:
    """Fields shown whose value is still the spec's default (not counted as auto-filled)."""
    return sum(1 for spec in session.visible()
               if (origin := session.provenance.get(spec.key)) is not None and origin.source == "default")


def typical_session(spec: ProcedureSpec, resident: str, today: date,
                    known: Known | None = None) -> FormSession:
    """The typical branch of a procedure with a demo resident at the kiosk."""
    typical = spec.typical
    known = known or demo.known_for(typical.get("persons", {"requester": "self"}), resident,
                                    DEMO_SETTINGS)
    session = FormSession(spec, known, today=today)
    apply_answers(session, typical)
    return session


def typical_journey(journey: JourneySpec, catalogue: Catalogue, resident: str,
                    today: date) -> dict[str, FormSession]:
    """Each step's form of a linked journey, filled with the typical answers (step by step,
    as the resident would: later steps get what earlier ones carry over)."""
    bindings = journey.typical.get("persons", {"requester": "self"})
    run = JourneySession(journey, catalogue, demo.known_for(bindings, resident, DEMO_SETTINGS),
                         today=today)
    sessions = {}
    for step in journey.steps:
        session = run.start(step.key)
        apply_answers(session, session.spec.typical)
        apply_answers(session, journey.typical.get("steps", {}).get(step.key, {}))
        sessions[step.key] = session
        try:
            run.finish(step.key)
        except BadInput:
            # Later steps still get what this step provides so far.
            run.finished[step.key] = session.preview()
    return sessions


def _journey_stats(journey: JourneySpec, catalogue: Catalogue, resident: str,
                   today: date) -> FillStats:
    shown = auto = preset = 0
    for session in typical_journey(journey, catalogue, resident, today).values():
        step_shown, step_auto = count(session)
        shown, auto = shown + step_shown, auto + step_auto
        preset += defaulted(session)
    return FillStats(journey.code, resident, shown, auto, preset, shown - auto - preset)


def procedure_stats(catalogue: Catalogue, today: date | None = None) -> list[FillStats]:
    """One row per procedure (or journey) and demo resident, in catalogue order."""
    today = today or date.today()
    rows = []
    for resident in demo.resident_ids():
        for spec in catalogue.procedures():
            if not spec.standalone:
                continue
            session = typical_session(spec, resident, today)
            shown, auto = count(session)
            preset = defaulted(session)
            rows.append(FillStats(spec.code, resident, shown, auto, preset, shown - auto - preset))
        for journey in catalogue.journeys():
            rows.append(_journey_stats(journey, catalogue, resident, today))
    return rows


def summary(rows: list[FillStats]) -> dict[str, Any]:
    """Totals and the share per procedure, and overall (the goal figure)."""
    by_procedure: dict[str, list[FillStats]] = {}
    for row in rows:
        by_procedure.setdefault(row.procedure, []).append(row)
    shown = sum(r.shown for r in rows)
    auto = sum(r.auto_filled for r in rows)
    preset = sum(r.defaulted for r in rows)
    return {
        "procedures": {code: {"shown": sum(r.shown for r in group),
                              "auto_filled": sum(r.auto_filled for r in group),
                              "share": round(sum(r.auto_filled for r in group)
                                             / max(1, sum(r.shown for r in group)), 3)}
                       for code, group in by_procedure.items()},
        "shown": shown, "auto_filled": auto, "defaulted": preset, "to_type": shown - auto - preset,
        "share": round(auto / shown, 3) if shown else 0.0,
        "share_without_input": round((auto + preset) / shown, 3) if shown else 0.0,
        "goal": 0.70,
    }


def typical_typed_texts() -> list[tuple[str, str]]:
    """(field type, text) of every answer typed by letters in the procedures' typical cases:
    what the keyboard's typing plans and suggestions are measured on."""
    from kiosk.forms.catalogue import active_catalogue

    found = set()
    for spec in active_catalogue(None).procedures():
        answers = dict(spec.typical.get("answers", {}))
        for items in spec.typical.get("items", {}).values():
            for item in items:
                answers.update(item)
        for key, value in answers.items():
            try:
                kind = spec.field(key).type
            except KeyError:
                continue
            if isinstance(value, str) and kind in ("text", "name") and any(c.isalpha() for c in value):
                found.add((kind, value))
    return sorted(found)
