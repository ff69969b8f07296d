"""The resident lookup record (interface B): national-database facts the chip does not hold.

Built from the seed file, whose dates are dd/mm/yyyy; the record's dates are ISO.
"""

from __future__ import annotations

from typing import Any

from portal_sim.residents import Seed


def iso_date(text: str) -> str:
    """dd/mm/yyyy → yyyy-mm-dd; partial dates (mm/yyyy, yyyy) keep what they have."""
    parts = [part for part in (text or "").strip().split("/") if part]
    return "-".join(reversed(parts))


def _person(seed: Seed, member: dict[str, Any]) -> dict[str, str]:
    known = seed.residents.get(member["id"], {})
    return {
        "id_number": member["id"],
        "full_name": member.get("full_name") or known.get("full_name", ""),
        "date_of_birth": iso_date(member.get("date_of_birth") or known.get("date_of_birth", "")),
        "sex": member.get("sex") or known.get("sex", ""),
        "relationship": member.get("relationship", ""),
    }


def _dated(block: dict | None, date_key: str, renames: dict[str, str] | None = None) -> dict | None:
    if not block:
        return None
    record = {(renames or {}).get(key, key): value for key, value in block.items()}
    record[date_key] = iso_date(record.get(date_key, ""))
    return record


def lookup_record(seed: Seed, id_number: str) -> dict[str, Any] | None:
    """Record B for a seeded resident, or None when the national databases do not know them."""
    resident = seed.residents.get(id_number)
    if resident is None:
        return None
    facts = resident.get("lookup", {})
    household = seed.households.get(facts.get("household_id", ""), {})
    head_id = household.get("head_id", "")
    head = seed.residents.get(head_id, {})
    spouse_id = facts.get("spouse_id") or ""
    spouse = seed.residents.get(spouse_id) if spouse_id else None
    return {
        "id_number": id_number,
        "household": {
            "id": household.get("id", ""),
            "address": household.get("address", ""),
            "head_id_number": head_id,
            "head_full_name": household.get("head_name") or head.get("full_name", ""),
            "relationship_to_head": facts.get("relationship_to_head", ""),
            "members": [_person(seed, member) for member in household.get("members", [])],
        },
        "marital_status": facts.get("marital_status", "single"),
        "spouse": {"id_number": spouse_id, "full_name": spouse.get("full_name", "")} if spouse else None,
        "marriage_certificate": _dated(facts.get("marriage_certificate"), "date"),
        "divorce_judgment": _dated(facts.get("divorce_judgment"), "date"),
        "late_spouse": _dated(facts.get("late_spouse"), "date_of_death", {"name": "full_name"}),
        "current_residence": dict(facts.get("current_residence", {"street": "", "commune": "",
                                                                    "province": ""})),
        "phone": facts.get("phone", ""),
        "email": facts.get("email", ""),
    }
