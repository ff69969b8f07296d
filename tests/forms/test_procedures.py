"""Every procedure: a complete valid case per main branch (golden payloads), and an invalid
case for every constraint of every shipped spec."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.forms.autofill import PersonRecords
from kiosk.forms.catalogue import Catalogue
from kiosk.forms.engine import FormSession
from kiosk.forms.stats import apply_answers

from .conftest import AN, DUC, HOA, MINH, THU, check_golden, person, session_for


def lookup(id_number: str) -> PersonRecords:
    return PersonRecords(lookup=person(id_number).lookup)


def linked_child(dob: str = "2025-11-02") -> PersonRecords:
    return PersonRecords(linked={"full_name": ("Nguyễn Minh Châu", "resident"),
                                 "date_of_birth": (dob, "resident"), "sex": ("Nữ", "resident"),
                                 "ethnicity": ("Kinh", "chip_verified"),
                                 "nationality": ("Việt Nam", "chip_verified"),
                                 "residence": ("Số 12 ngõ 34 phố Nguyễn Trãi, Phường Thanh Xuân, "
                                               "Thành phố Hà Nội", "lookup")})


CHILD = {"child_full_name": "Nguyễn Minh Châu", "child_date_of_birth": "2025-11-02",
         "child_sex": "Nữ", "child_place_of_birth": "Bệnh viện Phụ sản Hà Nội",
         "has_medical_certificate": True, "receive_method": "electronic"}
DEATH = {"requester_relationship": "spouse", "date_of_death": "2025-11-15",
         "place_of_death": "Bệnh viện Thanh Nhàn", "cause_of_death": "Bệnh",
         "death_notice_type": "medical", "death_notice_number": "125/GBT",
         "death_notice_issuer": "Bệnh viện Thanh Nhàn", "death_notice_date": "2025-11-16",
         "receive_method": "counter"}
HISTORY = [{"period_from": "2004-02", "place": "Thành phố Hà Nội", "occupation": "Học sinh"}]

# name -> (procedure, persons, answers, repeat items)
CASES: dict[str, tuple[str, Any, dict[str, Any], dict[str, list[dict[str, Any]]]]] = {
    "birth__married_parents_on_time": (
        "birth_registration",
        lambda: {"requester": person(AN), "father": person(AN), "mother": lookup(HOA)},
        dict(CHILD, mother_ethnicity="Kinh"), {}),
    "birth__mother_alone_late_no_certificate": (
        "birth_registration", lambda: {"requester": person(THU), "mother": person(THU)},
        dict(CHILD, child_date_of_birth="2025-06-01", has_medical_certificate=False, copies=1), {}),
    "death__spouse_card_handed_in": (
        "death_registration", lambda: {"requester": person(AN), "deceased": person(HOA)}, DEATH, {}),
    "death__unknown_records_witness": (
        "death_registration", lambda: {"requester": person(MINH)},
        dict(DEATH, requester_relationship="relative", deceased_full_name="Trần Văn Lực",
             deceased_date_of_birth="1948", deceased_sex="Nam", deceased_ethnicity="Kinh",
             deceased_last_residence="Xóm 3, Xã Hải Hậu, Tỉnh Ninh Bình",
             death_notice_type="witness", date_of_death="2025-10-01"), {}),
    "marriage__both_cards": (
        "marriage_registration", lambda: {"female": person(THU), "male": person(DUC)},
        {"male_which_marriage": "second", "copies": 1, "ceremony_date": "2025-12-01"}, {}),
    "marital__married": ("marital_status_confirmation", lambda: {"requester": person(AN)},
                         {"purpose": "loan", "receive_method": "electronic"}, {}),
    "marital__widowed": ("marital_status_confirmation", lambda: {"requester": person(MINH)},
                         {"purpose": "property", "receive_method": "counter"}, {}),
    "marital__divorced_to_remarry": (
        "marital_status_confirmation", lambda: {"requester": person(DUC)},
        {"purpose": "marriage", "intended_spouse_name": "Phạm Thị Thu", "receive_method": "counter"}, {}),
    "marital__single_other_purpose": (
        "marital_status_confirmation", lambda: {"requester": person(THU)},
        {"purpose": "other", "purpose_other": "Xin học bổng", "receive_method": "post"}, {}),
    "permanent__join_household": (
        "permanent_residence", lambda: {"declarant": person(HOA), "head": lookup(AN)},
        {"request_kind": "join_household"}, {}),
    "permanent__new_household_with_members": (
        "permanent_residence", lambda: {"declarant": person(DUC)},
        {"request_kind": "new_household", "residence_basis": "owned"},
        {"members": [{"member_full_name": "Hoàng Minh Tú", "member_date_of_birth": "2015-03-03",
                      "member_sex": "Nam", "member_relationship": "Con"}]}),
    "temporary__rented": (
        "temporary_residence", lambda: {"declarant": person(AN)},
        {"request_kind": "rented", "address_province": 1, "address_commune": 367,
         "address_street": "Số 20 ngõ 5 phố Vũ Trọng Phụng", "duration_months": 12,
         "residence_basis": "rented", "consent_person_name": "Đặng Văn Bảy"}, {}),
    "judicial__regular_type1": (
        "judicial_record", lambda: {"requester": person(AN)},
        {"place_of_birth": "Thành phố Hà Nội", "certificate_type": 1, "purpose": "Xin việc",
         "receive_method": "electronic"}, {"residence_history": HISTORY}),
    "judicial__student_type2_three_copies": (
        "judicial_record", lambda: {"requester": person(THU)},
        {"place_of_birth": "Thành phố Hồ Chí Minh", "certificate_type": 2, "copies": 3,
         "applicant_category": "student", "purpose": "Du học", "receive_method": "post"},
        {"residence_history": [{"period_from": "2015-07", "period_to": "2019-06",
                                "place": "Thành phố Hồ Chí Minh", "occupation": "Học sinh"},
                               {"period_from": "2019-09", "place": "Thành phố Hà Nội",
                                "occupation": "Sinh viên"}]}),
    "insurance__linked_child": (
        "health_insurance_child",
        lambda: {"child": linked_child(), "requester": person(AN)},
        {"primary_care_facility": "Trạm y tế phường Thanh Xuân"}, {}),
}


def build(catalogue: Catalogue, name: str) -> FormSession:
    code, persons, answers, items = CASES[name]
    form = session_for(catalogue, code, persons(), answers)
    # Items the records filled get only what records never give; else the items are typed.
    apply_answers(form, {"items": items})
    return form


@pytest.mark.parametrize("name", sorted(CASES))
def test_complete_case_per_branch_matches_golden(catalogue: Catalogue, name: str) -> None:
    """A full valid dossier per main branch; payload and provenance equal the golden file."""
    form = build(catalogue, name)
    assert form.errors() == []
    filled = form.finish()
    check_golden(name, {"form_id": filled.form_id, "payload": filled.payload,
                        "provenance": filled.provenance})


def test_every_standalone_procedure_has_a_complete_case(catalogue: Catalogue) -> None:
    covered = {CASES[name][0] for name in CASES}
    assert covered == {spec.code for spec in catalogue.procedures()}


def test_branch_facts(catalogue: Catalogue) -> None:
    """Fees and attachments of a few branches, spelled out."""
    assert build(catalogue, "birth__mother_alone_late_no_certificate").finish().fee_vnd == 16000
    assert build(catalogue, "judicial__regular_type1").fee() == 200000
    assert build(catalogue, "judicial__student_type2_three_copies").fee() == 105000
    assert build(catalogue, "permanent__join_household").fee() == 10000
    assert build(catalogue, "temporary__rented").fee() == 7000
    assert build(catalogue, "permanent__new_household_with_members").attachments_required() == \
        ["lawful_residence_proof"]
    assert build(catalogue, "marital__single_other_purpose").attachments_required() == []
    assert "marriage_certificate_number" not in {
        f.key for f in build(catalogue, "marital__widowed").visible()}


# (procedure, field, constraint index) -> (base case, bad values; "group[i].key" for items)
INVALID: dict[tuple[str, str, int], tuple[str, dict[str, Any]]] = {
    ("birth_registration", "child_date_of_birth", 0):
        ("birth__married_parents_on_time", {"child_date_of_birth": "1990-01-01"}),
    ("birth_registration", "child_ethnicity", 0):
        ("birth__married_parents_on_time", {"child_ethnicity": "Tày"}),
    ("birth_registration", "mother_id_number", 0):
        ("birth__married_parents_on_time", {"mother_id_number": "001090012345"}),
    ("birth_registration", "father_id_number", 0):
        ("birth__mother_alone_late_no_certificate",
         {"father_known": True, "father_full_name": "Lý Văn Nam", "father_date_of_birth": "1990-01-01",
          "father_ethnicity": "Kinh", "father_residence": "Hà Nội", "father_id_number": "001192023456"}),
    ("birth_registration", "copies", 0): ("birth__married_parents_on_time", {"copies": 11}),
    ("death_registration", "deceased_id_number", 0):
        ("death__unknown_records_witness", {"deceased_id_number": "036155001234"}),
    ("death_registration", "date_of_death", 0):
        ("death__unknown_records_witness", {"date_of_death": "1940-01-01"}),
    ("death_registration", "death_notice_date", 0):
        ("death__spouse_card_handed_in", {"death_notice_date": "2025-11-01"}),
    ("death_registration", "copies", 0): ("death__spouse_card_handed_in", {"copies": 12}),
    ("marriage_registration", "female_date_of_birth", 0):
        ("marriage__lookup_only", {"female_date_of_birth": "2010-01-01"}),
    ("marriage_registration", "female_id_number", 0):
        ("marriage__lookup_only", {"female_id_number": "001090012345"}),
    ("marriage_registration", "female_marital_status", 0):
        ("marriage__lookup_only", {"female_marital_status": "married"}),
    ("marriage_registration", "male_date_of_birth", 0):
        ("marriage__lookup_only", {"male_date_of_birth": "2007-01-01"}),
    ("marriage_registration", "male_id_number", 0):
        ("marriage__lookup_only", {"male_id_number": "079301004567"}),
    ("marriage_registration", "male_marital_status", 0):
        ("marriage__lookup_only", {"male_marital_status": "married"}),
    ("marriage_registration", "copies", 0): ("marriage__both_cards", {"copies": 11}),
    ("marriage_registration", "ceremony_date", 0):
        ("marriage__both_cards", {"ceremony_date": "2025-01-01"}),
    ("marital_status_confirmation", "id_number", 0):
        ("marital__lookup_only", {"id_number": "001192023456"}),
    ("marital_status_confirmation", "copies", 0): ("marital__married", {"copies": 0}),
    ("permanent_residence", "declarant_id_number", 0):
        ("permanent__lookup_only", {"declarant_id_number": "001090012345"}),
    ("permanent_residence", "member_id_number", 0):
        ("permanent__join_household", {"members[0].member_full_name": "Lê Văn Tư",
                                       "members[0].member_date_of_birth": "2001-01-01",
                                       "members[0].member_sex": "Nam",
                                       "members[0].member_relationship": "Con",
                                       "members[0].member_id_number": "001192023456"}),
    ("temporary_residence", "declarant_id_number", 0):
        ("temporary__lookup_only", {"declarant_id_number": "001192023456"}),
    ("temporary_residence", "duration_months", 0): ("temporary__rented", {"duration_months": 30}),
    ("temporary_residence", "member_id_number", 0):
        ("temporary__join", {"members[0].member_full_name": "Lê Văn Tư",
                             "members[0].member_date_of_birth": "2001-01-01",
                             "members[0].member_sex": "Nam", "members[0].member_relationship": "Con",
                             "members[0].member_id_number": "001090012345"}),
    ("judicial_record", "date_of_birth", 0): ("judicial__lookup_only", {"date_of_birth": "2015-01-01"}),
    ("judicial_record", "id_number", 0): ("judicial__lookup_only", {"id_number": "001192023456"}),
    ("judicial_record", "period_to", 0):
        ("judicial__regular_type1", {"residence_history[0].period_to": "2000-01"}),
    ("judicial_record", "copies", 0): ("judicial__regular_type1", {"copies": 0}),
    ("health_insurance_child", "child_date_of_birth", 0):
        ("insurance__linked_child", {"child_date_of_birth": "2018-01-01"}),
}
# Bases whose people come from lookups only, so that no value is locked by a verified card.
CASES.update({
    "marriage__lookup_only": ("marriage_registration",
                              lambda: {"female": lookup(THU), "male": lookup(DUC)},
                              {"female_ethnicity": "Kinh", "male_ethnicity": "Tày",
                               "male_which_marriage": "second"}, {}),
    "marital__lookup_only": ("marital_status_confirmation", lambda: {"requester": lookup(AN)},
                             {"ethnicity": "Kinh", "purpose": "loan", "receive_method": "post"}, {}),
    "permanent__lookup_only": ("permanent_residence", lambda: {"declarant": lookup(HOA), "head": lookup(AN)},
                               {"request_kind": "join_household"}, {}),
    "temporary__lookup_only": ("temporary_residence", lambda: {"declarant": lookup(AN)},
                               dict(CASES["temporary__rented"][2]), {}),
    "temporary__join": ("temporary_residence", lambda: {"declarant": person(HOA), "head": lookup(AN)},
                        {"request_kind": "join_household", "duration_months": 6}, {}),
    "judicial__lookup_only": ("judicial_record", lambda: {"requester": lookup(AN)},
                              {"place_of_birth": "Hà Nội", "ethnicity": "Kinh", "certificate_type": 1,
                               "purpose": "Xin việc", "receive_method": "post"},
                              {"residence_history": HISTORY}),
})


def test_every_constraint_has_an_invalid_case(catalogue: Catalogue) -> None:
    """Coverage: a new constraint in a spec needs a case in INVALID."""
    constraints = set()
    for spec in catalogue.procedures():
        for field in spec.all_fields():
            for item in (field, *field.fields):
                constraints.update((spec.code, item.key, i) for i in range(len(item.constraints)))
    assert constraints == set(INVALID)


@pytest.mark.parametrize("target", sorted(INVALID), ids=lambda t: f"{t[0]}.{t[1]}.{t[2]}")
def test_invalid_case_per_constraint(catalogue: Catalogue, target: tuple[str, str, int]) -> None:
    """The base case is valid; the bad value yields exactly that constraint's message."""
    code, key, index = target
    base, bad = INVALID[target]
    form = build(catalogue, base)
    assert form.errors() == [], f"base case {base} not valid"
    for name, value in bad.items():
        if "[" in name:
            group, rest = name.split("[", 1)
            item_index, sub = int(rest.split("]")[0]), rest.split(".", 1)[1]
            while len(form.items.get(group, [])) <= item_index:
                form.add_item(group)
            form.set_item(group, item_index, sub, value)
        else:
            form.set(name, value)
    message = catalogue.procedure(code).field(key).constraints[index].message.vi
    errors = form.errors()
    assert any(e.message == message and e.key.endswith(key) for e in errors), errors
