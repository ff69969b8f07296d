"""The simulator's own parts: fault specs, official codes and due dates, the lookup record,
the catalogue folder, and the command line with TLS."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

from portal_sim.catalogue import load_catalogue
from portal_sim.codes import OFFICIAL_CODE, VIETNAM, code_prefix, due_date, official_code
from portal_sim.faults import FaultPlan, FaultSpecError, endpoint_of
from portal_sim.lookup import iso_date, lookup_record
from portal_sim.residents import DEFAULT_RESIDENTS_FILE, load_seed


def test_fault_spec_parsing() -> None:
    """Global and per-endpoint faults parse; per-endpoint values win; bad items are named."""
    plan = FaultPlan.parse("drop=0.3, submissions:503=1, latency=0.05, seed=4")
    assert plan.value("submissions", "drop") == 0.3
    assert plan.value("submissions", "503") == 1 and plan.value("time", "503") == 0
    assert plan.value("time", "retry_after", 1.0) == 1.0 and plan.seed == 4
    for bad in ("drop", "drop=2", "nonsense=0.1", "moon:drop=0.1", "drop=x"):
        with pytest.raises(FaultSpecError):
            FaultPlan.parse(bad)


def test_endpoint_groups() -> None:
    """Paths map to the contract's groups; admin, health and OpenAPI are never faulted."""
    assert endpoint_of("/v1/submissions") == "submissions"
    assert endpoint_of("/v1/submissions/abc") == "status"
    assert endpoint_of("/v1/dossiers/H01.001.01-260101-KS0001") == "status"
    assert endpoint_of("/v1/residents/lookup") == "lookup"
    assert endpoint_of("/admin/faults") is None and endpoint_of("/health") is None
    assert endpoint_of("/openapi.json") is None


def test_official_code_layout() -> None:
    """Codes follow MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX with the receiving date in Vietnam time."""
    received = datetime(2026, 1, 25, 20, 30, tzinfo=VIETNAM)
    code = official_code(code_prefix("DEMO-01001", received), 7)
    assert code == "H01.001.01-260125-KS0007"
    assert OFFICIAL_CODE.match(code)
    assert OFFICIAL_CODE.match(official_code(code_prefix("HCM-79123", received), 123456))


@pytest.mark.parametrize("received, days, due", [
    (datetime(2026, 11, 23, 10, 0, tzinfo=VIETNAM), 3, "2026-11-25"),   # Monday morning
    (datetime(2026, 11, 23, 15, 30, tzinfo=VIETNAM), 3, "2026-11-26"),  # after 15:00: from Tuesday
    (datetime(2026, 11, 27, 16, 0, tzinfo=VIETNAM), 1, "2026-11-30"),   # Friday late: Monday
    (datetime(2026, 11, 28, 9, 0, tzinfo=VIETNAM), 2, "2026-12-01"),    # Saturday: from Monday
])
def test_due_date_counts_working_days_from_the_cutoff(received: datetime, days: int, due: str) -> None:
    """Due dates count working days; after 15:00 or on a weekend counting starts next working day."""
    assert due_date(received, days) == due


def test_lookup_record_for_every_seeded_resident() -> None:
    """Every seeded person (demo residents and their relatives) gets a complete record B with
    ISO dates, known household members, and parents/spouse the seed knows."""
    seed = load_seed(DEFAULT_RESIDENTS_FILE)
    keys = {"id_number", "full_name", "date_of_birth", "sex", "nationality", "ethnicity",
            "religion", "place_of_origin", "place_of_birth", "father", "mother", "household",
            "marital_status", "spouse", "marriage_certificate", "divorce_judgment", "late_spouse",
            "current_residence", "residence_history", "phone", "email"}
    assert seed.population
    for id_number in [*seed.residents, *seed.population]:
        record = lookup_record(seed, id_number)
        assert set(record) == keys
        assert len(record["date_of_birth"]) == 10 and record["date_of_birth"][4] == "-"
        for relative in (record["father"], record["mother"], record["spouse"]):
            assert relative is None or (relative["full_name"] and len(relative["date_of_birth"]) == 10)
        assert record["marital_status"] in ("single", "married", "divorced", "widowed")
        for member in record["household"]["members"]:
            assert member["full_name"], member["id_number"]
            assert len(member["date_of_birth"]) == 10 and member["date_of_birth"][4] == "-"
    assert lookup_record(seed, "000000000000") is None
    assert iso_date("05/03/2021") == "2021-03-05" and iso_date("1970") == "1970"


def test_catalogue_version_follows_content(tmp_path: Path) -> None:
    """The catalogue holds every spec file; its version changes when any file changes."""
    (tmp_path / "a.yaml").write_text("procedure_code: '1.1'\nprocessing_days: 5\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("ignored")
    first = load_catalogue(tmp_path)
    assert [name for name, _ in first.files] == ["a.yaml", "sub/b.json"]
    assert first.processing_days == {"1.1": 5}
    assert load_catalogue(tmp_path).version == first.version
    (tmp_path / "sub" / "b.json").write_text('{"x": 1}')
    assert load_catalogue(tmp_path).version != first.version


def test_bad_fault_spec_is_a_usage_error() -> None:
    """`serve --faults` with a bad spec exits 2 naming the problem."""
    result = subprocess.run([sys.executable, "-m", "portal_sim", "serve", "--port", "0", "--faults",
                             "drop=7"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "drop=7" in result.stderr


def test_serve_with_tls_and_faults(tmp_path: Path) -> None:
    """`serve --tls` serves HTTPS with a certificate from the simulator's CA (kept in --state-dir),
    applies --faults, and still answers /health."""
    port_file = tmp_path / "port"
    process = subprocess.Popen([sys.executable, "-m", "portal_sim", "serve", "--port", "0", "--tls",
                                "--port-file", str(port_file), "--state-dir", str(tmp_path / "state"),
                                "--faults", "time:captive=1"])
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists():
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        context = ssl.create_default_context(cafile=str(tmp_path / "state" / "pki" / "ca.pem"))
        base = f"https://127.0.0.1:{int(port_file.read_text())}"
        with urllib.request.urlopen(base + "/health", context=context, timeout=5) as answer:
            assert json.load(answer)["status"] == "ok"
        with urllib.request.urlopen(base + "/v1/time", context=context, timeout=5) as page:
            assert page.headers["Content-Type"].startswith("text/html")
    finally:
        process.terminate()
        process.wait(timeout=10)
