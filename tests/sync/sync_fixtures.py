"""Helpers for the sync tests: a real portal simulator on loopback, test settings, invented dossiers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from kiosk.config import load_settings
from kiosk.store import Consent, NewAttachment, NewDossier
from portal_sim.app import create_app
from portal_sim.server import RunningServer, TlsFiles


@dataclass
class Portal:
    """A running simulator and its admin interface."""

    server: RunningServer
    app: Any

    @property
    def url(self) -> str:
        return self.server.url

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        response = requests.request(method, self.url + "/admin" + path, timeout=10,
                                    verify=kwargs.pop("verify", False), **kwargs)
        response.raise_for_status()
        return response.json()

    def faults(self, spec: str) -> None:
        self.admin("PUT", "/faults", json={"spec": spec})

    def rules(self, **rules: Any) -> None:
        self.admin("PUT", "/rules", json=rules)

    def submissions(self) -> list[dict]:
        return self.admin("GET", "/submissions")


def start_portal(tmp_path: Path, tls: bool = False, **options: Any) -> Portal:
    app = create_app(state_dir=tmp_path / "portal-state", forms_dir=options.pop("forms_dir",
                                                                                  tmp_path / "no-forms"),
                     **options)
    files = None
    if tls:
        state = app.state.portal
        cert, key = state.authority.server_certificate(state.state_dir)
        files = TlsFiles(cert=cert, key=key, client_ca=state.state_dir / "pki" / "ca.pem")
    return Portal(server=RunningServer(app, tls=files).start(), app=app)


def sync_settings(**overrides: Any):  # noqa: ANN201 - Settings
    """Demo settings with test-sized sync timings, plus ``section.key`` overrides."""
    values = {"sync.backoff_base_s": "0.01", "sync.backoff_cap_s": "0.05", "sync.interval_s": "0.1",
              "sync.offline_probe_base_s": "0.05", "sync.offline_probe_cap_s": "0.2", "sync.lease_s": "30",
              "portal.connect_timeout_s": "2", "portal.read_timeout_s": "5", "sync.workers": "1"}
    values.update({key: str(value) for key, value in overrides.items()})
    return load_settings(demo=True, overrides=values, environ={})


def dossier(number: int = 0, *, procedure: str = "1.000894", depends_on: tuple[str, ...] = (),
            attachments: tuple[NewAttachment, ...] = ()) -> NewDossier:
    """An invented birth-registration dossier; no real person."""
    return NewDossier(
        procedure_code=procedure, form_id="birth-registration", form_version="2025.1",
        payload={"child": {"full_name": f"Trẻ Thử Nghiệm {number}", "date_of_birth": "2026-01-05"},
                 "copies": 1 + number % 3},
        provenance={"child.full_name": "typed"},
        consent=Consent(text_version="consent-v1", consented_at=datetime.now(UTC), purposes=("submission",)),
        depends_on=depends_on, attachments=attachments)
