"""`kiosk forms list|show|validate|stats`, human and --json output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.forms.spec import FORMS_DIR


@pytest.fixture
def run(kiosk_home: Path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, ["--demo", "forms", *args], catch_exceptions=False)
    return invoke


def test_list_json(run) -> None:
    result = run("list", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    codes = [row["code"] for row in data["procedures"]]
    assert "birth_registration" in codes and "birth_group_under6" in codes
    assert data["catalogue_version"] == "2025.10.1"


def test_list_search_without_diacritics(run) -> None:
    result = run("list", "--search", "ket hon", "--json", "--lang", "en")
    rows = json.loads(result.output)["procedures"]
    assert [r["code"] for r in rows] == ["marriage_registration"]
    assert rows[0]["title"] == "Marriage registration"


def test_show(run) -> None:
    human = run("show", "permanent_residence")
    assert human.exit_code == 0 and "members" in human.output and "CT01" in human.output
    data = json.loads(run("show", "judicial_record", "--json").output)
    assert data["code"] == "judicial_record" and data["available_versions"] == ["2025.10"]
    journey = run("show", "birth_group_under6")
    assert "step residence: permanent_residence (after birth)" in journey.output


def test_show_unknown_procedure_exits_2(kiosk_home: Path) -> None:
    result = CliRunner().invoke(main, ["--demo", "forms", "show", "nothing"])
    assert result.exit_code == 2 and "kiosk forms list" in result.output


def test_validate_shipped(run) -> None:
    result = run("validate", "--json")
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["ok"] and len(data["files"]) == 9


def test_validate_a_broken_file_exits_2(kiosk_home: Path, tmp_path: Path) -> None:
    """A spec with a mistake fails with exit code 2 and names the problem."""
    data = yaml.safe_load((FORMS_DIR / "procedures" / "judicial_record" / "2025.10.yaml").read_text())
    data["fee"]["amount"] = "open('/etc/passwd')"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["forms", "validate", str(bad), "--json"])
    assert result.exit_code == 2
    report = json.loads(result.output.split("\nerror:")[0])
    assert not report["ok"] and "unknown function" in report["files"][0]["problems"][0]


def test_stats_json(run) -> None:
    """Per procedure × demo resident, and the overall share auto-filled."""
    result = run("stats", "--json")
    data = json.loads(result.output)
    rows = data["rows"]
    assert len(rows) == 8 * 6
    for row in rows:
        assert row["shown"] == row["auto_filled"] + row["defaulted"] + row["to_type"]
        assert 0 <= row["share"] <= 1
    total = data["summary"]
    assert total["shown"] == sum(r["shown"] for r in rows)
    assert total["goal"] == 0.7 and 0.5 < total["share"] < 1
    human = run("stats")
    assert human.output.splitlines()[-1].startswith("all")
