"""The invented demo residents as the plain records the forms consume.

resources/demo/residents.json (dates dd/mm/yyyy) is turned into what the card reader
and the portal lookup would give: the chip record (canonical keys, ISO dates; interface
A's ``as_plain_record()``) and the lookup record (interface B). Used by
``kiosk forms stats``, the tests and the bench; never by a real session.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from kiosk.forms.autofill import Known, PersonRecords

RESIDENTS_FILE = Path(__file__).resolve().parents[2] / "resources" / "demo" / "residents.json"
CHIP_KEYS = ("full_name", "date_of_birth", "sex", "nationality", "ethnicity", "religion",
             "place_of_origin", "residence", "identifying_marks", "date_of_issue",
             "date_of_expiry", "father_name", "mother_name", "spouse_name")


def iso(text: str) -> str:
    """dd/mm/yyyy (or mm/yyyy, yyyy) -> ISO; "" stays ""."""
    parts = text.split("/") if text else []
    return "-".join(reversed(parts))


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return json.loads(RESIDENTS_FILE.read_text(encoding="utf-8"))


def resident_ids() -> list[str]:
    """The ID numbers of the demo residents who have a card."""
    return [r["id"] for r in _data()["residents"]]


def _resident(id_number: str) -> dict[str, Any] | None:
    return next((r for r in _data()["residents"] if r["id"] == id_number), None)


def chip_record(id_number: str) -> dict[str, str]:
    """The resident's card as ``ChipIdentity.as_plain_record()`` would give it."""
    resident = _resident(id_number)
    if resident is None:
        raise KeyError(f"no demo resident {id_number}")
    record = {"id_number": resident["id"], "old_id_number": resident.get("old_id", "")}
    for key in CHIP_KEYS:
        value = resident.get(key, "")
        record[key] = iso(value) if key.startswith("date_") else value
    return record


def _person(id_number: str) -> dict[str, Any] | None:
    """Anyone the national database knows: a demo resident or one of their relatives."""
    return _resident(id_number) or next(
        (p for p in _data().get("population", []) if p["id"] == id_number), None)


def _relative(id_number: str) -> dict[str, str] | None:
    person = _person(id_number) if id_number else None
    if person is None:
        return None
    return {"id_number": id_number, "full_name": person["full_name"],
            "date_of_birth": iso(person.get("date_of_birth", ""))}


def lookup_record(id_number: str) -> dict[str, Any] | None:
    """The portal's resident lookup (interface B) for a demo resident or a relative."""
    person = _person(id_number)
    if person is None:
        return None
    extra = person["lookup"]
    household = next(h for h in _data()["households"] if h["id"] == extra["household_id"])

    def member(entry: dict[str, Any]) -> dict[str, Any]:
        known = _person(entry["id"]) or {}
        return {"id_number": entry["id"],
                "full_name": entry.get("full_name", known.get("full_name", "")),
                "date_of_birth": iso(entry.get("date_of_birth", known.get("date_of_birth", ""))),
                "sex": entry.get("sex", known.get("sex", "")),
                "relationship": entry["relationship"]}

    members = [member(m) for m in household["members"]]
    head = next((m for m in members if m["id_number"] == household["head_id"]), None)
    late = extra.get("late_spouse")
    history = sorted(({"kind": e["kind"], "address": e["address"], "from": iso(e.get("from", "")),
                       "to": iso(e.get("to", ""))} for e in extra.get("residence_history", [])),
                     key=lambda e: e["from"])
    return {
        "id_number": id_number,
        "full_name": person["full_name"],
        "date_of_birth": iso(person.get("date_of_birth", "")),
        "sex": person.get("sex", ""),
        "nationality": person.get("nationality", ""),
        "ethnicity": person.get("ethnicity", ""),
        "religion": person.get("religion", ""),
        "place_of_origin": person.get("place_of_origin", ""),
        "place_of_birth": extra.get("place_of_birth", ""),
        "father": _relative(extra.get("father_id", "")),
        "mother": _relative(extra.get("mother_id", "")),
        "household": {"id": household["id"], "address": household["address"],
                      "head_id_number": household["head_id"],
                      "head_full_name": head["full_name"] if head else household.get("head_name", ""),
                      "relationship_to_head": extra["relationship_to_head"], "members": members},
        "marital_status": extra["marital_status"],
        "spouse": _relative(extra.get("spouse_id", "")),
        "marriage_certificate": _dated(extra.get("marriage_certificate")),
        "divorce_judgment": _dated(extra.get("divorce_judgment")),
        "late_spouse": {"full_name": late["name"], "death_certificate": late["death_certificate"],
                        "date_of_death": iso(late["date_of_death"])} if late else None,
        "current_residence": dict(extra["current_residence"]),
        "residence_history": history,
        "phone": extra.get("phone", ""),
        "email": extra.get("email", ""),
    }


