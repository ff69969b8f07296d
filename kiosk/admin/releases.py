"""The installed releases of the kiosk and the atomic switch between them.

Layout under the install root (``/opt/kiosk`` on a real kiosk)::

    releases/<version>/bin/kiosk   each release is self-contained (its own venv)
    current  -> releases/<version> the release systemd starts
    previous -> releases/<version> the release to go back to
    update-state.json              a switch not yet confirmed healthy

A new release is unpacked beside the old one, checked, then ``current`` is replaced with
``rename(2)``, which is atomic: a power cut leaves either the old or the new link, never
none. The switch stays "pending" until the new release confirms a healthy start; if it
does not within a few starts, :meth:`InstallRoot.boot_check` puts the previous one back.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from kiosk.admin.errors import ReleaseUnhealthy, UpdateRejected

log = logging.getLogger(__name__)

HEALTH_TIMEOUT_S = 60.0
MAX_UNCONFIRMED_STARTS = 3


def parse_version(text: str) -> Version:
    """A release version (PEP 440); a malformed one is a rejected update, not a crash."""
    try:
        return Version(text)
    except InvalidVersion as error:
        raise UpdateRejected(f"release version {text!r} is not a valid version number; "
                             "ask the update publisher to fix the release") from error


@dataclass(frozen=True)
class PendingSwitch:
    """A switch to ``version`` that has not yet confirmed a healthy start."""

    version: str
    previous: str | None
    starts: int


class InstallRoot:
    """The releases folder of one kiosk and its ``current``/``previous`` links."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.releases = self.root / "releases"
        self.current_link = self.root / "current"
        self.previous_link = self.root / "previous"
        self.state_file = self.root / "update-state.json"
        self.rolled_back_file = self.root / "rolled-back.json"

    # -- reading ---------------------------------------------------------------------
    def _link_version(self, link: Path) -> str | None:
        if not link.is_symlink():
            return None
        return Path(os.readlink(link)).name

    def current_version(self) -> str | None:
        return self._link_version(self.current_link)

    def previous_version(self) -> str | None:
        return self._link_version(self.previous_link)

    def installed_versions(self) -> list[str]:
        if not self.releases.is_dir():
            return []
        names = [p.name for p in self.releases.iterdir() if p.is_dir() and not p.name.startswith(".")]
        return sorted(names, key=lambda name: parse_version(name))

    def pending(self) -> PendingSwitch | None:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            log.warning("unreadable update state file; treating the switch as unconfirmed")
            return PendingSwitch(version=self.current_version() or "", previous=self.previous_version(),
                                 starts=MAX_UNCONFIRMED_STARTS)
        return PendingSwitch(version=data["version"], previous=data.get("previous"),
                             starts=int(data.get("starts", 0)))

    def rolled_back(self) -> set[str]:
        """Releases this kiosk already had to abandon; not to be installed again."""
        try:
            return set(json.loads(self.rolled_back_file.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return set()

    # -- changing --------------------------------------------------------------------
    def stage(self, version: str, archive: Path) -> Path:
        """Unpack a verified release archive into ``releases/<version>``; return that folder.

        Unpacking goes to a hidden temporary folder renamed into place at the end, so an
        interrupted unpack never looks like an installed release.
        """
        parse_version(version)
        self.releases.mkdir(parents=True, exist_ok=True)
        final = self.releases / version
        if version == self.current_version():
            raise UpdateRejected(f"release {version} is the running release; nothing to install")
        staging = Path(tempfile.mkdtemp(prefix=f".staging-{version}-", dir=self.releases))
        try:
            with tarfile.open(archive, "r:*") as bundle:
                # The archive was verified against the signed TUF metadata before this
                # point; the "tar" filter still refuses members that escape the folder.
                bundle.extractall(staging, filter="tar")
            launcher = staging / "bin" / "kiosk"
            if not launcher.is_file():
                raise UpdateRejected(f"release {version} has no bin/kiosk launcher; "
                                     "it is not a kiosk release")
            if final.exists():
                shutil.rmtree(final)
            os.rename(staging, final)
        except (tarfile.TarError, OSError) as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise UpdateRejected(f"release {version} could not be unpacked ({type(error).__name__}); "
                                 "download it again") from error
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return final

    def health_check(self, version: str) -> None:
        """Run the release's own launcher and require it to report ``version``.

        This proves the interpreter, the dependencies and the entry point of the new
        release load on this machine before any switch happens.
        """
        launcher = self.releases / version / "bin" / "kiosk"
        try:
            result = subprocess.run([str(launcher), "--version"], capture_output=True, text=True,
                                    timeout=HEALTH_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ReleaseUnhealthy(f"release {version} did not start ({type(error).__name__}); "
                                   "the running release was kept") from error
        if result.returncode != 0 or version not in result.stdout.split():
            raise ReleaseUnhealthy(f"release {version} failed its health check (exit "
                                   f"{result.returncode}); the running release was kept")

    def _point(self, link: Path, version: str) -> None:
        """Make ``link`` point at ``releases/<version>`` with one atomic rename."""
        temporary = link.with_name(f".{link.name}.new")
        if temporary.is_symlink() or temporary.exists():
            temporary.unlink()
        os.symlink(Path("releases") / version, temporary)
        os.replace(temporary, link)
        directory = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def switch_to(self, version: str) -> None:
        """Make ``version`` current, remember the old one as previous, mark the switch pending."""
        if not (self.releases / version / "bin" / "kiosk").is_file():
            raise UpdateRejected(f"release {version} is not installed")
        old = self.current_version()
        if old is not None and old != version:
            self._point(self.previous_link, old)
        self._point(self.current_link, version)
        self._write_state(PendingSwitch(version=version, previous=old, starts=0))
        log.info("switched current release to %s (previous %s)", version, old)

    def confirm_healthy(self) -> None:
        """Called once the running release has started well: the switch becomes final."""
        if self.state_file.exists():
            self.state_file.unlink()
            log.info("release %s confirmed healthy", self.current_version())

    def rollback(self) -> str:
        """Point ``current`` back at ``previous``; return the version now current."""
        previous = self.previous_version()
        if previous is None or not (self.releases / previous).is_dir():
            raise ReleaseUnhealthy("no previous release to roll back to; reinstall the package")
        failed = self.current_version()
        self._point(self.current_link, previous)
        if failed is not None:
            abandoned = sorted(self.rolled_back() | {failed})
            temporary = self.rolled_back_file.with_name(self.rolled_back_file.name + ".tmp")
            temporary.write_text(json.dumps(abandoned), encoding="utf-8")
            os.replace(temporary, self.rolled_back_file)
        if self.state_file.exists():
            self.state_file.unlink()
        log.warning("rolled back from release %s to %s", failed, previous)
        return previous

    def boot_check(self, max_starts: int = MAX_UNCONFIRMED_STARTS) -> str | None:
        """Count a start of an unconfirmed release; roll back once it has had its chances.

        Run before each start of the kiosk service (ExecStartPre). Returns the version
        rolled back to, or None when nothing had to change.
        """
        pending = self.pending()
        if pending is None:
            return None
        if pending.starts >= max_starts:
            return self.rollback()
        self._write_state(PendingSwitch(pending.version, pending.previous, pending.starts + 1))
        return None

    def prune(self) -> list[str]:
        """Remove every release except the current and the previous one; return what went."""
        protected = {self.current_version(), self.previous_version()}
        doomed = [v for v in self.installed_versions() if v not in protected]
        for version in doomed:
            shutil.rmtree(self.releases / version, ignore_errors=True)
        return doomed

    def _write_state(self, pending: PendingSwitch) -> None:
        temporary = self.state_file.with_name(self.state_file.name + ".tmp")
        temporary.write_text(json.dumps({"version": pending.version, "previous": pending.previous,
                                         "starts": pending.starts}), encoding="utf-8")
        os.replace(temporary, self.state_file)
