"""Build the kiosk's Debian package: a self-contained release under /opt/kiosk.

``make package`` runs ``.venv/bin/python packaging/build_deb.py --out dist``.

The release (``/opt/kiosk/releases/<version>``) holds its own virtual environment made
with Debian's ``python3`` (so the interpreter is a package dependency and security
updates reach it), filled from the build machine's already installed, already built
distributions — the kiosk's runtime dependency closure read from their metadata — so a
build downloads nothing. The kiosk itself goes in as a wheel built from the checkout.
The same folder, tarred, is what a signed TUF update ships (``--release-tar``).

Usage: build_deb.py --out DIR [--update-root FILE] [--compression xz|gzip|none]
                    [--release-tar FILE]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from packaging.requirements import Requirement

PACKAGING = Path(__file__).resolve().parent
REPO = PACKAGING.parent
DEB_PYTHON = "/usr/bin/python3"
# Beyond scripts/apt-run.txt (the runtime libraries the kiosk itself needs).
# (init-system-helpers and util-linux, for deb-systemd-helper and runuser, are Essential.)
EXTRA_DEPENDS = ["libc6", "python3.11", "cage", "systemd"]
# Files of third-party distributions that have no place in an installed release.
SKIPPED_NAMES = {".gitignore", ".gitattributes", ".hgignore"}


class BuildError(Exception):
    pass


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_closure(root: str = "kiosk") -> list[importlib.metadata.Distribution]:
    """The installed distributions ``root`` needs at run time (no extras), without ``root``."""
    seen: dict[str, importlib.metadata.Distribution] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        if _normal(name) in seen:
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError as error:
            raise BuildError(f"{name} is not installed in the build environment; "
                             "run `make` first") from error
        seen[_normal(name)] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            pending.append(requirement.name)
    return [dist for key, dist in seen.items() if key != _normal(root)]


def _place(source: Path, target: Path) -> None:
    """Hard-link when possible (same disk: instant, no space), else copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return  # shared by two distributions (PySide6/__init__.py): same bytes
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def copy_distribution(dist: importlib.metadata.Distribution, site: Path) -> int:
    count = 0
    for entry in dist.files or []:
        if entry.parts and entry.parts[0] == "..":
            continue  # console scripts of the build venv: absolute shebangs, not wanted
        source = Path(dist.locate_file(entry))
        if source.is_file() and "__pycache__" not in entry.parts and entry.name not in SKIPPED_NAMES:
            _place(source, site / entry)
            count += 1
    return count


def build_kiosk_wheel(work: Path) -> Path:
    """Build the kiosk wheel from a copy of the checkout (keeps the checkout clean)."""
    source = work / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".venv", "build")
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, source / name)
    for package in ("kiosk", "portal_sim"):
        shutil.copytree(REPO / package, source / package, ignore=ignore)
    wheels = work / "wheels"
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                             "--no-build-isolation", "--quiet", "--wheel-dir", str(wheels),
                             str(source)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildError(f"building the kiosk wheel failed:\n{result.stderr[-2000:]}")
    built = list(wheels.glob("kiosk-*.whl"))
    if len(built) != 1:
        raise BuildError("the kiosk wheel was not built")
    return built[0]


def make_release(release: Path, work: Path) -> None:
    """A complete release folder: venv, kiosk, resources, docs, launcher."""
    subprocess.run([DEB_PYTHON, "-m", "venv", "--without-pip", str(release / "venv")], check=True)
    deb_minor = subprocess.run([DEB_PYTHON, "-c", "import sys; print(sys.version_info[1])"],
                               capture_output=True, text=True, check=True).stdout.strip()
    if deb_minor != str(sys.version_info[1]):
        raise BuildError(f"Debian's python3 is 3.{deb_minor} but the build environment is "
                         f"3.{sys.version_info[1]}: the compiled wheels would not load")
    site = release / "venv" / "lib" / f"python3.{deb_minor}" / "site-packages"
    for dist in runtime_closure():
        copy_distribution(dist, site)
    with zipfile.ZipFile(build_kiosk_wheel(work)) as wheel:
        wheel.extractall(site)
    # kiosk.config finds resources/ beside the kiosk package (REPO_ROOT / "resources").
    shutil.copytree(REPO / "resources", site / "resources", copy_function=shutil.copy2)
    if (REPO / "docs").is_dir():
        shutil.copytree(REPO / "docs", release / "docs")
    launcher = release / "bin" / "kiosk"
    launcher.parent.mkdir(parents=True)
    shutil.copy2(PACKAGING / "bin" / "release-launcher", launcher)
    launcher.chmod(0o755)


def _install(source: Path, target: Path, mode: int = 0o644) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(mode)


