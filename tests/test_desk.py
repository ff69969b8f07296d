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


def _journey_dossiers(desk, resident: str):  # noqa: ANN001, ANN202
    """The linked birth + residence + insurance journey filled with its typical answers."""
    from datetime import date

    from kiosk.forms.stats import apply_answers, typical_journey

    journey = desk.catalogue.journey("birth_group_under6")
    typical = typical_journey(journey, desk.catalogue, resident, date.today())
    run = desk.open_journey("birth_group_under6", read(desk, resident), None, "vi")
    run.known = typical["birth"].known  # both parents' records, as their cards give them
    for step in journey.steps:
        session = run.start(step.key)
        apply_answers(session, {"answers": typical[step.key].values,
                                "items": typical[step.key].items})
        run.finish(step.key)
    return run.dossiers()


def test_linked_journey_is_captured_in_order_once_even_after_a_failure(demo_settings,
                                                                        monkeypatch) -> None:
    """The three linked dossiers are captured birth first, the others naming it as parent;
    the disk failing at the second capture loses nothing, and the retry captures only the
    two still missing (the birth registration is not captured twice)."""
    from kiosk.store import open_configured_store

    desk = build_desk(demo_settings)
    desk.store = open_configured_store(demo_settings)
    try:
        dossiers = _journey_dossiers(desk, "001090012345")
        consent = {"text_version": "consent-vi-2025.1", "purposes": ["submit-to-portal"],
                   "at": 1_790_000_000.0}
        real_capture, calls = desk.store.capture, []

        def full_disk_once(dossier):  # noqa: ANN001, ANN202
            calls.append(dossier.procedure_code)
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
            return real_capture(dossier)

        monkeypatch.setattr(desk.store, "capture", full_disk_once)
        captured: dict = {}
        try:
            desk.submit_linked(dossiers, consent, None, None, captured, wait_s=0)
        except OSError:
            pass
        assert list(captured) == ["birth"]
        submissions = desk.submit_linked(dossiers, consent, None, None, captured, wait_s=0)
        assert calls == ["birth_registration", "permanent_residence", "permanent_residence",
                         "health_insurance_child"]
        items = {item.procedure_code: item for item in desk.store.list_items()}
        assert len(items) == 3 and len(submissions) == 3
        birth = items["birth_registration"].submission_id
        for code in ("permanent_residence", "health_insurance_child"):
            assert desk.store.get(items[code].submission_id).depends_on == (birth,)
    finally:
        desk.store.close()
