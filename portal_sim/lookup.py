"""The resident lookup record (interface B): national-database facts the chip does not hold.

What the national population database (CSDLQG về dân cư, Law on Identification 2023,
art. 9) and the civil status database hold about a citizen: birth particulars, place of
birth registration, parents and spouse with their ID numbers, marital status and its
civil-status acts, household and relationship to its head, and the permanent and
temporary residences registered over time. Built from the seed file, whose dates are
dd/mm/yyyy; the record's dates are ISO (partial dates keep what they have).
"""

from __future__ import annotations

from typing import Any

from portal_sim.residents import Seed


def iso_date(text: str) -> str:
    """dd/mm/yyyy → yyyy-mm-dd; partial dates (mm/yyyy, yyyy) keep what they have."""
    parts = [part for part in (text or "").strip().split("/") if part]
    return "-".join(reversed(parts))


def _person(seed: Seed, member: dict[str, Any]) -> dict[str, str]:
    known = seed.person(member["id"]) or {}
    return {
        "id_number": member["id"],
        "full_name": member.get("full_name") or known.get("full_name", ""),
        "date_of_birth": iso_date(member.get("date_of_birth") or known.get("date_of_birth", "")),
        "sex": member.get("sex") or known.get("sex", ""),
        "relationship": member.get("relationship", ""),
    }


def _relative(seed: Seed, id_number: str) -> dict[str, str] | None:
    """A parent or spouse as the person's own record names them: ID, name, date of birth."""
    person = seed.person(id_number) if id_number else None
    if person is None:
        return None
    return {"id_number": id_number, "full_name": person.get("full_name", ""),
            "date_of_birth": iso_date(person.get("date_of_birth", ""))}


def _dated(block: dict | None, date_key: str, renames: dict[str, str] | None = None) -> dict | None:
    if not block:
        return None
    record = {(renames or {}).get(key, key): value for key, value in block.items()}
    record[date_key] = iso_date(record.get(date_key, ""))
    return record


def _residence_history(facts: dict[str, Any]) -> list[dict[str, str]]:
    """Registered permanent and temporary residences, oldest first."""
    entries = [{"kind": entry["kind"], "address": entry["address"],
                "from": iso_date(entry.get("from", "")), "to": iso_date(entry.get("to", ""))}
               for entry in facts.get("residence_history", [])]
    return sorted(entries, key=lambda entry: entry["from"])


def lookup_record(seed: Seed, id_number: str) -> dict[str, Any] | None:
    """Record B for a seeded person, or None when the national databases do not know them."""
    person = seed.person(id_number)
    if person is None:
        return None
    facts = person.get("lookup", {})
    household = seed.households.get(facts.get("household_id", ""), {})
    head_id = household.get("head_id", "")
    head = seed.person(head_id) or {}
    return {
        "id_number": id_number,
        "full_name": person.get("full_name", ""),
        "date_of_birth": iso_date(person.get("date_of_birth", "")),
        "sex": person.get("sex", ""),
        "nationality": person.get("nationality", ""),
        "ethnicity": person.get("ethnicity", ""),
        "religion": person.get("religion", ""),
        "place_of_origin": person.get("place_of_origin", ""),
        "place_of_birth": facts.get("place_of_birth", ""),
        "father": _relative(seed, facts.get("father_id", "")),
        "mother": _relative(seed, facts.get("mother_id", "")),
        "household": {
            "id": household.get("id", ""),
            "address": household.get("address", ""),
            "head_id_number": head_id,
            "head_full_name": household.get("head_name") or head.get("full_name", ""),
            "relationship_to_head": facts.get("relationship_to_head", ""),
            "members": [_person(seed, member) for member in household.get("members", [])],
        },
        "marital_status": facts.get("marital_status", "single"),
        "spouse": _relative(seed, facts.get("spouse_id") or ""),
        "marriage_certificate": _dated(facts.get("marriage_certificate"), "date"),
        "divorce_judgment": _dated(facts.get("divorce_judgment"), "date"),
        "late_spouse": _dated(facts.get("late_spouse"), "date_of_death", {"name": "full_name"}),
        "current_residence": dict(facts.get("current_residence", {"street": "", "commune": "",
                                                                    "province": ""})),
        "residence_history": _residence_history(facts),
        "phone": facts.get("phone", ""),
        "email": facts.get("email", ""),
    }
