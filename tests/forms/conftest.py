"""Fixtures for the forms tests: the shipped catalogue, a fixed day, demo records."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kiosk.forms import demo
from kiosk.forms.autofill import Known, PersonRecords
from kiosk.forms.catalogue import Catalogue
from kiosk.forms.engine import FormSession
from kiosk.forms.stats import DEMO_SETTINGS, apply_answers

TODAY = date(2025, 11, 22)
GOLDEN = Path(__file__).parent / "golden"
AN, HOA, MINH, THU, DUC, LAN = ("001090012345", "001192023456", "036055001234",
                                "079301004567", "020088007890", "031185009876")


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue()


def person(id_number: str, *, verified: bool = True, chip: bool = True) -> PersonRecords:
    """A demo resident as their own card read (verified or not) plus their lookup."""
    return PersonRecords(chip=demo.chip_record(id_number) if chip else None,
                         chip_verified=verified and chip, lookup=demo.lookup_record(id_number))


def session_for(catalogue: Catalogue, code: str, persons: dict[str, PersonRecords],
                answers: dict[str, Any] | None = None, language: str = "vi") -> FormSession:
    """A session with these records, then these answers (given only where still empty)."""
    spec = catalogue.procedure(code)
    form = FormSession(spec, Known(persons=persons, settings=dict(DEMO_SETTINGS)),
                       language=language, today=TODAY)
    if answers:
        apply_answers(form, {"answers": answers})
    return form


def typical(catalogue: Catalogue, code: str, resident: str) -> FormSession:
    spec = catalogue.procedure(code)
    known = demo.known_for(spec.typical["persons"], resident, DEMO_SETTINGS)
    form = FormSession(spec, known, today=TODAY)
    apply_answers(form, spec.typical)
    return form


def check_golden(name: str, data: dict[str, Any]) -> None:
    """Compare with tests/forms/golden/NAME.json (FORMS_UPDATE_GOLDEN=1 rewrites it)."""
    path = GOLDEN / f"{name}.json"
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("FORMS_UPDATE_GOLDEN") == "1" or not path.exists():
        if os.environ.get("CI") and not path.exists():
            pytest.fail(f"golden file {path.name} missing")
        path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), \
        f"payload differs from golden file {path.name}"
