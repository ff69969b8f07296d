"""Settings: defaults, file, environment and flags, in that order, each bad value named."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import documented_defaults, load_settings
from kiosk.errors import SettingsError


def test_no_file_means_demo_defaults(kiosk_home: Path) -> None:
    """A fresh machine with no settings file runs the embedded demo: virtual card, simulator."""
    settings = load_settings(environ={})
    assert settings.kiosk.demo is True
    assert settings.card.backend == "virtual"
    assert settings.portal.url == ""
    assert settings.source_file is None


def test_paths_follow_xdg(kiosk_home: Path) -> None:
    """Data, config, state and cache directories follow the XDG variables (platformdirs)."""
    settings = load_settings()
    assert str(settings.data_dir).startswith(str(kiosk_home))
    assert str(settings.log_dir).startswith(str(kiosk_home / "xdg-state"))
    assert settings.database_path.name == "kiosk.db"


def test_precedence_file_env_flag(kiosk_home: Path, tmp_path: Path) -> None:
    """The file beats the defaults, the environment beats the file, --set beats both."""
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\ndemo = false\n[portal]\nurl = "https://file.example"\n'
                      '[card]\nbackend = "pcsc"\n[ui]\nidle_timeout_s = 120\n', encoding="utf-8")
    settings = load_settings(config_file=config, environ={})
    assert (settings.kiosk.demo, settings.portal.url, settings.ui.idle_timeout_s) == (
        False, "https://file.example", 120)
    settings = load_settings(config_file=config, environ={"KIOSK_PORTAL_URL": "https://env.example"})
    assert settings.portal.url == "https://env.example"
    settings = load_settings(config_file=config, environ={"KIOSK_PORTAL_URL": "https://env.example"},
                             overrides={"portal.url": "https://flag.example"})
    assert settings.portal.url == "https://flag.example"


def test_demo_switch_from_environment(kiosk_home: Path, tmp_path: Path) -> None:
    """KIOSK_DEMO=1 selects the embedded defaults even when a settings file exists."""
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\ndemo = false\n[portal]\nurl = "https://x.example"\n', encoding="utf-8")
    assert load_settings(config_file=config, environ={"KIOSK_DEMO": "1"}).card.backend == "virtual"


def test_every_bad_value_is_named(kiosk_home: Path, tmp_path: Path) -> None:
    """Validation reports each problem with where it came from, not just the first one."""
    config = tmp_path / "kiosk.toml"
    config.write_text('[ui]\nlanguage = "fr"\nidle_warning_s = 5\nmystery = 1\n[nosuch]\n',
                      encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(config_file=config, environ={"KIOSK_STORE_RETENTION_DAYS": "soon"})
    text = str(caught.value)
    for expected in ("ui.language", "ui.idle_warning_s", "ui.mystery", "[nosuch]",
                     "KIOSK_STORE_RETENTION_DAYS"):
        assert expected in text
    assert caught.value.exit_code == 2


def test_outside_demo_a_portal_is_required(kiosk_home: Path, tmp_path: Path) -> None:
    """A provisioned kiosk without a portal URL or with the virtual card is refused clearly."""
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\ndemo = false\n[card]\nbackend = "virtual"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(config_file=config, environ={})
    assert "demo mode only" in str(caught.value)


def test_missing_or_broken_file(kiosk_home: Path, tmp_path: Path) -> None:
    """An explicit file that is missing or not TOML is an error, never silently ignored."""
    with pytest.raises(SettingsError, match="not found"):
        load_settings(config_file=tmp_path / "nope.toml", environ={})
    broken = tmp_path / "broken.toml"
    broken.write_text("[ui\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(config_file=broken, environ={})


def test_documented_defaults_load_back(kiosk_home: Path, tmp_path: Path) -> None:
    """`kiosk config defaults` is a valid settings file that reproduces the defaults."""
    config = tmp_path / "kiosk.toml"
    config.write_text(documented_defaults(), encoding="utf-8")
    settings = load_settings(config_file=config, environ={}, demo=True)
    assert settings.ui.idle_warning_s >= 20
