"""The `kiosk` command's frame: help, version, exit codes, config and shots."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kiosk import __version__
from kiosk.cli import main


def test_version_and_help(kiosk_home: Path) -> None:
    """`kiosk --version` prints the version; `--help` lists run, shots and config."""
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output.strip().endswith(__version__)
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "shots", "config"):
        assert command in result.output


def test_bad_usage_exits_2(kiosk_home: Path) -> None:
    """Unknown commands, bad --set syntax and invalid settings all exit with 2."""
    runner = CliRunner()
    assert runner.invoke(main, ["no-such-command"]).exit_code == 2
    assert runner.invoke(main, ["--set", "nodot", "config", "show"]).exit_code == 2
    result = runner.invoke(main, ["--set", "ui.language=fr", "config", "show"])
    assert result.exit_code == 2
    assert "ui.language" in result.output


def test_config_show_json_reflects_environment(kiosk_home: Path, monkeypatch) -> None:
    """`kiosk config show --json` prints the settings in force, environment included."""
    monkeypatch.setenv("KIOSK_UI_IDLE_TIMEOUT_S", "75")
    result = CliRunner().invoke(main, ["config", "show", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ui"]["idle_timeout_s"] == 75
    assert data["kiosk"]["demo"] is True


def test_shots_render_both_languages(kiosk_home: Path, tmp_path: Path) -> None:
    """`kiosk shots` writes a PNG of every screen in Vietnamese and English."""
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "kiosk", "shots", "--out", str(out)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    names = {path.name for path in out.glob("*.png")}
    for language in ("vi", "en"):
        for screen in ("attract", "identify", "consent", "reading", "timeout-warning"):
            assert f"{language}-{screen}.png" in names
    assert (out / "vi-attract.png").read_bytes() != (out / "en-attract.png").read_bytes()
    assert (out / "vi-attract.png").stat().st_size > 10_000
