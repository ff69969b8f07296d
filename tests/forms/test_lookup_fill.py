"""What the national population database holds reaches the form as "lookup", and what only
the resident knows stays theirs to type (issue 6's goal figure, raised honestly)."""

from __future__ import annotations

import copy

import pytest

from kiosk.forms import demo
from kiosk.forms.autofill import LOOKUP, PersonRecords, lookup_view, relation
from kiosk.forms.catalogue import Catalogue
from kiosk.forms.spec import SpecError, build_procedure

from .conftest import AN, HOA, MINH, THU, person, session_for

MINH_FATHER = "036030001122"


def source_of(form, key: str) -> str | None:
    origin = form.provenance.get(key)
    return origin.source if origin else None


def test_judicial_residence_history_comes_from_the_lookup(catalogue: Catalogue) -> None:
    """Each registered residence becomes one item whose period and place are "lookup"; the
    occupation then (not held by the state) stays empty and is asked of the resident."""
    form = session_for(catalogue, "judicial_record", {"requester": person(AN)})
    items = form.items["residence_history"]
    history = demo.lookup_record(AN)["residence_history"]
    assert [item["place"] for item in items] == [entry["address"] for entry in history]
    assert [item["period_from"] for item in items] == [entry["from"] for entry in history]
    for index, item in enumerate(items):
        for key in ("period_from", "place"):
            assert source_of(form, f"residence_history[{index}].{key}") == LOOKUP
        assert "occupation" not in item
        assert f"residence_history[{index}].occupation" not in form.provenance
    missing = {e.key for e in form.errors()}
    assert {f"residence_history[{i}].occupation" for i in range(len(items))} <= missing
    # The current residence has no end: nothing is invented for it.
    assert "period_to" not in items[-1]


def test_judicial_place_of_birth_and_parents_from_the_lookup(catalogue: Catalogue) -> None:
    """Without a card (lookup only) the place of birth, ethnicity and parents' names still
    fill from the national database; the purpose and other names stay typed."""
    form = session_for(catalogue, "judicial_record", {"requester": PersonRecords(
        lookup=demo.lookup_record(THU))})
    assert form.values["place_of_birth"] == "Phường Bến Thành, Quận 1, Thành phố Hồ Chí Minh"
    assert form.values["father_name"] == "Phạm Văn Tài"
    assert form.values["mother_name"] == "Võ Thị Lệ"
    for key in ("place_of_birth", "ethnicity", "father_name", "mother_name", "full_name"):
        assert source_of(form, key) == LOOKUP, key
    for key in ("purpose", "other_names", "certificate_type"):
        assert source_of(form, key) is None and key not in form.values, key


def test_death_registration_fills_the_deceased_from_their_record(catalogue: Catalogue) -> None:
    """The deceased's national-database record fills their particulars and, through the
    requester's own record, the relationship (the requester is the deceased's child); the
    death itself (date, place, cause) is the declarant's to give."""
    deceased = PersonRecords(lookup=demo.lookup_record(MINH_FATHER))
    form = session_for(catalogue, "death_registration",
                       {"requester": person(MINH), "deceased": deceased})
    assert form.values["deceased_full_name"] == "Trần Văn Lộc"
    assert form.values["deceased_id_number"] == MINH_FATHER
    assert form.values["requester_relationship"] == "child"
    for key in ("deceased_full_name", "deceased_date_of_birth", "deceased_sex",
                "deceased_ethnicity", "deceased_nationality", "deceased_id_number",
                "deceased_last_residence", "requester_relationship"):
        assert source_of(form, key) == LOOKUP, key
    for key in ("date_of_death", "place_of_death", "cause_of_death", "death_notice_number"):
        assert key not in form.values and source_of(form, key) is None, key
    assert not [e for e in form.errors() if e.key.startswith("deceased_")]


def test_relationship_stays_typed_when_the_records_do_not_link_them(catalogue: Catalogue) -> None:
    """A deceased the requester's record does not name (no spouse/parent link): the
    relationship is left for the requester to choose, and a choice is theirs."""
    stranger = PersonRecords(lookup=demo.lookup_record("031058005566"))
    form = session_for(catalogue, "death_registration",
                       {"requester": person(MINH), "deceased": stranger})
    assert "requester_relationship" not in form.values
    form.set("requester_relationship", "relative")
    assert source_of(form, "requester_relationship") == "resident"


def test_relation_reads_spouse_parent_and_child_links() -> None:
    """relation(a, b) says how a is related to b from a's record (and b's for "parent")."""
    an, hoa = person(AN), person(HOA)
    father = PersonRecords(lookup=demo.lookup_record("001062003311"))
    assert relation(an, hoa) == "spouse"
    assert relation(an, father) == "child"
    assert relation(father, an) == "parent"
    assert relation(an, person(THU)) == ""
    assert relation(PersonRecords(), hoa) == ""          # no lookup: nothing is claimed
    assert relation(an, an) == ""


def test_birth_mother_from_the_fathers_record_when_only_he_is_known(catalogue: Catalogue) -> None:
    """At the kiosk only the requester's record is looked up: a married father's record gives
    his wife's name, date of birth and ID for the mother's block; what it does not hold
    (her place of origin) is left to her card or to typing."""
    form = session_for(catalogue, "birth_registration",
                       {"requester": person(AN), "father": person(AN)})
    assert form.values["mother_full_name"] == "Lê Thị Hoa"
    assert form.values["mother_date_of_birth"] == "1992-08-03"
    assert form.values["mother_id_number"] == HOA
    for key in ("mother_full_name", "mother_date_of_birth", "mother_id_number"):
        assert source_of(form, key) == LOOKUP
    assert "mother_place_of_origin" not in form.values


def test_lookup_view_reads_older_records_without_the_new_blocks() -> None:
    """A record B without the new fields (an older portal) still flattens: name and date of
    birth from the household entry, relatives and history empty."""
    old = demo.lookup_record(AN)
    for key in ("full_name", "date_of_birth", "sex", "father", "mother", "residence_history",
                "place_of_birth", "ethnicity"):
        old.pop(key)
    view = lookup_view(old)
    assert view["full_name"] == "Nguyễn Văn An" and view["date_of_birth"] == "1990-02-15"
    assert view["father_full_name"] == "" and view["residence_history"] == []


def test_relation_source_must_name_two_declared_persons(catalogue: Catalogue) -> None:
    """A relation source naming an undeclared second person is refused when the spec loads."""
    data = copy.deepcopy(catalogue.procedure("death_registration").raw)
    for page in data["pages"]:
        for field in page["fields"]:
            if field["key"] == "requester_relationship":
                field["source"] = ["relation:requester.nobody"]
    with pytest.raises(SpecError, match="nobody"):
        build_procedure(data, "test")


def test_partial_date_typed_on_the_number_pad(catalogue: Catalogue) -> None:
    """The number pad has no "/": a deceased's date of birth typed as 8 digits (ddmmyyyy) or
    6 (mmyyyy) is read as that date; a year alone stays a year; impossible digits are kept
    as typed and reported, never silently changed."""
    form = session_for(catalogue, "death_registration", {"requester": person(MINH)})
    for typed, stored in (("02031930", "1930-03-02"), ("031930", "1930-03"), ("1930", "1930")):
        form.set("deceased_date_of_birth", typed)
        assert form.values["deceased_date_of_birth"] == stored
    form.set("deceased_date_of_birth", "99999999")
    assert form.values["deceased_date_of_birth"] == "99999999"
    assert any(e.key == "deceased_date_of_birth" for e in form.errors())