def _dated(block: dict[str, Any] | None) -> dict[str, Any] | None:
    if not block:
        return None
    return {k: iso(v) if k == "date" else v for k, v in block.items()}


def person_for(binding: str, id_number: str) -> PersonRecords:
    """The records of the person a typical-branch binding names, relative to the resident.

    "self": the resident's own verified card and lookup; "spouse": the spouse's lookup
    (the kiosk looks up the ID the resident's record names; no second card is read);
    "spouse_card": the spouse's card is tapped too (the deceased's card handed in);
    "partner_card": the other party taps a card (marriage: both must be present; in the
    demo, the spouse or else the first demo resident of the other sex free to marry);
    "male_of_couple"/"female_of_couple": whichever of the two has that sex (the other
    one by lookup; with "_cards", the partner's card);
    "household_head": the head's lookup; "next_of_kin": the relative whose death a
    resident most often declares — the spouse's card handed in (married), else the
    father's, else the mother's national-database record. At the kiosk the deceased's card
    is handed in (it is returned at the death registration) and its chip gives the same
    particulars; the demo parents have no card, so their record stands in for it;
    "none": nothing known.
    """
    resident = _resident(id_number)
    if resident is None or binding == "none":
        return PersonRecords()
    own = PersonRecords(chip=chip_record(id_number), chip_verified=True,
                        lookup=lookup_record(id_number))
    spouse_id = resident["lookup"].get("spouse_id", "")
    if binding == "self":
        return own
    if binding == "spouse":
        return PersonRecords(lookup=lookup_record(spouse_id)) if spouse_id else PersonRecords()
    if binding == "spouse_card":
        return person_for("self", spouse_id) if _resident(spouse_id) else PersonRecords()
    if binding == "partner_card":
        if _resident(spouse_id):
            return person_for("self", spouse_id)
        partner = next((r for r in _data()["residents"] if r["sex"] != resident["sex"]
                        and r["lookup"]["marital_status"] != "married"), None)
        return person_for("self", partner["id"]) if partner else PersonRecords()
    if binding.startswith(("male_of_couple", "female_of_couple")):
        wanted = "Nam" if binding.startswith("male") else "Nữ"
        if resident["sex"] == wanted:
            return own
        return person_for("partner_card" if binding.endswith("_cards") else "spouse", id_number)
    if binding == "household_head":
        lookup = lookup_record(id_number) or {}
        head = lookup.get("household", {}).get("head_id_number", "")
        if head == id_number:
            return own
        return PersonRecords(lookup=lookup_record(head)) if _resident(head) else PersonRecords()
    if binding == "next_of_kin":
        if _resident(spouse_id):
            return person_for("self", spouse_id)
        parent = resident["lookup"].get("father_id") or resident["lookup"].get("mother_id") or ""
        return PersonRecords(lookup=lookup_record(parent)) if _person(parent) else PersonRecords()
    raise ValueError(f"unknown binding {binding!r}")


def known_for(bindings: dict[str, str], id_number: str, settings: dict[str, str]) -> Known:
    """A Known for the typical branch of a procedure with this resident at the kiosk."""
    return Known(persons={slot: person_for(binding, id_number) for slot, binding in bindings.items()},
                 settings=dict(settings))
