"""The form engine: auto-fill with provenance, locks, relevance, repeats, errors, payload."""

from __future__ import annotations

import unicodedata

import pytest

from kiosk.forms.autofill import PersonRecords
from kiosk.forms.catalogue import Catalogue
from kiosk.forms.engine import FieldLocked, FormIncomplete, UnknownField

from .conftest import AN, HOA, THU, person, session_for

BIRTH_ANSWERS = {"child_full_name": "nguyễn minh châu", "child_date_of_birth": "02/11/2025",
                 "child_sex": "Nữ", "child_place_of_birth": "Bệnh viện Phụ sản Hà Nội",
                 "has_medical_certificate": True, "receive_method": "electronic",
                 "mother_ethnicity": "Kinh"}


def birth(catalogue: Catalogue, *, verified: bool = True, language: str = "vi"):
    persons = {"requester": person(AN, verified=verified), "father": person(AN, verified=verified),
               "mother": PersonRecords(lookup=person(HOA).lookup)}
    return session_for(catalogue, "birth_registration", persons, BIRTH_ANSWERS, language)


def test_provenance_per_source(catalogue: Catalogue) -> None:
    """Each value says where it came from: verified chip, lookup, resident, computed, default."""
    form = birth(catalogue)
    filled = form.finish()
    prov = filled.provenance
    assert prov["requester_full_name"] == {"source": "chip_verified", "confirmed": False, "corrected": False}
    assert prov["requester_phone"]["source"] == "lookup"
    assert prov["mother_full_name"]["source"] == "lookup"
    assert prov["child_full_name"] == {"source": "resident", "confirmed": True, "corrected": False}
    assert prov["child_date_of_birth_words"]["source"] == "computed"
    assert prov["copies"]["source"] == "default"
    assert set(prov) == set(filled.values)


def test_unverified_chip_is_recorded_as_such_and_not_locked(catalogue: Catalogue) -> None:
    """A card whose issuer is untrusted still fills the form, but marked and editable."""
    form = birth(catalogue, verified=False)
    assert form.provenance["requester_full_name"].source == "chip_unverified"
    assert not form.is_locked("requester_full_name")
    form.set("requester_full_name", "Nguyễn Văn Ân")
    assert form.provenance["requester_full_name"].corrected
    assert form.finish().corrections == []


def test_verified_chip_values_are_locked(catalogue: Catalogue) -> None:
    """A value read from a genuine card cannot be overwritten (message in the session language)."""
    form = birth(catalogue, language="en")
    with pytest.raises(FieldLocked, match="verified ID card"):
        form.set("requester_id_number", "001090099999")
    form_vi = birth(catalogue)
    with pytest.raises(FieldLocked, match="thẻ căn cước"):
        form_vi.set("requester_full_name", "Ai Đó")


def test_correction_of_a_verified_value_is_allowed_where_the_spec_says_and_flagged(
        catalogue: Catalogue) -> None:
    """Residence allows a correction (addresses go stale); the dossier flags it."""
    persons = {"requester": PersonRecords(chip=person(AN).chip, chip_verified=True),
               "father": person(AN), "mother": PersonRecords(lookup=person(HOA).lookup)}
    form = session_for(catalogue, "birth_registration", persons, BIRTH_ANSWERS)
    assert form.provenance["requester_residence"].source == "chip_verified"
    form.set("requester_residence", "Số 1 phố Mới, Phường Thanh Xuân, Thành phố Hà Nội")
    filled = form.finish()
    assert filled.corrections == ["requester_residence"]
    assert filled.payload["corrections"] == ["requester_residence"]
    assert filled.provenance["requester_residence"] == {"source": "resident", "confirmed": True,
                                                        "corrected": True}


def test_chip_address_is_remapped_to_current_units(catalogue: Catalogue) -> None:
    """An old three-level card address arrives on the post-2025 units."""
    persons = {"requester": PersonRecords(chip=person(AN).chip, chip_verified=True),
               "father": person(AN), "mother": PersonRecords(lookup=person(HOA).lookup)}
    form = session_for(catalogue, "birth_registration", persons, BIRTH_ANSWERS)
    assert form.values["requester_residence"] == \
        "Số 12 ngõ 34 phố Nguyễn Trãi, Phường Thanh Xuân, Thành phố Hà Nội"


