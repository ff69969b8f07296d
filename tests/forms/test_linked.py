"""The linked journey: birth + permanent residence + health insurance for a child under 6."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.errors import BadInput
from kiosk.forms.autofill import Known, PersonRecords
from kiosk.forms.catalogue import Catalogue
from kiosk.forms.linked import JourneySession
from kiosk.forms.stats import DEMO_SETTINGS

from .conftest import AN, HOA, check_golden, person


def journey(catalogue: Catalogue) -> JourneySession:
    known = Known(persons={"requester": person(AN), "father": person(AN),
                           "mother": PersonRecords(lookup=person(HOA).lookup),
                           "head": PersonRecords(lookup=person(AN).lookup)},
                  settings=dict(DEMO_SETTINGS))
    return JourneySession(catalogue.journey("birth_group_under6"), catalogue, known,
                          today=date(2025, 11, 22))


def test_one_journey_three_linked_dossiers(catalogue: Catalogue) -> None:
    """The child is typed once; the later steps reuse it with its provenance; dependencies
    name the birth dossier so the outbox sends it first."""
    run = journey(catalogue)
    with pytest.raises(BadInput, match="finished first"):
        run.start("residence")
    birth = run.start("birth")
    for key, value in {"child_full_name": "Nguyễn Minh Châu", "child_date_of_birth": "2025-11-02",
                       "child_sex": "Nữ", "child_place_of_birth": "Bệnh viện Phụ sản Hà Nội",
                       "has_medical_certificate": True, "receive_method": "electronic",
                       "mother_ethnicity": "Kinh"}.items():
        birth.set(key, value)
    run.finish("birth")

    residence = run.start("residence")
    assert residence.values["declarant_full_name"] == "Nguyễn Minh Châu"
    assert residence.provenance["declarant_full_name"].source == "resident"
    assert residence.values["request_kind"] == "newborn" and residence.is_locked("request_kind")
    assert "declarant_id_number" not in {f.key for f in residence.visible()}
    residence.set("relationship_to_head", "Con")
    filled_residence = run.finish("residence")
    assert filled_residence.fee_vnd == 0  # a child under 16

    insurance = run.start("insurance")
    assert insurance.values["child_ethnicity"] == "Kinh"
    assert insurance.provenance["child_ethnicity"].source == "computed"
    insurance.set("primary_care_facility", "Trạm y tế phường Thanh Xuân")
    run.finish("insurance")

    dossiers = run.dossiers()
    assert [(d.step, d.depends_on) for d in dossiers] == [
        ("birth", ()), ("residence", ("birth",)), ("insurance", ("birth",))]
    check_golden("journey__birth_group_under6", {
        d.step: {"form_id": d.filled.form_id, "payload": d.filled.payload,
                 "provenance": d.filled.provenance} for d in dossiers})
    run.wipe()
    assert run.finished == {} and run.known.persons == {}


def test_dossiers_need_every_step(catalogue: Catalogue) -> None:
    with pytest.raises(BadInput, match="not finished"):
        journey(catalogue).dossiers()
