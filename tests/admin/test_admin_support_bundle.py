"""`kiosk logs export`: logs, doctor report and settings in one archive, with nothing secret."""

from __future__ import annotations

import json
import logging
import sys
import tarfile
import threading

import pytest
from click.testing import CliRunner

from kiosk.admin.support_bundle import export_bundle, redacted_settings
from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.errors import BadInput


def members(path) -> dict[str, bytes]:
    with tarfile.open(path) as bundle:
        return {m.name.split("/", 1)[1]: bundle.extractfile(m).read()
                for m in bundle.getmembers() if m.isfile()}


def test_bundle_holds_redacted_logs_doctor_and_settings(kiosk_home, tmp_path, monkeypatch):
    """Logs written through the kiosk's logger come out redacted; secrets are removed."""
    from kiosk.logs import configure_logging

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)

    secret = tmp_path / "passphrase.txt"
    settings = load_settings(demo=True, overrides={"store.key_passphrase_file": str(secret),
                                                   "portal.client_key": "/secret/device.key"})
    configure_logging(settings.log_dir)
    logging.getLogger("kiosk.test").warning("lookup for 079301004321 phone 0912345678 done")
    for handler in logging.getLogger().handlers:
        handler.flush()
    # A line that bypassed the formatter (another tool wrote it): redacted at export too.
    with (settings.log_dir / "kiosk.log.1").open("w", encoding="utf-8") as handle:
        handle.write('{"message": "resident 001203004567 at the counter"}\n')
    usb = tmp_path / "usb"
    usb.mkdir()
    path = export_bundle(settings, usb, doctor_json='{"worst": "ok"}')
    content = members(path)
    assert set(content) == {"logs/kiosk.log", "logs/kiosk.log.1", "doctor.json", "settings.json",
                            "manifest.json"}
    everything = b"".join(content.values()).decode("utf-8")
    for personal in ("079301004321", "0912345678", "001203004567"):
        assert personal not in everything
    exported = json.loads(content["settings.json"])
    assert exported["store"]["key_passphrase_file"] == "[removed]"
    assert exported["portal"]["client_key"] == "[removed]"
    assert exported["kiosk"]["kiosk_id"] == settings.kiosk.kiosk_id
    manifest = json.loads(content["manifest.json"])
    assert set(manifest["files"]) >= {f"{path.name[:-7]}/doctor.json"}
    assert [p.name for p in usb.iterdir()] == [path.name]


def test_secret_names_are_removed_but_empty_values_kept(demo_settings):
    """Only non-empty secret-bearing values are replaced, so support sees what is unset."""
    data = redacted_settings(demo_settings)
    assert data["portal"]["client_key"] == ""
    assert data["portal"]["url"] == demo_settings.portal.url


def test_missing_folder_is_a_clear_error(demo_settings, tmp_path):
    """Exporting to a folder that does not exist says to mount the stick."""
    with pytest.raises(BadInput, match="USB"):
        export_bundle(demo_settings, tmp_path / "not-mounted")


def test_logs_export_command(kiosk_home, tmp_path):
    """`kiosk logs export --to DIR` prints the bundle's path and includes the doctor report."""
    usb = tmp_path / "usb"
    usb.mkdir()
    result = CliRunner().invoke(main, ["--demo", "--set", "store.key_backend=keyfile",
                                       "logs", "export", "--to", str(usb)])
    assert result.exit_code == 0, result.output
    content = members(result.output.strip())
    assert json.loads(content["doctor.json"])["findings"]
