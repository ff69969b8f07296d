"""The publisher's tool makes repositories that `kiosk update` verifies and applies."""

from __future__ import annotations

import importlib.util
import io
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location(
        "update_repository", REPO / "packaging" / "update_repository.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["update_repository"] = module
    spec.loader.exec_module(module)
    return module


def release_tar(path: Path, version: str) -> Path:
    with tarfile.open(path, "w") as bundle:
        script = f"#!/bin/sh\necho 'kiosk, version {version}'\n".encode()
        info = tarfile.TarInfo("bin/kiosk")
        info.size, info.mode = len(script), 0o755
        bundle.addfile(info, io.BytesIO(script))
    return path


def test_published_release_applies_from_a_usb_copy(tool, kiosk_home, tmp_path):
    """init + publish, then the kiosk (trusting the new root) installs it; refresh keeps it valid."""
    from kiosk.admin import update
    from kiosk.admin.releases import InstallRoot
    from kiosk.config import load_settings

    repository = tool.Repository(tmp_path / "updates")
    root_file = repository.init()
    assert (repository.keys / "root.pem").stat().st_mode & 0o077 == 0
    repository.publish("0.1.0", release_tar(tmp_path / "a.tar", "0.1.0"))
    repository.publish("0.2.0", release_tar(tmp_path / "b.tar", "0.2.0"))
    repository.refresh()

    install = InstallRoot(tmp_path / "opt-kiosk")
    install.stage("0.1.0", release_tar(tmp_path / "old.tar", "0.1.0"))
    install.switch_to("0.1.0")
    install.confirm_healthy()
    settings = load_settings(demo=True, overrides={"admin.install_root": str(install.root),
                                                   "admin.update_root": str(root_file)})
    result = update.apply(settings, from_dir=repository.folder)
    assert result.installed == "0.2.0" and install.current_version() == "0.2.0"
    assert (repository.metadata / "timestamp.json").exists()
    assert tool.main(["refresh", str(repository.folder)]) == 0
    assert update.check(settings, from_dir=repository.folder).version == "0.2.0"
