"""The resident's whole journey through the real UI: every procedure, online and offline,
the failure paths of identification, and the wipe at the end of a session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.ui.walkthrough import run_walkthrough

# A demo resident for whom each procedure's typical case is lawful (an unmarried person for
# a marriage, a widower for a death registration...).
PROCEDURES = [
    ("marital_status_confirmation", "001090012345"),
    ("birth_registration", "001090012345"),
    ("death_registration", "036055001234"),
    ("marriage_registration", "079301004567"),
    ("permanent_residence", "020088007890"),
    ("temporary_residence", "079301004567"),
    ("judicial_record", "031185009876"),
    # The linked group: birth registration, then permanent residence and health insurance
    # for the child, as one journey producing three linked dossiers.
    ("birth_group_under6", "001090012345"),
]


@pytest.mark.parametrize(("procedure", "resident"), PROCEDURES)
def test_every_procedure_online(procedure: str, resident: str, tmp_path: Path, qapp) -> None:
    """Card tap → consent → welcome → service → form pages → review → submit: the portal
    accepts the dossier with an official code, a receipt PDF is printed, the session ends
    wiped, and card-to-service-list takes at most 3 touches."""
    metrics = run_walkthrough(procedure, resident, tmp_path)
    assert metrics.accepted, metrics
    assert metrics.official_code.count("-") == 2
    assert metrics.touches_card_to_services <= 3
    assert metrics.screens[-1] == "end"
    assert (tmp_path / "receipt.pdf").read_bytes().startswith(b"%PDF")
    saved = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert saved["klm_resident_seconds"] > 0
    assert len(list(tmp_path.glob("*.png"))) == len(metrics.screens)
    if procedure == "death_registration":
        # The widower registers his father's death: one touch on "the deceased is your
        # father" fills the deceased's part from the population database.
        assert "relative-deceased" in metrics.screens
        assert metrics.fields_autofilled >= 13, metrics


@pytest.mark.parametrize(("procedure", "resident"), PROCEDURES)
def test_every_procedure_offline_is_queued_honestly(procedure: str, resident: str,
                                                    tmp_path: Path, qapp) -> None:
    """With no portal the dossier is captured at the kiosk, the receipt is a kiosk ticket,
    and the screen says the portal has NOT received it yet. No VNeID offline: the holder is
    confirmed by the face check where the card's photo allows it, else by a volunteer."""
    metrics = run_walkthrough(procedure, resident, tmp_path, offline=True)
    assert metrics.verified_by in ("face_liveness", "volunteer_attested")
    assert not metrics.accepted
    assert metrics.ticket.startswith("T")
    assert metrics.official_code == ""
    assert (tmp_path / "receipt.pdf").exists()


def test_english_journey(tmp_path: Path, qapp) -> None:
    """The whole journey works in English too."""
    metrics = run_walkthrough("permanent_residence", "020088007890", tmp_path, language="en")
    assert metrics.accepted
