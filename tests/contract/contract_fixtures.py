"""Helpers for the contract tests: a simulator on loopback and valid request bodies."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

import requests

from portal_sim.app import create_app
from portal_sim.server import RunningServer

FORMS = Path(__file__).resolve().parent / "forms"


class Portal:
    def __init__(self, tmp_path: Path, **options: Any) -> None:
        self.app = create_app(state_dir=tmp_path / "portal-state", forms_dir=options.pop("forms_dir", FORMS),
                              **options)
        self.server = RunningServer(self.app).start()
        self.url = self.server.url

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        response = requests.request(method, self.url + "/admin" + path, timeout=10, **kwargs)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        self.server.stop()


def envelope(payload: dict | None = None, **changes: Any) -> tuple[str, bytes, dict]:
    """(submission id, body bytes, body) of a valid submission, with ``changes`` applied."""
    payload = payload if payload is not None else {"child": {"full_name": "Trẻ Thử Nghiệm"}, "copies": 1}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    submission_id = changes.pop("submission_id", str(uuid.uuid4()))
    body = {"submission_id": submission_id, "ticket": "KS-0001", "procedure_code": "1.000894",
            "form_id": "birth-registration", "form_version": "2025.1", "payload": payload,
            "payload_sha256": hashlib.sha256(canonical).hexdigest(), "attachments": [], "depends_on": [],
            "supersedes": None, "finalized_at": "2026-11-22T08:00:00+00:00"}
    body.update(changes)
    return submission_id, json.dumps(body, sort_keys=True, ensure_ascii=False).encode(), body


def presence(authenticity: str = "untrusted_issuer") -> dict[str, str]:
    return {"chip_authenticity": authenticity, "access": "PACE", "consent_reference": "consent-42",
            "consented_at": "2026-11-22T08:00:00+00:00", "session_id": "session-1"}
