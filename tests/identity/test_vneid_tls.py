"""VNeID sign-in over mutual TLS, as on a real kiosk: the device certificate names the kiosk,
the portal CA comes from settings and the content signer is fetched over the verified link."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import cbor2
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from vneid_fixtures import KNOWN_RESIDENT

from kiosk.config import load_settings
from kiosk.identity.vneid import vneid_signin_for
from kiosk.sync.client import PortalClient
from kiosk.sync.errors import DeviceNotAccepted
from portal_sim.app import create_app
from portal_sim.pki import key_pem, new_key
from portal_sim.server import RunningServer, TlsFiles

KIOSK_ID = "KIOSK-TLS-VNEID"


@pytest.fixture
def tls_portal(tmp_path: Path) -> Iterator[RunningServer]:
    app = create_app(state_dir=tmp_path / "state")
    state = app.state.portal
    cert, key = state.authority.server_certificate(state.state_dir)
    server = RunningServer(app, tls=TlsFiles(cert=cert, key=key, client_ca=state.state_dir / "pki" / "ca.pem"))
    server.start()
    yield server
    server.stop()


def _csr(key) -> str:  # noqa: ANN001 - an EC private key
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kiosk")])
    return x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, hashes.SHA256()).public_bytes(
        serialization.Encoding.PEM).decode()


def _enrol(portal: RunningServer, folder: Path) -> dict[str, str]:
    """Enrol a kiosk with a one-time code and write its device credentials as settings."""
    ca_file = portal.app.state.portal.state_dir / "pki" / "ca.pem"
    code = requests.post(portal.url + "/admin/enrolment-codes", json={"kiosk_id": KIOSK_ID,
                                                                      "centre_code": "HN-01001"},
                         verify=str(ca_file), timeout=10).json()["code"]
    device_key = new_key()
    client = PortalClient(portal.url, ca_bundle=str(ca_file))
    issued = client.enrol(code, KIOSK_ID, _csr(device_key), _csr(new_key()))
    client.close()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "device.pem").write_text(issued["device_certificate"])
    (folder / "device.key").write_bytes(key_pem(device_key))
    return {"portal.url": portal.url, "portal.ca_bundle": str(ca_file),
            "portal.client_cert": str(folder / "device.pem"), "portal.client_key": str(folder / "device.key")}


def test_signin_over_mutual_tls(tls_portal: RunningServer, kiosk_home: Path) -> None:
    """An enrolled kiosk (not demo) signs a resident in over HTTPS with its device certificate;
    the assertion names the kiosk from the certificate; without a certificate nothing opens."""
    settings = load_settings(demo=False, overrides=_enrol(tls_portal, kiosk_home / "creds"))
    client = PortalClient.from_settings(settings)
    try:
        flow = vneid_signin_for(settings, client)
        session = flow.open(KNOWN_RESIDENT)
        answer = requests.post(f"{tls_portal.url}/admin/vneid/sessions/{session.session_id}/approve",
                               json={"resident": KNOWN_RESIDENT}, verify=settings.portal.ca_bundle, timeout=10)
        assert answer.status_code == 200
        raw = client.vneid_poll(session.session_id, 2)
        claims = cbor2.loads(cbor2.loads(base64.b64decode(raw["assertion"])).value[2])
        assert claims["kiosk"] == KIOSK_ID
        assert flow.accept(session, base64.b64decode(raw["assertion"])).matches(KNOWN_RESIDENT)
    finally:
        client.close()
    anonymous = PortalClient(tls_portal.url, ca_bundle=settings.portal.ca_bundle)
    try:
        with pytest.raises(DeviceNotAccepted):
            anonymous.vneid_open("n" * 24, KNOWN_RESIDENT)
    finally:
        anonymous.close()
