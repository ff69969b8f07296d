"""Volunteer-assisted mode through the real UI: the dossier and the audit say who helped."""

from __future__ import annotations

from kiosk.ui.walkthrough import Walkthrough


def test_assisted_journey_is_recorded(drive: Walkthrough) -> None:
    """A wrong PIN is refused with plain words; the right one signs the volunteer in; the
    resident's dossier records 'assisted by' that volunteer, and so does the audit log;
    sign-out ends the assistance for the next residents."""
    volunteer = drive.kiosk.volunteer
    drive.tap("volunteerButton")
    drive.type_on_pad("1001")
    drive.type_on_pad("111111")
    assert "không đúng" in volunteer.message and volunteer.code == ""
    drive.tap("volunteerCancel")
    drive.tap("volunteerButton")
    drive.type_on_pad("1001")
    drive.type_on_pad("246813")
    assert volunteer.code == "1001" and not volunteer.asking
    store = drive.kiosk.services.desk.store
    drive.run("permanent_residence", "020088007890", "vi")
    items = store.list_items()
    assert len(items) == 1
    assert store.get(items[0].submission_id).assisted_by == "1001"
    captured = [entry for entry in store.audit_entries(limit=100, subject=items[0].submission_id)
                if entry.get("actor_kind") == "volunteer"]
    assert captured and all(entry.get("actor_id") == "1001" for entry in captured)
    drive.tap("volunteerSignOut")
    assert volunteer.code == ""
    drive.find("volunteerButton")
