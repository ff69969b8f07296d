"""Property tests: whatever a resident record holds, the personalized files read back
through the team's own parsers (mrz.py, lds.py, dg13.py) to the same values."""

from __future__ import annotations

import unicodedata
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.devices.card.dg13 import parse_dg13
from kiosk.devices.card.lds import parse_com, parse_dg1, parse_dg2
from kiosk.devices.card.virtual.personalize import (
    dg13_entries,
    encode_com,
    encode_dg1,
    encode_dg13,
    mrz_for,
)
from kiosk.devices.card.virtual.portrait import encode_dg2, synthetic_portrait

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
word = st.text(alphabet=VIETNAMESE, min_size=1, max_size=9).map(str.capitalize)
name = st.lists(word, min_size=2, max_size=5).map(" ".join)
text = st.text(alphabet=VIETNAMESE + " ,0123456789/", min_size=0, max_size=200)
day = st.dates(min_value=date(1920, 1, 1), max_value=date(2060, 12, 31))


def ddmmyyyy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


@st.composite
def residents(draw) -> dict:
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2012, 12, 31)))
    return {
        "id": draw(st.from_regex(r"\A[0-9]{12}\Z")),
        "old_id": draw(st.one_of(st.just(""), st.from_regex(r"\A[0-9]{9}\Z"))),
        "full_name": draw(name), "date_of_birth": ddmmyyyy(born),
        "sex": draw(st.sampled_from(["Nam", "Nữ"])), "nationality": "Việt Nam",
        "ethnicity": draw(word), "religion": draw(word), "place_of_origin": draw(text),
        "residence": draw(text), "identifying_marks": draw(text),
        "date_of_issue": ddmmyyyy(draw(day)),
        "date_of_expiry": draw(st.one_of(st.just(""), day.map(ddmmyyyy))),
        "father_name": draw(name), "mother_name": draw(name),
        "spouse_name": draw(st.one_of(st.just(""), name)),
    }


def iso(text: str) -> str:
    d, m, y = text.split("/")
    return f"{y}-{m}-{d}"


@settings(max_examples=60, deadline=None)
@given(residents())
def test_dg1_and_dg13_read_back_through_the_reader_parsers(resident):
    """DG1's MRZ passes every check digit and carries the ID; DG13 parses to the record's
    values (NFC, ISO dates, parents/spouse, old ID, '' expiry for a lifelong card)."""
    td1 = parse_dg1(encode_dg1(mrz_for(resident)))
    assert td1.id_number == resident["id"]
    assert td1.document_number == resident["id"][-9:]
    fields = parse_dg13(encode_dg13(dg13_entries(resident)))
    # The DG13 parser returns NFC text without surrounding spaces (an all-space
    # address reads back as empty).
    nfc = lambda s: unicodedata.normalize("NFC", s).strip()  # noqa: E731
    assert fields["id_number"] == resident["id"]
    assert fields["full_name"] == nfc(resident["full_name"])
    assert fields["date_of_birth"] == iso(resident["date_of_birth"])
    assert fields["residence"] == nfc(resident["residence"])
    assert fields["date_of_issue"] == iso(resident["date_of_issue"])
    assert fields["date_of_expiry"] == (iso(resident["date_of_expiry"])
                                        if resident["date_of_expiry"] else "")
    assert (fields["father_name"], fields["mother_name"]) == (
        nfc(resident["father_name"]), nfc(resident["mother_name"]))
    assert fields.get("spouse_name", "") == nfc(resident["spouse_name"])
    assert fields.get("old_id_number", "") == resident["old_id"]


def test_com_and_dg2_read_back_through_the_reader_parsers():
    """EF.COM parses to LDS 1.7 with the CCCD's groups; DG2 gives back the exact JPEG."""
    com = parse_com(encode_com())
    assert set(com.groups) >= {1, 2, 3, 13, 14, 15}
    jpeg = synthetic_portrait("someone")
    assert parse_dg2(encode_dg2(jpeg, "Nữ")) == jpeg


def test_non_ascii_digits_and_bad_dates_are_refused():
    """An ID in non-ASCII digits or a date not in dd/mm/yyyy is a typed error, not an MRZ
    that no reader could check."""
    import pytest

    from kiosk.devices.card.virtual.personalize import ResidentDataError, load_resident

    resident = dict(load_resident("001090012345"))
    with pytest.raises(ResidentDataError, match="12 digits"):
        mrz_for({**resident, "id": "٠٠١٠٩٠٠١٢٣٤٥"})
    with pytest.raises(ResidentDataError, match="date of birth"):
        mrz_for({**resident, "date_of_birth": "1990-02-15"})
