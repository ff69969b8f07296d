"""Procedure specs: the shipped catalogue passes the meta-schema and the semantic checks."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from kiosk.forms.catalogue import Catalogue
from kiosk.forms.messages import MESSAGES
from kiosk.forms.spec import FORMS_DIR, SpecError, build_procedure, load_spec, schema_problems

SPEC_FILES = sorted((FORMS_DIR / "procedures").rglob("*.yaml")) + \
    sorted((FORMS_DIR / "journeys").rglob("*.yaml"))


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_spec_passes_the_meta_schema(path: Path) -> None:
    """CI gate: each spec file is valid against the JSON-Schema meta-schema and loads."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert schema_problems(data) == []
    load_spec(path)


def test_the_catalogue_offers_the_eight_procedures(catalogue: Catalogue) -> None:
    """Seven standalone procedures plus the linked under-6 journey (with its insurance step)."""
    standalone = {s.code for s in catalogue.procedures() if s.standalone}
    assert standalone == {"birth_registration", "death_registration", "marriage_registration",
                          "marital_status_confirmation", "permanent_residence",
                          "temporary_residence", "judicial_record"}
    assert [j.code for j in catalogue.journeys()] == ["birth_group_under6"]


def _texts(spec_raw: dict) -> list[dict]:
    found = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if set(node) >= {"vi", "en"} and all(isinstance(node[k], str) for k in ("vi", "en")):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(spec_raw)
    return found


def test_every_label_help_option_and_message_has_vi_and_en(catalogue: Catalogue) -> None:
    """Every field carries a label in both languages; every text is non-empty in both."""
    for spec in catalogue.procedures():
        for field in spec.all_fields():
            for item in (field, *field.fields):
                assert item.label.vi.strip() and item.label.en.strip(), item.key
                for constraint in item.constraints:
                    assert constraint.message.vi.strip() and constraint.message.en.strip()
                for option in item.options:
                    assert option["vi"].strip() and option["en"].strip()
        for text in _texts(spec.raw):
            assert text["vi"].strip() and text["en"].strip()


def test_engine_messages_have_the_same_placeholders_in_both_languages() -> None:
    for key, text in MESSAGES.items():
        assert set(re.findall(r"\{(\w+)\}", text.vi)) == set(re.findall(r"\{(\w+)\}", text.en)), key


def test_each_procedure_has_fee_time_attachments_portal_names_and_assurance(catalogue: Catalogue) -> None:
    """The facts the receipt and the portal need are present in every spec."""
    for spec in catalogue.procedures():
        assert spec.working_days >= 0 and spec.fee_note.vi and spec.min_assurance
        assert spec.portal_procedure
        assert all(f.portal for f in spec.all_fields())
    assert all(s.attachments for s in catalogue.procedures() if s.code != "health_insurance_child")


def _birth() -> dict:
    return yaml.safe_load((FORMS_DIR / "procedures" / "birth_registration" / "2025.10.yaml")
                          .read_text(encoding="utf-8"))


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda d: d["pages"][0]["fields"][0].update(relevant="nosuchfield == 1"), "unknown field"),
    (lambda d: d["pages"][0]["fields"][0].update(source=["chip:stranger.full_name"]), "undeclared person"),
    (lambda d: d["pages"][1]["fields"][0].update(key="requester_full_name"), "key used twice"),
    (lambda d: d["pages"][0]["fields"][0].update(required="__import__('os')"), "unknown function"),
    (lambda d: d["pages"][0]["fields"][0].update(type="colour"), "is not one of"),
    (lambda d: d["pages"][0]["fields"][0]["label"].pop("en"), "'en' is a required property"),
    (lambda d: d.pop("fee"), "'fee' is a required property"),
    (lambda d: d["typical"]["answers"].update(ghost=1), "unknown field 'ghost'"),
    (lambda d: d["pages"][0]["fields"][0].update(source=["chip:requester.full_name|explode"]),
     "unknown transform"),
])
def test_broken_specs_are_rejected_with_the_reason(mutate, expected: str) -> None:
    """Each kind of mistake in a spec is reported, with where it is."""
    data = copy.deepcopy(_birth())
    mutate(data)
    with pytest.raises(SpecError) as caught:
        build_procedure(data, "test")
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


def test_the_worked_example_in_the_docs_is_a_valid_spec() -> None:
    """docs/forms.md's worked example loads, fills and prices as the text says."""
    from datetime import date

    from kiosk.forms.autofill import Known
    from kiosk.forms.engine import FormSession

    from .conftest import AN, person

    text = (FORMS_DIR.parents[1] / "docs" / "forms.md").read_text(encoding="utf-8")
    block = text.split("### Worked example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    spec = build_procedure(yaml.safe_load(block), "docs/forms.md")
    form = FormSession(spec, Known(persons={"requester": person(AN)}), today=date(2026, 2, 1))
    form.set("pages", 3)
    form.set("delivery", "counter")
    assert form.finish().fee_vnd == 5000
    form.set("pages", 0)
    assert [e.message for e in form.errors()] == ["Từ 1 đến 500 trang."]
