"""Catalogue updates: fetch the signed procedure catalogue, verify it, apply it atomically.

Nothing is written before the signature, the signer chain and every file's SHA-256 check
out. Each version lands in its own folder (old versions stay: queued dossiers keep the
form version they were made with, REFERENCE §4.10) and ``current.json`` is swapped with
one rename, so a reader sees the old catalogue or the new one, never half of each.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import cbor2
from cryptography import x509

from kiosk.sync.client import PortalClient
from kiosk.sync.errors import SignatureInvalid
from kiosk.sync.signed import verify_sign1

log = logging.getLogger(__name__)
VERSION = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class CatalogueVersion:
    version: str
    folder: Path
    files: tuple[str, ...]


def current(root: Path) -> CatalogueVersion | None:
    """The catalogue in force, or None before the first successful update."""
    pointer = root / "current.json"
    if not pointer.exists():
        return None
    data = json.loads(pointer.read_text(encoding="utf-8"))
    return CatalogueVersion(data["version"], root / "versions" / data["version"], tuple(data["files"]))


def _safe_path(name: object) -> PurePosixPath:
    if not isinstance(name, str):
        raise SignatureInvalid("catalogue file name is not text")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise SignatureInvalid(f"catalogue file name {name!r} escapes the catalogue folder")
    return path


def decode(payload: bytes) -> tuple[str, list[tuple[PurePosixPath, bytes]]]:
    """(version, files) from a verified payload, each file checked against its SHA-256."""
    try:
        body = cbor2.loads(payload)
    except (cbor2.CBORDecodeError, ValueError) as error:
        raise SignatureInvalid("catalogue payload is not CBOR") from error
    if not isinstance(body, Mapping) or body.get("v") != 1 or not VERSION.match(str(body.get("version", ""))):
        raise SignatureInvalid("catalogue payload is not version 1")
    files = []
    for entry in body.get("files", []):
        if not isinstance(entry, Mapping):
            raise SignatureInvalid("catalogue file entry is not a map")
        path = _safe_path(entry.get("path"))
        content = entry.get("content")
        if not isinstance(content, bytes) or hashlib.sha256(content).hexdigest() != entry.get("sha256"):
            raise SignatureInvalid(f"catalogue file {path} does not match its SHA-256")
        files.append((path, content))
    return str(body["version"]), files


def apply(root: Path, version: str, files: list[tuple[PurePosixPath, bytes]]) -> CatalogueVersion:
    """Write the version's folder (if new) then switch ``current.json`` in one rename."""
    versions = root / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    target = versions / version
    if not target.exists():
        staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=versions))
        try:
            for path, content in files:
                destination = staging / path
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(content)
            os.rename(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    pointer = {"version": version, "applied_at": datetime.now(UTC).isoformat(),
               "files": [str(path) for path, _ in files]}
    temporary = root / "current.json.tmp"
    temporary.write_text(json.dumps(pointer, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, root / "current.json")
    return CatalogueVersion(version, target, tuple(pointer["files"]))


class CatalogueSync:
    """Polls the portal's catalogue (ETag) and applies verified updates under ``root``."""

    def __init__(self, client: PortalClient, root: Path, anchor: x509.Certificate) -> None:
        self.client, self.root, self.anchor = client, root, anchor
        now = current(root)
        self._etag = f'"{now.version}"' if now else None

    def update(self) -> CatalogueVersion | None:
        """Fetch and apply; returns the new version, or None when unchanged. Raises on bad signatures."""
        data, etag = self.client.fetch_catalogue(self._etag)
        if data is None:
            return None
        verified = verify_sign1(data, self.anchor)
        version, files = decode(verified.payload)
        before = current(self.root)
        applied = apply(self.root, version, files)
        self._etag = etag
        if before is None or before.version != version:
            log.info("catalogue %s applied (%d files)", version, len(files))
            return applied
        return None


def catalogue_sync_for(settings, client: PortalClient) -> CatalogueSync | None:  # noqa: ANN001
    """The catalogue updater for these settings: anchored on ``portal.ca_bundle``; in demo mode
    against a loopback simulator, on the simulator's own CA fetched once (nothing real is at
    stake there); otherwise None (no anchor, no updates: the kiosk keeps its catalogue)."""
    from urllib.parse import urlparse

    from kiosk.sync.errors import PortalError
    from kiosk.sync.signed import load_anchor

    root = settings.data_dir / "catalogue"
    if settings.portal.ca_bundle:
        return CatalogueSync(client, root, load_anchor(Path(settings.portal.ca_bundle).read_bytes()))
    if settings.kiosk.demo and urlparse(client.base_url).hostname in ("127.0.0.1", "localhost", "::1"):
        try:
            return CatalogueSync(client, root, load_anchor(client.fetch_pem("ca")))
        except PortalError:
            log.warning("demo: could not fetch the simulator's CA; catalogue updates off")
    return None
