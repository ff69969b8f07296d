"""The catalogue: versions, newer catalogues from the portal, drafts across versions."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml

from kiosk.errors import BadInput
from kiosk.forms.autofill import Known
from kiosk.forms.catalogue import (
    Catalogue,
    NoMigration,
    UnknownProcedure,
    install_catalogue,
    migrate_draft,
    removable_versions,
    version_key,
)
from kiosk.forms.engine import FormSession
from kiosk.forms.spec import FORMS_DIR, SpecError

from .conftest import AN, HOA, person

BIRTH = FORMS_DIR / "procedures" / "birth_registration" / "2025.10.yaml"


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_catalogue(root: Path, *, version: str, birth_versions: dict[str, dict]) -> Path:
    """A catalogue folder: the shipped one with birth registration at the given versions."""
    shutil.copytree(FORMS_DIR, root, ignore=shutil.ignore_patterns("birth_registration"))
    for birth_version, data in birth_versions.items():
        _write(root / "procedures" / "birth_registration" / f"{birth_version}.yaml", data)
    index = yaml.safe_load((root / "catalogue.yaml").read_text(encoding="utf-8"))
    index["version"] = version
    index["procedures"]["birth_registration"] = max(birth_versions, key=version_key)
    _write(root / "catalogue.yaml", index)
    return root


def old_birth() -> dict:
    """Version 2025.7: the same form where the place of birth had another key."""
    data = yaml.safe_load(BIRTH.read_text(encoding="utf-8"))
    data["version"] = "2025.7"
    text = yaml.safe_dump(data, allow_unicode=True).replace("child_place_of_birth", "place_of_birth_text")
    return yaml.safe_load(text)


def new_birth(with_rule: bool = True) -> dict:
    data = yaml.safe_load(BIRTH.read_text(encoding="utf-8"))
    data["version"] = "2025.12"
    if with_rule:
        data["migrations"] = [{"from_version": "2025.7",
                               "rename": {"place_of_birth_text": "child_place_of_birth"}}]
    return data


def test_shipped_catalogue(catalogue: Catalogue) -> None:
    """The shipped catalogue loads; form ids name code and version; search ignores diacritics."""
    spec = catalogue.procedure("birth_registration")
    assert spec.form_id == "birth_registration@2025.10"
    assert catalogue.by_form_id("birth_registration@2025.10") is spec
    assert [s.code for s in catalogue.search("khai sinh")] == ["birth_registration", "birth_group_under6"]
    assert [s.code for s in catalogue.search("tam tru")] == ["temporary_residence"]
    with pytest.raises(UnknownProcedure):
        catalogue.procedure("no_such_procedure")
    with pytest.raises(UnknownProcedure):
        catalogue.procedure("birth_registration", "1999.1")


def test_old_version_stays_loadable_beside_the_current(tmp_path: Path) -> None:
    """A queued dossier's version is still there while a newer one is current."""
    folder = make_catalogue(tmp_path / "c", version="2025.12.1",
                            birth_versions={"2025.7": old_birth(), "2025.12": new_birth()})
    catalogue = Catalogue(folder, fallback=None)
    assert catalogue.procedure("birth_registration").version == "2025.12"
    assert catalogue.by_form_id("birth_registration@2025.7").version == "2025.7"
    assert catalogue.versions("birth_registration") == ["2025.7", "2025.12"]
    assert removable_versions(catalogue, {"birth_registration@2025.7"}) == []
    assert removable_versions(catalogue, set()) == ["birth_registration@2025.7"]


def test_install_a_newer_catalogue_keeps_versions_in_use(tmp_path: Path) -> None:
    """The new catalogue drops 2025.7, but a queued dossier still needs it: it is kept."""
    installed = tmp_path / "installed"
    install_catalogue(make_catalogue(tmp_path / "v1", version="2025.7.1",
                                     birth_versions={"2025.7": old_birth()}), installed)
    newer = make_catalogue(tmp_path / "v2", version="2025.12.1", birth_versions={"2025.12": new_birth()})
    catalogue = install_catalogue(newer, installed, in_use={"birth_registration@2025.7"})
    assert catalogue.version == "2025.12.1"
    assert catalogue.procedure("birth_registration", "2025.7").version == "2025.7"
    # Once drained, the next install lets it go.
    catalogue = install_catalogue(newer, installed, in_use=set())
    with pytest.raises(UnknownProcedure):
        catalogue.procedure("birth_registration", "2025.7")


