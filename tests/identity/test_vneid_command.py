"""`kiosk vneid signin`: output, masking and exit codes, against the real simulator."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from vneid_fixtures import KNOWN_RESIDENT, Sim

from kiosk import cli


@pytest.fixture(autouse=True)
def vneid_command(monkeypatch: pytest.MonkeyPatch, kiosk_home: Path) -> None:
    monkeypatch.setitem(cli.LAZY_COMMANDS, "vneid", "kiosk.identity.vneid_commands:vneid")


@pytest.fixture
def auto_sim(tmp_path: Path) -> Iterator[Sim]:
    running = Sim(tmp_path, vneid_auto_approve_after_s=0.2)
    yield running
    running.stop()


def _run(url: str, *args: str):  # noqa: ANN202 - click's Result
    return CliRunner().invoke(cli.main, ["--demo", "--set", f"portal.url={url}", "vneid", "signin", *args])


def test_json_lines_session_then_identity(auto_sim: Sim) -> None:
    """--json prints the session (QR text) first, then the approved identity in full; exit 0."""
    result = _run(auto_sim.url, "--json", "--hint", KNOWN_RESIDENT, "--wait", "5")
    assert result.exit_code == 0, result.output
    first, last = (json.loads(line) for line in result.output.strip().splitlines())
    assert first["event"] == "session" and first["session_id"] in first["qr_text"]
    assert last["event"] == "approved" and last["id_number"] == KNOWN_RESIDENT and last["level"] == 2
    assert last["session_id"] == first["session_id"] and last["date_of_birth"] == "1990-02-15"


def test_text_output_shows_a_qr_and_masks_the_id(auto_sim: Sim) -> None:
    """Without --json: a terminal QR and the QR text, then the identity with the ID masked."""
    result = _run(auto_sim.url, "--hint", KNOWN_RESIDENT, "--wait", "5")
    assert result.exit_code == 0, result.output
    assert "vneid://signin?session=" in result.output and "█" in result.output
    assert "********2345" in result.output and KNOWN_RESIDENT not in result.output
    assert "Nguyễn Văn An" in result.output


def test_timeout_exits_1_and_cancels(auto_sim: Sim) -> None:
    """No approval within --wait: exit 1 with the 'timeout' outcome, and the session is cancelled."""
    result = _run(auto_sim.url, "--json", "--wait", "0.5")
    assert result.exit_code == 1, result.output
    first, last = (json.loads(line) for line in result.output.strip().splitlines())
    assert last == {"event": "refused", "session_id": first["session_id"], "error": "timeout",
                    "message": last["message"]}
    assert auto_sim.session_status(first["session_id"]) == "cancelled"


def test_expired_session_exits_1(tmp_path: Path) -> None:
    """A session that expires while the command waits: exit 1, outcome 'expired'."""
    sim = Sim(tmp_path, vneid_ttl_s=0.5)
    try:
        result = _run(sim.url, "--json", "--hint", KNOWN_RESIDENT, "--wait", "10")
        assert result.exit_code == 1
        assert json.loads(result.output.strip().splitlines()[-1])["error"] == "expired"
    finally:
        sim.stop()


def test_bad_hint_exits_2(auto_sim: Sim) -> None:
    """A hint that is not a 12-digit ID number is bad input: exit 2, nothing opened."""
    result = _run(auto_sim.url, "--hint", "12AB")
    assert result.exit_code == 2
    assert auto_sim.admin("GET", "/vneid/sessions").json() == []


def test_unreachable_portal_exits_3(kiosk_home: Path) -> None:
    """No portal at the configured URL: exit 3 (the project's portal-unreachable code)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _run(f"http://127.0.0.1:{port}", "--json")
    assert result.exit_code == 3, result.output
