"""The signed catalogue: whatever procedure specs sit in the forms folder, as one COSE_Sign1.

The simulator does not interpret the forms (the kiosk's forms engine owns their meaning):
it publishes every YAML/JSON file with its SHA-256, and a version derived from the
contents, so the same folder always yields the same version and an edit yields a new one.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import cbor2
import yaml

from portal_sim.cose import X5CHAIN, sign1
from portal_sim.pki import Authority, cert_der

DEFAULT_FORMS_DIR = Path(__file__).resolve().parent.parent / "resources" / "forms"
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_PROCESSING_DAYS = 3


@dataclass(frozen=True)
class Catalogue:
    version: str
    files: tuple[tuple[str, bytes], ...]
    processing_days: dict[str, int]

    def signed(self, authority: Authority) -> bytes:
        """COSE_Sign1 over the CBOR catalogue; the signer certificate rides in x5chain (label 33)."""
        payload = cbor2.dumps({
            "v": 1, "iat": int(time.time()), "version": self.version,
            "files": [{"path": path, "sha256": hashlib.sha256(data).hexdigest(), "content": data}
                      for path, data in self.files],
        })
        return sign1(payload, authority.signer_key, authority.signer_kid,
                     {X5CHAIN: cert_der(authority.signer_cert)})


def _processing_days(data: bytes) -> tuple[str, int] | None:
    """Statutory processing days if the spec names them (keys tolerated: code/id + processing_days)."""
    try:
        spec = yaml.safe_load(data)
    except yaml.YAMLError:
        return None
    if not isinstance(spec, dict):
        return None
    code = spec.get("procedure_code") or spec.get("code") or spec.get("id")
    days = spec.get("processing_days") or spec.get("processing_time_days")
    if isinstance(code, str) and isinstance(days, int) and days >= 0:
        return code, days
    return None


def load_catalogue(folder: Path) -> Catalogue:
    """Read the folder now (the forms engineer edits it while the simulator runs in development)."""
    files: list[tuple[str, bytes]] = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in SPEC_SUFFIXES:
                files.append((path.relative_to(folder).as_posix(), path.read_bytes()))
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    days = dict(found for found in (_processing_days(data) for _, data in files) if found)
    return Catalogue(version=digest.hexdigest()[:16], files=tuple(files), processing_days=days)