def test_confirming_a_page(catalogue: Catalogue) -> None:
    """'These are correct' marks every pre-filled value of the page confirmed."""
    form = birth(catalogue)
    form.confirm_page("requester")
    assert form.provenance["requester_full_name"].confirmed
    assert form.provenance["requester_phone"].confirmed
    assert not form.provenance["mother_full_name"].confirmed


def test_typing_the_same_value_confirms_without_correcting(catalogue: Catalogue) -> None:
    form = birth(catalogue)
    form.set("requester_phone", "0912 345 678")
    assert form.provenance["requester_phone"].source == "lookup"
    assert form.provenance["requester_phone"].confirmed
    assert not form.provenance["requester_phone"].corrected


def test_volunteer_input_is_recorded(catalogue: Catalogue) -> None:
    form = birth(catalogue)
    form.set("child_place_of_birth", "Trạm y tế phường", by="volunteer")
    assert form.provenance["child_place_of_birth"].source == "volunteer"


def test_relevance_switching_hides_and_shows(catalogue: Catalogue) -> None:
    """No father known: the father's fields disappear from pages, errors and payload."""
    persons = {"requester": person(THU), "mother": person(THU)}
    form = session_for(catalogue, "birth_registration", persons, BIRTH_ANSWERS)
    shown = [f.key for f in form.fields("father")]
    assert shown == ["father_known"]
    filled = form.finish()
    assert "cha" in filled.payload["data"] and set(filled.payload["data"]["cha"]) == {"daXacDinh"}
    form.set("father_known", True)
    assert "father_full_name" in [f.key for f in form.fields("father")]
    assert "father_full_name" in {e.key for e in form.errors()}


def test_errors_in_the_session_language(catalogue: Catalogue) -> None:
    persons = {"requester": person(THU), "mother": person(THU)}
    vi = session_for(catalogue, "birth_registration", persons, {}, "vi")
    en = session_for(catalogue, "birth_registration", persons, {}, "en")
    vi_errors = {e.key: e.message for e in vi.errors()}
    en_errors = {e.key: e.message for e in en.errors()}
    assert vi_errors["child_full_name"] == "Vui lòng nhập Họ, chữ đệm, tên."
    assert en_errors["child_full_name"] == "Please fill in Full name."
    with pytest.raises(FormIncomplete) as caught:
        vi.finish()
    assert {e.key for e in caught.value.errors} == set(vi_errors)


def test_bad_typed_values_are_kept_and_reported(catalogue: Catalogue) -> None:
    """A malformed date is not dropped: it stays, and the error says why."""
    form = birth(catalogue)
    form.set("child_date_of_birth", "31/02/2025")
    assert form.values["child_date_of_birth"] == "31/02/2025"
    assert any(e.key == "child_date_of_birth" and "ngày không hợp lệ" in e.message for e in form.errors())
    form.set("child_date_of_birth", "01/01/2030")
    assert any("tương lai" in e.message for e in form.errors())


def test_page_sequence_follows_relevance(catalogue: Catalogue) -> None:
    persons = {"declarant": person(HOA), "head": person(AN)}
    form = session_for(catalogue, "permanent_residence", persons, {"request_kind": "join_household"})
    assert form.pages() == ["declarant", "request", "household", "members", "consent"]
    form.set("request_kind", "new_household")
    assert form.pages() == ["declarant", "request", "members"]


def test_repeat_groups(catalogue: Catalogue) -> None:
    """Household members: add, fill, validate per item, remove (provenance follows)."""
    persons = {"declarant": person(HOA), "head": person(AN)}
    form = session_for(catalogue, "permanent_residence", persons,
                       {"request_kind": "join_household", "relationship_to_head": "Vợ"})
    first = form.add_item("members")
    second = form.add_item("members")
    form.set_item("members", first, "member_full_name", "lê minh an")
    form.set_item("members", first, "member_date_of_birth", "2019-05-01")
    form.set_item("members", first, "member_sex", "Nam")
    form.set_item("members", first, "member_relationship", "Con")
    form.set_item("members", second, "member_full_name", "Lê Văn Tư")
    errors = {e.key for e in form.errors()}
    assert "members[1].member_date_of_birth" in errors
    assert "members[0].member_id_number" not in errors  # under 14: no ID required
    form.remove_item("members", second)
    filled = form.finish()
    assert filled.payload["data"]["thanhVienCungThayDoi"] == [
        {"hoTen": "Lê Minh An", "ngaySinh": "2019-05-01", "gioiTinh": "Nam", "quanHeVoiChuHo": "Con"}]
    assert filled.provenance["members[0].member_full_name"]["source"] == "resident"
    assert "members[1].member_full_name" not in filled.provenance
    with pytest.raises(UnknownField):
        form.set_item("members", 0, "nope", 1)


