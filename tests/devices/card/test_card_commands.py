"""`kiosk card read` and `kiosk card readers`: output and exit codes (0, 2, 3, 4)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kiosk.cli import main

QR = "001090012345||Nguyễn Văn An|15021990|Nam|Hà Nội|10052021"


def _run(*args: str):  # noqa: ANN202
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_read_virtual_card_json(kiosk_home, tmp_path) -> None:
    """--virtual with --qr prints fields with sources, the verdict, access, counters; the
    photo is written with --photo-out; demo mode trusts the TEST CSCA (exit 0)."""
    photo = tmp_path / "face.jpg"
    result = _run("--demo", "card", "read", "--virtual", "001090012345", "--qr", QR, "--json",
                  "--photo-out", str(photo))
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["fields"]["full_name"] == {"value": "Nguyễn Văn An", "source": "DG13.2",
                                               "verified": True}
    assert document["authenticity"]["status"] == "genuine"
    assert document["access"] == "PACE" and document["apdus"] > 0 and document["bytes"] > 20000
    assert photo.read_bytes()[:2] == b"\xff\xd8"


def test_read_with_typed_id_and_empty_trust_store(kiosk_home, tmp_path) -> None:
    """--id/--dob/--issued work; an empty --trust-store gives "untrusted_issuer", exit 0."""
    store = tmp_path / "trust"
    store.mkdir()
    result = _run("card", "read", "--virtual", "001090012345", "--id", "001090012345",
                  "--dob", "15/02/1990", "--issued", "10/05/2021", "--trust-store", str(store),
                  "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["authenticity"]["status"] == "untrusted_issuer"


@pytest.mark.parametrize("args, words", [
    (("--qr", "not a qr"), "fields"),
    (("--id", "001090012345", "--dob", "31/02/1990"), "--dob"),
    (("--id", "0010900123", "--dob", "15/02/1990"), "12 digits"),
    (("--id", "001090012345"), "--dob"),
])
def test_bad_input_exits_2_with_a_message(kiosk_home, args: tuple[str, ...], words: str) -> None:
    """Bad QR, bad date, bad ID or a missing date: exit 2 and a message naming it."""
    result = CliRunner().invoke(main, ["card", "read", "--virtual", "001090012345", *args])
    assert result.exit_code == 2
    assert words in result.output


def test_wrong_key_exits_3(kiosk_home) -> None:
    """A QR of another resident sharing nothing with the card: access denied, exit 3."""
    result = CliRunner().invoke(main, ["card", "read", "--virtual", "001090012345", "--qr",
                                       "001090099999||X|15021990|Nam|Y|10052021"])
    assert result.exit_code == 3
    assert "refused" in result.output


def test_human_output_names_sources(kiosk_home) -> None:
    """The default output lists each field with its source and the verdict."""
    result = _run("--demo", "card", "read", "--virtual", "001090012345", "--qr", QR)
    assert result.exit_code == 0
    assert "[DG13.2 ✓]" in result.output and "Authenticity: genuine" in result.output


def test_readers_without_pcscd_exits_4(kiosk_home) -> None:
    """No pcscd: `kiosk card readers` says so and exits 4."""
    from pcscd_process import pcscd_running as _pcscd_running

    if _pcscd_running():
        pytest.skip("a pcscd is running (e.g. the vicc fixture)")
    result = CliRunner().invoke(main, ["card", "readers"])
    assert result.exit_code == 4
    assert "pcscd" in result.output
