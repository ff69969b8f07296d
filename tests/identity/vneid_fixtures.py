"""Helpers for the VNeID tests: a real simulator on loopback and a kiosk sign-in against it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

from kiosk.identity.vneid import VneidSignin
from kiosk.sync.client import PortalClient
from portal_sim.app import create_app
from portal_sim.server import RunningServer

KNOWN_RESIDENT = "001090012345"
OTHER_RESIDENT = "001192023456"
UNKNOWN_RESIDENT = "099999999999"
KIOSK_ID = "KIOSK-VNEID-01"


class Sim:
    """The portal simulator served from a thread, with its admin interface at hand."""

    def __init__(self, tmp_path: Path, **options: Any) -> None:
        self.app = create_app(state_dir=tmp_path / "portal-state", **options)
        self.server = RunningServer(self.app).start()
        self.url = self.server.url

    def admin(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, self.url + "/admin" + path, timeout=10, **kwargs)

    def approve(self, session_id: str, resident: str = KNOWN_RESIDENT, level: int = 2) -> requests.Response:
        return self.admin("POST", f"/vneid/sessions/{session_id}/approve",
                          json={"resident": resident, "level": level})

    def deny(self, session_id: str) -> requests.Response:
        return self.admin("POST", f"/vneid/sessions/{session_id}/deny")

    def session_status(self, session_id: str) -> str:
        rows = self.admin("GET", "/vneid/sessions").json()
        return next(row["status"] for row in rows if row["session_id"] == session_id)

    def stop(self) -> None:
        self.server.stop()


def kiosk_client(sim: Sim, kiosk_id: str = KIOSK_ID) -> PortalClient:
    return PortalClient(sim.url, kiosk_id=kiosk_id, centre_code="HN-01001", connect_timeout=2,
                        read_timeout=5)


def signin(sim: Sim, client: PortalClient, **options: Any) -> VneidSignin:
    """A sign-in anchored on the simulator's CA with its content signer pinned (as provisioned)."""
    authority = sim.app.state.portal.authority
    return VneidSignin(client, authority.ca_cert, authority.signer_cert, **options)
