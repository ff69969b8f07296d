"""Build the Debian package once per session (uncompressed, hard-linked: about 10 s)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_deb", REPO / "packaging" / "build_deb.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_deb"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def builder():
    return _load_builder()


@pytest.fixture(scope="session")
def built_package(tmp_path_factory, builder):
    """(deb path, release tar path, update root bytes) from one real build."""
    if shutil.which("dpkg-deb") is None or not Path("/usr/bin/python3").exists():
        pytest.skip("dpkg-deb and Debian's python3 are needed to build the package")
    out = tmp_path_factory.mktemp("deb")
    root_file = out / "update-root.json"
    root_file.write_text('{"signed": {"_type": "root"}, "signatures": []}', encoding="utf-8")
    release_tar = out / "kiosk-release.tar"
    deb = builder.build(out, update_root=root_file, compression="none", release_tar=release_tar)
    return deb, release_tar, root_file.read_bytes()


@pytest.fixture(scope="session")
def unpacked(built_package, tmp_path_factory) -> Path:
    """The package's files extracted into a throwaway root with dpkg -x."""
    root = tmp_path_factory.mktemp("throwaway-root")
    subprocess.run(["dpkg", "-x", str(built_package[0]), str(root)], check=True)
    return root
