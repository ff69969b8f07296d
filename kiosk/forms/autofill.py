"""Where a field's value comes from: the records the kiosk already holds, with provenance.

Inputs are plain records only, never hardware or network objects:
- the chip identity as ``ChipIdentity.as_plain_record()`` (canonical keys, NFC text,
  ISO dates) plus whether the card's authenticity check said "genuine";
- the resident lookup record (interface B of the portal contract);
- the kiosk's settings (centre code and name) as a plain dict;
- for a linked journey, the values (and provenance) an earlier step produced.

Each person slot of a procedure (requester, mother, father, bride, groom…) has its own
records: several people in one procedure each come from their own card or lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.forms.spec import Source
from kiosk.forms.units import remap_address
from kiosk.forms.vietnamese import name_case, nfc

# Provenance sources, as recorded per field on the dossier.
CHIP_VERIFIED = "chip_verified"
CHIP_UNVERIFIED = "chip_unverified"
LOOKUP = "lookup"
RESIDENT = "resident"
VOLUNTEER = "volunteer"
COMPUTED = "computed"
SETTING = "setting"
DEFAULT = "default"
AUTOMATIC = frozenset({CHIP_VERIFIED, CHIP_UNVERIFIED, LOOKUP, COMPUTED, SETTING})
TYPISTS = (RESIDENT, VOLUNTEER)


@dataclass
class PersonRecords:
    """What the kiosk knows about one person of the procedure, each record optional."""

    chip: dict[str, str] | None = None
    chip_verified: bool = False
    lookup: dict[str, Any] | None = None
    linked: dict[str, tuple[Any, str]] | None = None  # field -> (value, provenance source)

    def wipe(self) -> None:
        """Drop the personal data (the dicts are cleared, not only unreferenced)."""
        for record in (self.chip, self.lookup, self.linked):
            if record is not None:
                record.clear()
        self.chip = self.lookup = self.linked = None
        self.chip_verified = False


@dataclass
class Known:
    """Everything a form may fill itself from: one PersonRecords per person slot, settings."""

    persons: dict[str, PersonRecords] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)

    def person(self, slot: str) -> PersonRecords:
        return self.persons.get(slot) or PersonRecords()

    def wipe(self) -> None:
        for person in self.persons.values():
            person.wipe()
        self.persons.clear()


def lookup_view(record: dict[str, Any]) -> dict[str, Any]:
    """Flatten a lookup record (interface B) into the names specs use (``lookup:x.NAME``).

    Name, date of birth and sex come from the record itself, else (older portals) from the
    person's own entry among the household members. Relatives (``father``, ``mother``,
    ``spouse``) flatten to ``father_full_name`` and so on; ``residence_history`` stays a
    list of ``{kind, address, from, to}`` for a repeat group's ``item_source``.
    """
    household = record.get("household") or {}
    own_id = record.get("id_number", "")
    own = next((m for m in household.get("members", []) if m.get("id_number") == own_id), {})
    residence = record.get("current_residence") or {}
    view: dict[str, Any] = {
        "id_number": own_id,
        "full_name": record.get("full_name") or own.get("full_name", ""),
        "date_of_birth": record.get("date_of_birth") or own.get("date_of_birth", ""),
        "sex": record.get("sex") or own.get("sex", ""),
        "nationality": record.get("nationality", ""),
        "ethnicity": record.get("ethnicity", ""),
        "religion": record.get("religion", ""),
        "place_of_origin": record.get("place_of_origin", ""),
        "place_of_birth": record.get("place_of_birth", ""),
        "residence": ", ".join(p for p in (residence.get("street", ""), residence.get("commune", ""),
                                           residence.get("province", "")) if p),
        "phone": record.get("phone", ""),
        "email": record.get("email", ""),
        "marital_status": record.get("marital_status", ""),
        "household_id": household.get("id", ""),
        "household_address": household.get("address", ""),
        "head_full_name": household.get("head_full_name", ""),
        "head_id_number": household.get("head_id_number", ""),
        "relationship_to_head": household.get("relationship_to_head", ""),
        "household_members": [dict(m) for m in household.get("members", [])
                              if m.get("id_number") != own_id],
        "residence_history": [dict(entry) for entry in record.get("residence_history") or []
                              if isinstance(entry, dict)],
    }
    for block, names in (("father", ("id_number", "full_name", "date_of_birth")),
                         ("mother", ("id_number", "full_name", "date_of_birth")),
                         ("spouse", ("id_number", "full_name", "date_of_birth")),
                         ("marriage_certificate", ("number", "issued_by", "date")),
                         ("divorce_judgment", ("number", "court", "date")),
                         ("late_spouse", ("full_name", "death_certificate", "date_of_death"))):
        data = record.get(block) or {}
        for name in names:
            view[f"{block}_{name}"] = data.get(name, "")
    return view


def relation(person: PersonRecords, other: PersonRecords) -> str:
    """How ``person`` is related to ``other`` as the national database records it.

    "spouse" (the other is the person's recorded spouse), "child" (the other is the
    person's recorded father or mother), "parent" (the other's record names the person
    as father or mother); "" when the records link them in none of these ways.
    """
    if not person.lookup:
        return ""
    own = lookup_view(person.lookup)
    other_id = (other.chip or {}).get("id_number") or (other.lookup or {}).get("id_number", "")
    if not other_id or other_id == own["id_number"]:
        return ""
    if other_id == own["spouse_id_number"]:
        return "spouse"
    if other_id in (own["father_id_number"], own["mother_id_number"]):
        return "child"
    theirs = lookup_view(other.lookup) if other.lookup else {}
    if own["id_number"] and own["id_number"] in (theirs.get("father_id_number"),
                                                 theirs.get("mother_id_number")):
        return "parent"
    return ""


def _pipe(value: Any, pipe: str) -> Any:
    if not pipe or value in (None, ""):
        return value
    if pipe in ("address", "street", "commune", "province"):
        address = remap_address(str(value))
        if pipe == "address":
            return address.as_text()
        if pipe == "street":
            return address.street
        unit = address.commune if pipe == "commune" else address.province
        return unit.code if unit else None
    if pipe == "year":
        return str(value)[:4]
    if pipe == "name_case":
        return name_case(str(value))
    raise ValueError(f"unknown transform {pipe!r}")


def resolve(source: Source, known: Known, values: dict[str, Any],
            value_sources: dict[str, str]) -> tuple[Any, str] | None:
    """The value a source gives now and its provenance source, or None when it has none."""
    raw: Any = None
    origin = ""
    if source.kind == "setting":
        raw, origin = known.settings.get(source.name), SETTING
    elif source.kind == "field":
        raw, origin = values.get(source.name), value_sources.get(source.name, COMPUTED)
        origin = origin if origin in AUTOMATIC else COMPUTED
    else:
        person = known.person(source.person)
        if source.kind == "chip" and person.chip:
            raw = person.chip.get(source.name)
            origin = CHIP_VERIFIED if person.chip_verified else CHIP_UNVERIFIED
        elif source.kind == "lookup" and person.lookup:
            raw, origin = lookup_view(person.lookup).get(source.name), LOOKUP
        elif source.kind == "relation":
            raw, origin = relation(person, known.person(source.name)), LOOKUP
        elif source.kind == "linked" and person.linked and source.name in person.linked:
            raw, origin = person.linked[source.name]
    if isinstance(raw, str):
        raw = nfc(raw)
    value = _pipe(raw, source.pipe)
    if value in (None, "", []):
        return None
    return value, origin


def first_available(sources: tuple[Source, ...], known: Known, values: dict[str, Any],
                    value_sources: dict[str, str]) -> tuple[Any, str] | None:
    """The first source, in the spec's order of preference, that has a value."""
    for source in sources:
        found = resolve(source, known, values, value_sources)
        if found is not None:
            return found
    return None


def list_source(source: Source, known: Known) -> tuple[list[dict[str, Any]], str]:
    """A list-valued source (household members) for pre-filling a repeat group."""
    person = known.person(source.person)
    if source.kind == "lookup" and person.lookup:
        items = lookup_view(person.lookup).get(source.name) or []
        return [dict(item) for item in items if isinstance(item, dict)], LOOKUP
    return [], ""
