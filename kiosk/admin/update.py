"""Signed updates with The Update Framework (TUF), from the portal or from a USB folder.

The trusted root metadata ships inside the install and is passed to
``tuf.ngclient.Updater`` as ``bootstrap`` (REFERENCE §7), so a repository can never
introduce its own keys. The repository holds two kinds of targets:

* ``kiosk-release.json``: ``{"version": "0.2.0", "archive": "kiosk-0.2.0.tar.gz"}``, the
  signed pointer to the newest release;
* the release archive itself (a tar.gz whose top level is the release folder, with a
  ``bin/kiosk`` launcher).

Both are downloaded through TUF, which checks signatures, expiry, version rollback of
the metadata, and the target's length and hashes. On top of that the kiosk refuses a
release that is not newer than the one running (a rollback attack with validly signed
old metadata cannot downgrade it). The trusted metadata is cached under the data
directory so metadata rollback is detected across runs and across both sources.
"""

from __future__ import annotations

import fcntl
import json
import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from tuf.api import exceptions as tuf_errors
from tuf.ngclient import FetcherInterface, Updater

from kiosk import __version__
from kiosk.admin.errors import UpdateRejected, UpdateUnavailable
from kiosk.admin.releases import InstallRoot, parse_version

log = logging.getLogger(__name__)

INDEX_TARGET = "kiosk-release.json"
INDEX_MAX_BYTES = 64 * 1024


class FolderFetcher(FetcherInterface):
    """Serves ``file://`` URLs from one folder (a technician's USB stick) and nothing else.

    TUF asks for ``N.root.json`` files that may not exist; it expects a 404 for those,
    so a missing file is reported as one.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).resolve()

    def _fetch(self, url: str) -> Iterator[bytes]:
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise tuf_errors.DownloadError(f"only file:// URLs are served from a folder, not {url}")
        path = Path(unquote(parsed.path)).resolve()
        if not path.is_relative_to(self.folder):
            raise tuf_errors.DownloadHTTPError("outside the update folder", 403)
        if not path.is_file():
            raise tuf_errors.DownloadHTTPError("not found", 404)
        return self._chunks(path)

    @staticmethod
    def _chunks(path: Path) -> Iterator[bytes]:
        with path.open("rb") as handle:
            while chunk := handle.read(64 * 1024):
                yield chunk


@dataclass(frozen=True)
class UpdateSource:
    """Where the TUF repository is: a base URL, or a folder with metadata/ and targets/."""

    metadata_url: str
    targets_url: str
    fetcher: FetcherInterface | None
    description: str

    @classmethod
    def from_url(cls, base_url: str) -> UpdateSource:
        base = base_url.rstrip("/")
        return cls(f"{base}/metadata/", f"{base}/targets/", None, base)

    @classmethod
    def from_folder(cls, folder: Path) -> UpdateSource:
        folder = Path(folder).resolve()
        if not (folder / "metadata").is_dir() or not (folder / "targets").is_dir():
            raise UpdateUnavailable(f"{folder} holds no update: it needs metadata/ and targets/ "
                                    "folders as copied from the update repository")
        return cls((folder / "metadata").as_uri() + "/", (folder / "targets").as_uri() + "/",
                   FolderFetcher(folder), str(folder))


@dataclass(frozen=True)
class AvailableRelease:
    """A release the signed repository offers, and how it compares with the running one."""

    version: str
    archive: str
    length: int
    running: str

    @property
    def is_newer(self) -> bool:
        return parse_version(self.version) > parse_version(self.running)


class UpdateClient:
    """One TUF session against one source, anchored on the embedded root metadata."""

    def __init__(self, source: UpdateSource, *, trusted_root: bytes, metadata_dir: Path,
                 download_dir: Path) -> None:
        self.source = source
        metadata_dir.mkdir(parents=True, exist_ok=True)
        download_dir.mkdir(parents=True, exist_ok=True)
        self.download_dir = download_dir
        try:
            self.updater = Updater(str(metadata_dir), source.metadata_url, str(download_dir),
                                   source.targets_url, fetcher=source.fetcher, bootstrap=trusted_root)
        except (tuf_errors.RepositoryError, ValueError) as error:
            raise UpdateRejected("the embedded update root metadata is invalid; reinstall the "
                                 "kiosk package") from error

    def _guard(self, action, what: str):  # noqa: ANN001, ANN202 - small internal wrapper
        """Turn TUF's failures into the kiosk's typed errors, naming what failed."""
        try:
            return action()
        except tuf_errors.ExpiredMetadataError as error:
            raise UpdateRejected(f"the update repository's {what} is expired; nothing was "
                                 "installed — ask for a freshly signed update") from error
        except tuf_errors.BadVersionNumberError as error:
            raise UpdateRejected(f"the update repository's {what} is older than what this kiosk "
                                 "already trusted (rollback attempt); nothing was installed") from error
        except tuf_errors.UnsignedMetadataError as error:
            raise UpdateRejected(f"the update repository's {what} is not signed by the keys this "
                                 "kiosk trusts; nothing was installed") from error
        except tuf_errors.LengthOrHashMismatchError as error:
            raise UpdateRejected(f"{what} does not match its signed hash (tampered or corrupt); "
                                 "nothing was installed") from error
        except tuf_errors.DownloadError as error:
            raise UpdateUnavailable(f"could not download {what} from {self.source.description}; "
                                    "check the network or the USB folder and try again") from error
        except tuf_errors.RepositoryError as error:
            raise UpdateRejected(f"the update repository's {what} failed verification "
                                 f"({type(error).__name__}); nothing was installed") from error

    def latest(self, running: str) -> AvailableRelease:
        """Refresh the signed metadata and read the release the repository points to."""
        self._guard(self.updater.refresh, "metadata")
        index_info = self._guard(lambda: self.updater.get_targetinfo(INDEX_TARGET), "metadata")
        if index_info is None:
            raise UpdateUnavailable(f"{self.source.description} offers no kiosk release "
                                    f"({INDEX_TARGET} is not a signed target)")
        if index_info.length > INDEX_MAX_BYTES:
            raise UpdateRejected(f"{INDEX_TARGET} is implausibly large; nothing was installed")
        index_path = self._guard(lambda: self.updater.download_target(index_info), INDEX_TARGET)
        try:
            index = json.loads(Path(index_path).read_text(encoding="utf-8"))
            version, archive = str(index["version"]), str(index["archive"])
        except (ValueError, KeyError, TypeError) as error:
            raise UpdateRejected(f"{INDEX_TARGET} is malformed; ask the publisher to fix it") from error
        parse_version(version)
        archive_info = self._guard(lambda: self.updater.get_targetinfo(archive), "metadata")
        if archive_info is None:
            raise UpdateRejected(f"release {version} names archive {archive!r}, which is not a "
                                 "signed target; nothing was installed")
        return AvailableRelease(version=version, archive=archive, length=archive_info.length,
                                running=running)

    def download(self, release: AvailableRelease) -> Path:
        """Download and verify the release archive; return the local file."""
        info = self._guard(lambda: self.updater.get_targetinfo(release.archive), "metadata")
        if info is None:
            raise UpdateRejected(f"{release.archive} is no longer a signed target")
        cached = self.updater.find_cached_target(info)
        if cached is not None:
            return Path(cached)
        return Path(self._guard(lambda: self.updater.download_target(info), release.archive))


@dataclass(frozen=True)
class UpdateResult:
    """What an ``apply`` did: the version switched to and the one kept for rollback."""

    installed: str | None
    previous: str | None
    message: str


def trusted_root_path(settings) -> Path:  # noqa: ANN001 - kiosk.config.Settings
    if settings.admin.update_root:
        return Path(settings.admin.update_root)
    return Path(settings.admin.install_root) / "trust" / "update-root.json"


def source_from(settings, from_dir: Path | None) -> UpdateSource:  # noqa: ANN001
    """The USB folder if given, else the configured repository, else the portal's."""
    if from_dir is not None:
        return UpdateSource.from_folder(from_dir)
    if settings.admin.update_url:
        return UpdateSource.from_url(settings.admin.update_url)
    if settings.portal.url:
        return UpdateSource.from_url(settings.portal.url.rstrip("/") + "/v1/updates")
    raise UpdateUnavailable("no update repository configured: set admin.update_url or "
                            "portal.url, or give --from DIR")


