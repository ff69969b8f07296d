"""``kiosk logs export``: one archive a technician attaches to a support ticket.

The bundle holds the rotated JSON logs (already redacted when written; redacted once
more here, line by line, in case a file was written by something else), the doctor's
report, and the settings with every secret-bearing value removed. It never holds the
database, keys, receipts or attachments. It is written under a temporary name and
renamed when complete, so a USB stick pulled out early never holds a half bundle that
looks whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.errors import BadInput

log = logging.getLogger(__name__)

REMOVED = "[removed]"
# A setting whose name says it holds or points at a secret is never exported.
SECRET_NAME = re.compile(r"key|passphrase|password|secret|token|credential", re.IGNORECASE)


def redacted_settings(settings: Any) -> dict[str, dict[str, Any]]:
    """The effective settings with secret-bearing values replaced by a marker."""
    data = settings.as_dict()
    for values in data.values():
        for name, value in values.items():
            if SECRET_NAME.search(name) and value not in ("", None):
                values[name] = REMOVED
    return data


def _redact(text: str) -> str:
    try:
        from kiosk.logs import redactor
    except ImportError:
        return text
    return redactor.redact(text)


def _log_files(log_dir: Path) -> list[Path]:
    if not log_dir.is_dir():
        return []
    return sorted(p for p in log_dir.iterdir() if p.is_file() and p.name.startswith("kiosk.log"))


def _add(bundle: tarfile.TarFile, name: str, data: bytes, manifest: dict[str, Any]) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
    bundle.addfile(info, io.BytesIO(data))
    manifest["files"][name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def export_bundle(settings: Any, to_dir: Path, doctor_json: str | None = None) -> Path:
    """Write ``kiosk-support-<kiosk id>-<UTC time>.tar.gz`` into ``to_dir``; return its path."""
    to_dir = Path(to_dir)
    if not to_dir.is_dir():
        raise BadInput(f"{to_dir} is not a folder; mount the USB stick and give its folder")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"kiosk-support-{settings.kiosk.kiosk_id}-{stamp}"
    final = to_dir / f"{name}.tar.gz"
    partial = to_dir / f".{name}.tar.gz.partial"
    manifest: dict[str, Any] = {"kiosk_id": settings.kiosk.kiosk_id,
                                "centre_code": settings.kiosk.centre_code,
                                "kiosk_version": __version__, "created_at": stamp, "files": {}}
    try:
        with tarfile.open(partial, "w:gz") as bundle:
            for path in _log_files(settings.log_dir):
                text = path.read_text(encoding="utf-8", errors="replace")
                cleaned = "\n".join(_redact(line) for line in text.splitlines())
                _add(bundle, f"{name}/logs/{path.name}", cleaned.encode("utf-8"), manifest)
            if doctor_json is not None:
                _add(bundle, f"{name}/doctor.json", _redact(doctor_json).encode("utf-8"), manifest)
            settings_json = json.dumps(redacted_settings(settings), ensure_ascii=False, indent=2)
            _add(bundle, f"{name}/settings.json", _redact(settings_json).encode("utf-8"), manifest)
            _add(bundle, f"{name}/manifest.json",
                 json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"), {"files": {}})
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, final)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BadInput(f"could not write the support bundle to {to_dir} ({error.strerror}); "
                       "check the USB stick has space and is writable") from error
    log.info("support bundle written with %d files", len(manifest["files"]) + 1)
    return final
