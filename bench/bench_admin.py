"""Benchmark of the technician tools: doctor, signed update check/apply, PIN hash, log export.

Figures (seconds on this machine unless named otherwise):
- ``doctor_s``: a full ``kiosk doctor`` on the demo defaults with a seeded store;
- ``update_check_s`` / ``update_apply_s``: TUF refresh + index, and a full apply of a
  small release (download, hash check, unpack, health check, atomic switch), from a
  loopback HTTP repository; ``update_requests_per_apply``: HTTP requests one apply makes;
- ``update_attacks_rejected``: of the four attacks (tampered target, downgrade, expired
  metadata, foreign root), how many were rejected with the install left unchanged;
- ``pin_verify_s``: one technician PIN check (scrypt, the brute-force cost per guess);
- ``support_bundle_s`` and ``support_bundle_bytes``;
- full run only: ``package_build_s`` (uncompressed .deb, hard-linked venv) and
  ``package_installed_mib``.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _tuf_repository_module():
    path = REPO / "tests" / "admin" / "tuf_repository.py"
    spec = importlib.util.spec_from_file_location("bench_tuf_repository", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    requests = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        type(self).requests += 1
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_CountingHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _settings(home: Path, **overrides: str):
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        os.environ[f"XDG_{name}_HOME"] = str(home / name.lower())
    from kiosk.config import load_settings

    return load_settings(demo=True, overrides={"store.key_backend": "keyfile", **overrides})


def _install_root(base: Path, tufrepo):
    from kiosk.admin.releases import InstallRoot

    install = InstallRoot(base / "opt-kiosk")
    archive = base / "old.tar.gz"
    archive.write_bytes(tufrepo.release_archive("0.1.0"))
    install.stage("0.1.0", archive)
    install.switch_to("0.1.0")
    install.confirm_healthy()
    return install


def _state(install) -> dict:
    return {str(p): (os.readlink(p) if p.is_symlink() else p.is_file())
            for p in sorted(install.root.rglob("*"))}


def _attack_rejected(base: Path, tufrepo, attack: str) -> bool:
    from kiosk.admin import update
    from kiosk.admin.errors import UpdateRejected

    base.mkdir(parents=True)
    install = _install_root(base, tufrepo)
    repo = tufrepo.TufRepository(base / "repo")
    repo.add_release("0.0.9" if attack == "downgrade" else "0.2.0")
    repo.publish(expires_in=timedelta(days=-1) if attack == "expired" else None)
    trusted = tufrepo.TufRepository(base / "other") if attack == "foreign-root" else repo
    if attack == "tampered":
        target = repo.folder / "targets" / "kiosk-0.2.0.tar.gz"
        data = target.read_bytes()
        target.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    (base / "root.json").write_bytes(trusted.root_bytes())
    server, url = _serve(repo.folder)
    settings = _settings(base / "home", **{"admin.install_root": str(install.root),
                                           "admin.update_root": str(base / "root.json"),
                                           "admin.update_url": url})
    before = _state(install)
    try:
        update.apply(settings)
    except UpdateRejected:
        return _state(install) == before
    finally:
        server.shutdown()
        server.server_close()
    return False


def run(quick: bool = False) -> dict:
    from kiosk.admin import doctor, update
    from kiosk.admin.support_bundle import export_bundle
    from kiosk.admin.technician import TechnicianGate

    tufrepo = _tuf_repository_module()
    work = Path(tempfile.mkdtemp(prefix="bench-admin-"))
    saved_env = {k: os.environ.get(k) for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME",
                                                 "XDG_STATE_HOME", "XDG_CACHE_HOME")}
    results: dict = {}
    try:
        settings = _settings(work / "home")
        from kiosk.store import open_configured_store

        open_configured_store(settings).close()
        started = time.perf_counter()
        report = doctor.run(settings)
        results["doctor_s"] = round(time.perf_counter() - started, 3)
        results["doctor_checks"] = len(report.findings)

        repo = tufrepo.TufRepository(work / "repo")
        repo.add_release("0.2.0")
        repo.publish()
        (work / "root.json").write_bytes(repo.root_bytes())
        install = _install_root(work, tufrepo)
        server, url = _serve(repo.folder)
        try:
            upd = _settings(work / "home-upd", **{"admin.install_root": str(install.root),
                                                  "admin.update_root": str(work / "root.json"),
                                                  "admin.update_url": url})
            started = time.perf_counter()
            update.check(upd)
            results["update_check_s"] = round(time.perf_counter() - started, 3)
            shutil.rmtree(upd.data_dir / "updates")
            _CountingHandler.requests = 0
            started = time.perf_counter()
            update.apply(upd)
            results["update_apply_s"] = round(time.perf_counter() - started, 3)
            results["update_requests_per_apply"] = _CountingHandler.requests
        finally:
            server.shutdown()
            server.server_close()

        attacks = ["tampered", "downgrade", "expired", "foreign-root"]
        rejected = sum(_attack_rejected(work / f"attack-{a}", tufrepo, a) for a in attacks)
        results["update_attacks_rejected"] = rejected
        results["update_attacks_total"] = len(attacks)

        gate = TechnicianGate(work / "pin.json")
        gate.set_pin("730519")
        trials = 2 if quick else 10
        started = time.perf_counter()
        for _ in range(trials):
            gate.sign_in("730519")
        results["pin_verify_s"] = round((time.perf_counter() - started) / trials, 4)

        usb = work / "usb"
        usb.mkdir()
        started = time.perf_counter()
        bundle = export_bundle(settings, usb, report.as_json())
        results["support_bundle_s"] = round(time.perf_counter() - started, 3)
        results["support_bundle_bytes"] = bundle.stat().st_size

        if not quick and shutil.which("dpkg-deb"):
            spec = importlib.util.spec_from_file_location("build_deb",
                                                          REPO / "packaging" / "build_deb.py")
            builder = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(builder)
            started = time.perf_counter()
            deb = builder.build(work / "deb", compression="none")
            results["package_build_s"] = round(time.perf_counter() - started, 2)
            size = subprocess.run(["dpkg-deb", "--field", str(deb), "Installed-Size"],
                                  capture_output=True, text=True, check=True).stdout
            results["package_installed_mib"] = round(int(size) / 1024, 1)
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(work, ignore_errors=True)
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