def client_for(settings, from_dir: Path | None = None) -> UpdateClient:  # noqa: ANN001
    root_file = trusted_root_path(settings)
    try:
        trusted_root = root_file.read_bytes()
    except OSError as error:
        raise UpdateUnavailable(f"the trusted update root {root_file} is missing; reinstall the "
                                "kiosk package") from error
    base = settings.data_dir / "updates"
    return UpdateClient(source_from(settings, from_dir), trusted_root=trusted_root,
                        metadata_dir=base / "metadata", download_dir=base / "targets")


def running_version(install: InstallRoot) -> str:
    return install.current_version() or __version__


def check(settings, from_dir: Path | None = None) -> AvailableRelease:  # noqa: ANN001
    """The newest signed release and whether it is newer than the running one."""
    install = InstallRoot(Path(settings.admin.install_root))
    return client_for(settings, from_dir).latest(running_version(install))


@contextmanager
def _only_updater(lock_file: Path) -> Iterator[None]:
    """One update at a time on this kiosk (a timer and a technician may race)."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise UpdateUnavailable("another update is running on this kiosk; wait for it "
                                    "to finish") from error
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def apply(settings, from_dir: Path | None = None) -> UpdateResult:  # noqa: ANN001
    """Verify, unpack beside the running release, health-check, then switch atomically.

    Any failure before the switch leaves the running release and its links untouched.
    """
    install = InstallRoot(Path(settings.admin.install_root))
    with _only_updater(settings.data_dir / "updates" / "update.lock"):
        return _apply(settings, install, from_dir)


def _apply(settings, install: InstallRoot, from_dir: Path | None) -> UpdateResult:  # noqa: ANN001
    client = client_for(settings, from_dir)
    release = client.latest(running_version(install))
    if not release.is_newer:
        if parse_version(release.version) < parse_version(release.running):
            raise UpdateRejected(f"the repository offers {release.version}, older than the running "
                                 f"{release.running}: a downgrade is refused; nothing was changed")
        return UpdateResult(None, None, f"already up to date ({release.running})")
    if release.version in install.rolled_back():
        return UpdateResult(None, None, f"release {release.version} was rolled back on this kiosk "
                                        "after a failed start; waiting for a newer release")
    archive = client.download(release)
    staged = install.stage(release.version, archive)
    try:
        install.health_check(release.version)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    previous = install.current_version()
    install.switch_to(release.version)
    install.prune()
    return UpdateResult(release.version, previous,
                        f"installed {release.version} (previous {previous or 'none'}); "
                        "restart the kiosk service to run it")

