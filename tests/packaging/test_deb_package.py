"""The Debian package: control file, contents, units, and a kiosk that runs from it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from kiosk import __version__

RELEASE = f"opt/kiosk/releases/{__version__}"


def dpkg_field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "--field", str(deb), name], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_control_file_declares_runtime_dependencies(built_package):
    """Depends names pcscd, cage, fonts, Debian's python and the Qt runtime libraries."""
    deb = built_package[0]
    assert dpkg_field(deb, "Package") == "kiosk"
    assert dpkg_field(deb, "Version") == __version__
    assert dpkg_field(deb, "Architecture") == "amd64"
    depends = {d.strip() for d in dpkg_field(deb, "Depends").split(",")}
    assert {"pcscd", "cage", "fonts-noto-core", "python3.11", "libpcsclite1", "libegl1",
            "libxkbcommon0", "systemd"} <= depends
    assert int(dpkg_field(deb, "Installed-Size")) > 10_000


def test_package_contents(built_package):
    """The release, its launcher and venv, the units, tmpfiles, sysusers and the update root."""
    listing = subprocess.run(["dpkg-deb", "--contents", str(built_package[0])],
                             capture_output=True, text=True, check=True).stdout
    paths = {line.split()[5].lstrip(".").rstrip("/") for line in listing.splitlines()}
    for expected in (f"/{RELEASE}/bin/kiosk", f"/{RELEASE}/venv/pyvenv.cfg",
                     "/opt/kiosk/trust/update-root.json", "/opt/kiosk/environment",
                     "/usr/bin/kiosk", "/lib/systemd/system/kiosk.service",
                     "/lib/systemd/system/kiosk-rollback.service",
                     "/usr/lib/tmpfiles.d/kiosk.conf", "/usr/lib/sysusers.d/kiosk.conf",
                     "/usr/share/doc/kiosk/copyright"):
        assert expected in paths, expected
    assert not any("__pycache__" in p for p in paths)
    assert not any(p.endswith(("site-packages/_pytest", "site-packages/hypothesis",
                               "site-packages/ruff")) for p in paths), "dev tools leaked in"
    assert any(p.endswith("site-packages/PySide6") for p in paths)
    scripts = subprocess.run(["dpkg-deb", "--info", str(built_package[0])], capture_output=True,
                             text=True, check=True).stdout
    assert "postinst" in scripts and "postrm" in scripts


def test_units_are_notify_watchdog_and_cage_without_vt_switching(unpacked):
    """kiosk.service: Type=notify, WatchdogSec, Restart=on-failure with start limits, cage -s off."""
    unit = (unpacked / "lib/systemd/system/kiosk.service").read_text()
    for line in ("Type=notify", "NotifyAccess=all", "WatchdogSec=30s", "Restart=on-failure",
                 "StartLimitIntervalSec=600", "StartLimitBurst=5", "User=kiosk",
                 "PAMName=login", "OnFailure=kiosk-rollback.service"):
        assert line in unit.splitlines(), line
    exec_start = next(x for x in unit.splitlines() if x.startswith("ExecStart="))
    assert exec_start.startswith("ExecStart=/usr/bin/cage ") and " -s " not in exec_start
    assert "ExecStartPre=+/opt/kiosk/current/bin/kiosk update boot-check" in unit
    tmpfiles = (unpacked / "usr/lib/tmpfiles.d/kiosk.conf").read_text()
    assert "d /var/lib/kiosk   0700 kiosk kiosk" in tmpfiles
    assert (unpacked / "usr/lib/sysusers.d/kiosk.conf").read_text().count("u kiosk") == 1


def _kiosk(unpacked: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the packaged release's launcher with a clean environment (Debian's python3)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "KIOSK_ADMIN_INSTALL_ROOT": str(unpacked / "opt/kiosk"),
           **{f"XDG_{n}_HOME": str(home / n.lower()) for n in ("DATA", "CONFIG", "STATE", "CACHE")}}
    return subprocess.run([str(unpacked / RELEASE / "bin/kiosk"), *args], capture_output=True,
                          text=True, env=env, timeout=60, check=False)


def test_installed_kiosk_runs_version_and_doctor(unpacked, tmp_path):
    """From the throwaway root, `kiosk --version` and `kiosk doctor --json` work."""
    os.symlink(f"releases/{__version__}", unpacked / "opt/kiosk/current")  # what postinst does
    try:
        version = _kiosk(unpacked, tmp_path, "--version")
        assert version.returncode == 0, version.stderr
        assert version.stdout.split()[-1] == __version__
        report = _kiosk(unpacked, tmp_path, "doctor", "--json")
        data = json.loads(report.stdout)
        assert report.returncode in (0, 1), report.stderr
        versions = next(f for f in data["findings"] if f["check"] == "versions")["details"]
        assert versions["qt_pyside6"] and versions["sqlcipher"]
        release = next(f for f in data["findings"] if f["check"] == "release")
        assert release["details"]["current"] == __version__
    finally:
        (unpacked / "opt/kiosk/current").unlink()


def test_release_tar_is_a_valid_update_payload(built_package, tmp_path):
    """The release folder shipped as an update unpacks beside others and passes the health check."""
    from kiosk.admin.releases import InstallRoot

    install = InstallRoot(tmp_path / "opt-kiosk")
    install.stage(__version__, built_package[1])
    install.health_check(__version__)
    install.switch_to(__version__)
    assert install.current_version() == __version__


def test_units_pass_systemd_analyze_verify(unpacked):
    """systemd accepts every directive of the shipped units (binaries absent here are allowed)."""
    import shutil

    import pytest

    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze not installed")
    units = sorted(str(p) for p in (unpacked / "lib/systemd/system").glob("*.service"))
    result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True,
                            text=True, timeout=60, check=False)
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if line.strip() and "is not executable: No such file or directory" not in line]
    assert problems == []