def test_payload_is_canonical(catalogue: Catalogue) -> None:
    """NFD input comes out NFC, dd/mm/yyyy as ISO, numbers as int, units as code + name."""
    form = birth(catalogue)
    form.set("child_full_name", unicodedata.normalize("NFD", "Nguyễn Minh Châu"))
    form.set("copies", "2")
    payload = form.finish().payload
    child = payload["data"]["treEm"]
    assert child["hoTen"] == unicodedata.normalize("NFC", "Nguyễn Minh Châu")
    assert child["ngaySinh"] == "2025-11-02"
    assert payload["data"]["soBanSao"] == 2 and payload["fee_vnd"] == 16000
    assert payload["form_version"] == "2025.10" and payload["procedure"] == "birth_registration"


def test_fee_and_attachments_follow_the_branch(catalogue: Catalogue) -> None:
    form = birth(catalogue)
    assert form.fee() == 0
    assert form.attachments_required() == ["medical_birth_certificate"]
    form.set("has_medical_certificate", False)
    form.set("requester_relationship", "other")
    assert form.attachments_required() == ["witness_statement", "authorisation"]
    form.set("child_date_of_birth", "2025-01-02")  # more than 60 days ago: late
    assert form.scope()["registration_type"] == "late"
    assert form.fee() == 8000


def test_computed_values_are_locked_unless_free(catalogue: Catalogue) -> None:
    form = birth(catalogue)
    with pytest.raises(FieldLocked):
        form.set("registration_type", "on_time")
    form.set("child_ethnicity", "Tày")  # computed default the resident may change
    assert form.scope()["child_ethnicity"] == "Tày"
    assert any(e.key == "child_ethnicity" for e in form.errors())  # not a parent's ethnicity


def test_drafts_round_trip(catalogue: Catalogue) -> None:
    form = birth(catalogue)
    form.set("child_place_of_birth", "Nhà hộ sinh")
    draft = form.to_draft()
    again = birth(catalogue)
    again.load_draft(draft)
    assert again.finish().payload == form.finish().payload


def test_wipe_drops_personal_data(catalogue: Catalogue) -> None:
    """At session end nothing personal stays in the session or its records."""
    form = birth(catalogue)
    records = form.known.persons["requester"]
    form.wipe()
    assert form.values == {} and form.provenance == {} and form.prefilled == {}
    assert records.chip is None and records.lookup is None and form.known.persons == {}


def test_unknown_field(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownField):
        birth(catalogue).set("no_such_field", "x")


def test_choices_cascade_and_search(catalogue: Catalogue) -> None:
    """Select lists in the session language; communes follow the province; search folds."""
    persons = {"declarant": person(HOA), "head": person(AN)}
    form = session_for(catalogue, "temporary_residence", persons, {"request_kind": "rented"}, "en")
    assert ("rented", "Rented, lent or shared home") in form.choices("request_kind")
    assert [label for _, label in form.choices("address_province", "ha noi")] == ["Thành phố Hà Nội"]
    form.set("address_province", 1)
    assert (367, "Phường Thanh Xuân") in form.choices("address_commune", "thanh xuan")
    form.set("address_province", 31)
    assert all(code != 367 for code, _ in form.choices("address_commune"))
    form.set("address_commune", 367)  # a Hà Nội commune under Hải Phòng
    assert any(e.key == "address_commune" for e in form.errors())


def test_no_personal_data_in_logs_or_error_messages(catalogue: Catalogue, caplog) -> None:
    """Logs and typed errors name fields and counts, never the resident's data."""
    import logging

    caplog.set_level(logging.DEBUG, logger="kiosk.forms")
    form = birth(catalogue)
    form.set("requester_residence", "Số 99 phố Bí Mật, Phường Thanh Xuân, Thành phố Hà Nội")
    messages = [str(e) for e in form.errors()]
    with pytest.raises(FieldLocked) as locked:
        form.set("requester_id_number", "001090099999")
    messages.append(str(locked.value))
    form.finish()
    text = " ".join(messages + [r.getMessage() for r in caplog.records])
    assert caplog.records  # the finish is logged
    for secret in ("001090012345", "Nguyễn Văn An", "1990-02-15", "Bí Mật", "0912345678",
                   "001090099999", "Lê Thị Hoa"):
        assert secret not in text
