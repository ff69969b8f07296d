"""A real TUF repository for the update tests, built with tuf's Metadata API.

Generated ed25519 keys sign root, targets, snapshot and timestamp; ``publish()`` writes
the metadata/ and targets/ folders exactly as a repository host would serve them.
Releases are tar.gz archives whose ``bin/kiosk`` launcher answers ``--version``.
"""

from __future__ import annotations

import io
import json
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

ROLES = ("root", "targets", "snapshot", "timestamp")
INDEX = "kiosk-release.json"


def release_archive(version: str, healthy: bool = True) -> bytes:
    """A minimal release: a launcher that reports its version (or fails, if unhealthy)."""
    script = (f"#!/bin/sh\necho 'kiosk, version {version}'\n" if healthy
              else "#!/bin/sh\necho 'ImportError: broken release' >&2\nexit 1\n")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as bundle:
        data = script.encode()
        info = tarfile.TarInfo("bin/kiosk")
        info.size, info.mode = len(data), 0o755
        bundle.addfile(info, io.BytesIO(data))
        note = f"release {version}\n".encode()
        info = tarfile.TarInfo("VERSION")
        info.size, info.mode = len(note), 0o644
        bundle.addfile(info, io.BytesIO(note))
    return buffer.getvalue()


class TufRepository:
    """An update repository on disk: metadata/ and targets/ under ``folder``."""

    def __init__(self, folder: Path, expires_in: timedelta = timedelta(days=30)) -> None:
        self.folder = Path(folder)
        (self.folder / "metadata").mkdir(parents=True, exist_ok=True)
        (self.folder / "targets").mkdir(parents=True, exist_ok=True)
        self.expires_in = expires_in
        self.signers = {role: CryptoSigner.generate_ed25519() for role in ROLES}
        expiry = self._expiry()
        root = Root(expires=expiry, consistent_snapshot=False)
        for role, signer in self.signers.items():
            root.add_key(signer.public_key, role)
        self.root = Metadata(root)
        self.targets = Metadata(Targets(expires=expiry))
        self.snapshot = Metadata(Snapshot(expires=expiry))
        self.timestamp = Metadata(Timestamp(expires=expiry))
        self.target_bytes: dict[str, bytes] = {}
        self._sign_and_write(self.root, "root")
        (self.folder / "metadata" / "root.json").write_bytes(self.root_bytes())

    def _expiry(self) -> datetime:
        return (datetime.now(UTC) + self.expires_in).replace(microsecond=0)

    def root_bytes(self) -> bytes:
        return self.root.to_bytes(JSONSerializer(compact=False))

    def add_target(self, name: str, data: bytes) -> None:
        self.target_bytes[name] = data
        self.targets.signed.targets[name] = TargetFile.from_data(name, data, ["sha256"])
        (self.folder / "targets" / name).write_bytes(data)

    def add_release(self, version: str, healthy: bool = True) -> None:
        archive = f"kiosk-{version}.tar.gz"
        self.add_target(archive, release_archive(version, healthy))
        self.add_target(INDEX, json.dumps({"version": version, "archive": archive}).encode())

    def publish(self, expires_in: timedelta | None = None) -> None:
        """Bump and sign targets, snapshot and timestamp, then write them out."""
        if expires_in is not None:
            self.expires_in = expires_in
        expiry = self._expiry()
        for metadata in (self.targets, self.snapshot, self.timestamp):
            metadata.signed.expires = expiry
        self.targets.signed.version += 1
        self._sign_and_write(self.targets, "targets")
        self.snapshot.signed.meta["targets.json"] = MetaFile(self.targets.signed.version)
        self.snapshot.signed.version += 1
        self._sign_and_write(self.snapshot, "snapshot")
        self.timestamp.signed.snapshot_meta = MetaFile(self.snapshot.signed.version)
        self.timestamp.signed.version += 1
        self._sign_and_write(self.timestamp, "timestamp")

    def _sign_and_write(self, metadata: Metadata, role: str) -> None:
        metadata.signatures.clear()
        metadata.sign(self.signers[role])
        data = metadata.to_bytes(JSONSerializer(compact=False))
        name = f"{metadata.signed.version}.root.json" if role == "root" else f"{role}.json"
        (self.folder / "metadata" / name).write_bytes(data)

    def metadata_bytes(self, role: str) -> bytes:
        return (self.folder / "metadata" / f"{role}.json").read_bytes()