def test_install_from_zip_bytes(tmp_path: Path) -> None:
    folder = make_catalogue(tmp_path / "v2", version="2025.12.1", birth_versions={"2025.12": new_birth()})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for path in folder.rglob("*"):
            if path.is_file():
                bundle.write(path, path.relative_to(folder).as_posix())
    catalogue = install_catalogue(buffer.getvalue(), tmp_path / "installed")
    assert catalogue.procedure("birth_registration").version == "2025.12"


def test_a_bad_catalogue_changes_nothing(tmp_path: Path) -> None:
    """An invalid spec in a new catalogue is refused and the installed one stays."""
    installed = tmp_path / "installed"
    install_catalogue(FORMS_DIR, installed)
    broken = new_birth()
    broken["pages"][0]["fields"][0]["relevant"] = "ghost_field == 1"
    with pytest.raises(SpecError, match="ghost_field"):
        install_catalogue(make_catalogue(tmp_path / "bad", version="2026.1.1",
                                         birth_versions={"2025.12": broken}), installed)
    assert Catalogue(installed, fallback=None).version == "2025.10.1"


@pytest.mark.parametrize("entry", ["../escape.yaml", "/abs.yaml", "procedures/x/run.py"])
def test_zip_entries_outside_the_catalogue_are_refused(tmp_path: Path, entry: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr(entry, "x: 1")
    with pytest.raises(BadInput):
        install_catalogue(buffer.getvalue(), tmp_path / "installed")
    assert not (tmp_path / "escape.yaml").exists()


def test_install_refuses_losing_a_version_in_use(tmp_path: Path) -> None:
    newer = make_catalogue(tmp_path / "v2", version="2025.12.1", birth_versions={"2025.12": new_birth()})
    with pytest.raises(BadInput, match="still in use"):
        install_catalogue(newer, tmp_path / "installed", in_use={"birth_registration@2024.1"})


def _draft_on_old(catalogue: Catalogue) -> dict:
    spec = catalogue.procedure("birth_registration", "2025.7")
    form = FormSession(spec, Known(persons={"requester": person(AN), "father": person(AN),
                                            "mother": person(HOA)}), today=date(2025, 11, 22))
    form.set("place_of_birth_text", "Bệnh viện Phụ sản Hà Nội")
    form.set("child_full_name", "Nguyễn Minh Châu")
    return form.to_draft()


def test_draft_on_old_version_finishes_on_it(tmp_path: Path) -> None:
    folder = make_catalogue(tmp_path / "c", version="2025.12.1",
                            birth_versions={"2025.7": old_birth(), "2025.12": new_birth()})
    catalogue = Catalogue(folder, fallback=None)
    draft = _draft_on_old(catalogue)
    old = catalogue.by_form_id("birth_registration@2025.7")
    form = FormSession(old, Known(), today=date(2025, 11, 22))
    form.load_draft(draft)
    for key, value in {"child_date_of_birth": "2025-11-02", "child_sex": "Nữ",
                       "has_medical_certificate": True, "receive_method": "post"}.items():
        form.set(key, value)
    filled = form.finish()
    assert filled.form_id == "birth_registration@2025.7" and filled.payload["form_version"] == "2025.7"


def test_draft_migrates_by_the_explicit_rule(tmp_path: Path) -> None:
    """The rename rule carries the value and its provenance to the new key."""
    folder = make_catalogue(tmp_path / "c", version="2025.12.1",
                            birth_versions={"2025.7": old_birth(), "2025.12": new_birth()})
    catalogue = Catalogue(folder, fallback=None)
    migrated = migrate_draft(_draft_on_old(catalogue), catalogue.procedure("birth_registration"))
    assert migrated["version"] == "2025.12"
    assert migrated["values"]["child_place_of_birth"] == "Bệnh viện Phụ sản Hà Nội"
    assert migrated["provenance"]["child_place_of_birth"]["source"] == "resident"
    form = FormSession(catalogue.procedure("birth_registration"), Known(), today=date(2025, 11, 22))
    form.load_draft(migrated)
    assert form.values["requester_full_name"] == "Nguyễn Văn An"


def test_no_rule_no_migration(tmp_path: Path) -> None:
    """Without a rule (or with a key the rule does not place) the draft stays on its version."""
    folder = make_catalogue(tmp_path / "c", version="2025.12.1",
                            birth_versions={"2025.7": old_birth(), "2025.12": new_birth(with_rule=False)})
    catalogue = Catalogue(folder, fallback=None)
    with pytest.raises(NoMigration):
        migrate_draft(_draft_on_old(catalogue), catalogue.procedure("birth_registration"))
    current = catalogue.procedure("birth_registration")
    form = FormSession(current, Known(), today=date(2025, 11, 22))
    with pytest.raises(BadInput, match="migrate it first"):
        form.load_draft(_draft_on_old(catalogue))
