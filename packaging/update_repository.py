"""Publish kiosk releases as a TUF update repository (the publisher's side of `kiosk update`).

    python packaging/update_repository.py init REPO            # keys + root metadata
    python packaging/update_repository.py publish REPO --version 0.2.0 --archive FILE
    python packaging/update_repository.py refresh REPO         # re-sign before expiry

``REPO/metadata`` and ``REPO/targets`` are what the portal serves (``<portal>/v1/updates``)
or what a technician copies to a USB stick; ``REPO/metadata/1.root.json`` is the root to
embed in the package (``build_deb.py --update-root``). ``REPO/keys`` holds the private keys
as PEM files: this suits a test or staging repository; a production repository keeps the
root and targets keys offline (or in an HSM through a securesystemslib signer) and only
the timestamp key on the publishing host.

The archive is the release folder as a tar (``build_deb.py --release-tar``); it becomes
target ``kiosk-<version>.tar[.gz]`` and ``kiosk-release.json`` points the kiosks at it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.serialization import load_pem_private_key
from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import Metadata, MetaFile, Root, Snapshot, TargetFile, Targets, Timestamp
from tuf.api.serialization.json import JSONSerializer

ROLES = ("root", "targets", "snapshot", "timestamp")
INDEX_TARGET = "kiosk-release.json"  # the name kiosk/admin/update.py looks for
# How long each role's signature stays valid: the timestamp is re-signed often (refresh).
EXPIRY = {"root": timedelta(days=365), "targets": timedelta(days=90),
          "snapshot": timedelta(days=30), "timestamp": timedelta(days=7)}


class Repository:
    """One repository folder: keys/, metadata/, targets/."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.keys = self.folder / "keys"
        self.metadata = self.folder / "metadata"
        self.targets = self.folder / "targets"

    def signer(self, role: str) -> CryptoSigner:
        private = load_pem_private_key((self.keys / f"{role}.pem").read_bytes(), None)
        return CryptoSigner(private)

    def load(self, role: str) -> Metadata:
        return Metadata.from_bytes((self.metadata / f"{role}.json").read_bytes())

    def write(self, metadata: Metadata, role: str) -> None:
        metadata.signatures.clear()
        metadata.sign(self.signer(role))
        data = metadata.to_bytes(JSONSerializer(compact=False))
        names = [f"{role}.json"]
        if role == "root":
            names.append(f"{metadata.signed.version}.root.json")
        for name in names:
            temporary = self.metadata / f".{name}.tmp"
            temporary.write_bytes(data)
            os.replace(temporary, self.metadata / name)

    def init(self) -> Path:
        if (self.metadata / "root.json").exists():
            raise SystemExit(f"{self.folder} already holds a repository")
        for folder in (self.keys, self.metadata, self.targets):
            folder.mkdir(parents=True, exist_ok=True)
        self.keys.chmod(0o700)
        now = datetime.now(UTC).replace(microsecond=0)
        root = Root(expires=now + EXPIRY["root"], consistent_snapshot=False)
        for role in ROLES:
            signer = CryptoSigner.generate_ed25519()
            key_file = self.keys / f"{role}.pem"
            key_file.write_bytes(signer.private_bytes)
            key_file.chmod(0o600)
            root.add_key(signer.public_key, role)
        self.write(Metadata(root), "root")
        self.write(Metadata(Targets(expires=now + EXPIRY["targets"])), "targets")
        self._chain(now)
        return self.metadata / "1.root.json"

    def _next(self, role: str, fresh: Metadata) -> Metadata:
        """The role's metadata with its version bumped, or ``fresh`` (version 1) if none yet."""
        if not (self.metadata / f"{role}.json").exists():
            return fresh
        metadata = self.load(role)
        metadata.signed.version += 1
        return metadata

    def _chain(self, now: datetime) -> None:
        """Re-sign snapshot and timestamp over the current targets metadata."""
        targets = self.load("targets")
        snapshot = self._next("snapshot", Metadata(Snapshot()))
        snapshot.signed.meta["targets.json"] = MetaFile(targets.signed.version)
        snapshot.signed.expires = now + EXPIRY["snapshot"]
        self.write(snapshot, "snapshot")
        timestamp = self._next("timestamp", Metadata(Timestamp()))
        timestamp.signed.snapshot_meta = MetaFile(snapshot.signed.version)
        timestamp.signed.expires = now + EXPIRY["timestamp"]
        self.write(timestamp, "timestamp")

    def publish(self, version: str, archive: Path) -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        suffix = ".tar.gz" if archive.name.endswith(".gz") else ".tar"
        name = f"kiosk-{version}{suffix}"
        data = archive.read_bytes()
        index = json.dumps({"version": version, "archive": name}, sort_keys=True).encode()
        targets = self.load("targets")
        for target, content in ((name, data), (INDEX_TARGET, index)):
            (self.targets / target).write_bytes(content)
            targets.signed.targets[target] = TargetFile.from_data(target, content, ["sha256"])
        targets.signed.version += 1
        targets.signed.expires = now + EXPIRY["targets"]
        self.write(targets, "targets")
        self._chain(now)

    def refresh(self) -> None:
        self._chain(datetime.now(UTC).replace(microsecond=0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("init", "refresh"):
        commands.add_parser(name).add_argument("repo", type=Path)
    publish = commands.add_parser("publish")
    publish.add_argument("repo", type=Path)
    publish.add_argument("--version", required=True)
    publish.add_argument("--archive", type=Path, required=True)
    args = parser.parse_args(argv)
    repository = Repository(args.repo)
    if args.command == "init":
        print(repository.init())
    elif args.command == "publish":
        repository.publish(args.version, args.archive)
        print(f"published {args.version}")
    else:
        repository.refresh()
        print("timestamp and snapshot re-signed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
