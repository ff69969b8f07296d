"""The front desk's steps without Qt: reading another person's card into an open form."""

from __future__ import annotations

from kiosk.app import build_desk
from kiosk.demo_residents import card_qr_text
from kiosk.devices.card.access import AccessKey


def read(desk, resident_id: str):
    desk.reader.place(resident_id)
    return desk.read_card(AccessKey.from_card_qr(card_qr_text(resident_id)), lambda *_: None)


def test_other_persons_card_fills_their_block_and_keeps_typing(demo_settings) -> None:
    """At a birth registration the father (the resident) has typed the child's name; the
    mother's card is then read: her block fills from her chip (verified), the child's name
    stays as typed, and nothing of the father's changes."""
    desk = build_desk(demo_settings)
    father = read(desk, "001090012345")
    form = desk.open_form("birth_registration", father, None, "vi")
    form.set("child_full_name", "Nguyễn Minh Châu")
    assert form.current_value("mother_full_name") in (None, "")
    mother = read(desk, "001192023456")
    form = desk.add_person_card(form, "mother", mother, "vi")
    assert form.current_value("mother_full_name") == "Lê Thị Hoa"
    assert form.provenance["mother_full_name"].source == "chip_verified"
    assert form.current_value("child_full_name") == "Nguyễn Minh Châu"
    assert form.provenance["child_full_name"].source == "resident"
    assert form.current_value("father_full_name") == "Nguyễn Văn An"
    assert form.current_value("mother_date_of_birth") == "1992-08-03"