def _install_gzipped(data: bytes, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    target.chmod(0o644)


def _depends() -> str:
    names = []
    for line in (REPO / "scripts" / "apt-run.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and line not in names:
            names.append(line)
    return ", ".join(names + [n for n in EXTRA_DEPENDS if n not in names])


def _tree_size_kib(root: Path) -> int:
    total = sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir())
    return max(1, total // 1024)


def write_control(root: Path, version: str) -> None:
    debian = root / "DEBIAN"
    debian.mkdir(mode=0o755)
    sums = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(root)
        if relative.parts[0] == "DEBIAN":
            continue
        sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {relative}\n")  # noqa: S324
    (debian / "md5sums").write_text("".join(sums), encoding="utf-8")
    (debian / "md5sums").chmod(0o644)
    control = (PACKAGING / "debian" / "control.in").read_text(encoding="utf-8")
    control = control.replace("@VERSION@", version).replace("@DEPENDS@", _depends())
    control = control.replace("@INSTALLED_SIZE@", str(_tree_size_kib(root)))
    (debian / "control").write_text(control, encoding="utf-8")
    (debian / "control").chmod(0o644)
    for script in ("postinst", "prerm", "postrm"):
        text = (PACKAGING / "debian" / script).read_text(encoding="utf-8")
        (debian / script).write_text(text.replace("@VERSION@", version), encoding="utf-8")
        (debian / script).chmod(0o755)


def stage(root: Path, version: str, update_root: Path | None, work: Path) -> Path:
    """Lay out the whole package tree under ``root``; return the release folder."""
    release = root / "opt" / "kiosk" / "releases" / version
    make_release(release, work)
    _install(PACKAGING / "environment", root / "opt" / "kiosk" / "environment")
    if update_root is not None:
        _install(update_root, root / "opt" / "kiosk" / "trust" / "update-root.json")
    _install(PACKAGING / "bin" / "kiosk", root / "usr" / "bin" / "kiosk", 0o755)
    for unit in sorted((PACKAGING / "systemd").glob("*.service")):
        _install(unit, root / "lib" / "systemd" / "system" / unit.name)
    _install(PACKAGING / "tmpfiles" / "kiosk.conf", root / "usr" / "lib" / "tmpfiles.d" / "kiosk.conf")
    _install(PACKAGING / "sysusers" / "kiosk.conf", root / "usr" / "lib" / "sysusers.d" / "kiosk.conf")
    _install(PACKAGING / "polkit" / "50-kiosk-pcscd.rules",
             root / "usr" / "share" / "polkit-1" / "rules.d" / "50-kiosk-pcscd.rules")
    doc = root / "usr" / "share" / "doc" / "kiosk"
    _install(PACKAGING / "debian" / "copyright", doc / "copyright")
    changelog = (f"kiosk ({version}) bookworm; urgency=medium\n\n  * Release {version}.\n\n"
                 " -- Kiosk team <kiosk-team@example.invalid>  Sun, 22 Nov 2026 00:00:00 +0000\n")
    _install_gzipped(changelog.encode(), doc / "changelog.gz")  # native package: changelog.gz
    _install_gzipped((PACKAGING / "kiosk.1").read_bytes(),
                     root / "usr" / "share" / "man" / "man1" / "kiosk.1.gz")
    _install(PACKAGING / "lintian-overrides", root / "usr" / "share" / "lintian" / "overrides"
             / "kiosk")
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir() and not p.is_symlink())]:
        folder.chmod(0o755)
    write_control(root, version)
    return release


def build(out_dir: Path, *, version: str | None = None, update_root: Path | None = None,
          compression: str = "xz", release_tar: Path | None = None) -> Path:
    """Build ``kiosk_<version>_amd64.deb`` into ``out_dir``; return its path."""
    if version is None:
        from kiosk import __version__ as version
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="kiosk-deb-", dir=out_dir))
    try:
        root = work / "root"
        release = stage(root, version, update_root, work)
        if release_tar is not None:
            mode = "w:gz" if release_tar.name.endswith(".gz") else "w"
            with tarfile.open(release_tar, mode) as bundle:
                for child in sorted(release.iterdir()):
                    bundle.add(child, arcname=child.name)
        deb = out_dir / f"kiosk_{version}_amd64.deb"
        subprocess.run(["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build",
                        str(root), str(deb)], check=True, stdout=subprocess.DEVNULL)
        return deb
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the .deb")
    parser.add_argument("--version", help="package version (default: the kiosk's)")
    parser.add_argument("--update-root", type=Path,
                        help="TUF root metadata to embed (default: packaging/trust/update-root.json)")
    parser.add_argument("--compression", default="xz", choices=("xz", "gzip", "none"))
    parser.add_argument("--release-tar", type=Path,
                        help="also write the release folder as a tar.gz (a TUF update target)")
    args = parser.parse_args(argv)
    update_root = args.update_root or PACKAGING / "trust" / "update-root.json"
    if not update_root.exists():
        print(f"warning: {update_root} missing: the package will refuse signed updates until "
              "a root is installed at /opt/kiosk/trust/update-root.json", file=sys.stderr)
        update_root = None
    try:
        deb = build(args.out, version=args.version, update_root=update_root,
                    compression=args.compression, release_tar=args.release_tar)
    except (BuildError, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(deb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
