"""Mutual TLS, and the failures that must each give their own clear state with nothing marked sent:
captive portal, wrong portal certificate, expired or refused device certificate, clock skew."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from sync_fixtures import Portal, dossier, start_portal, sync_settings

from kiosk.store import Store
from kiosk.sync import PortalClient, SyncEngine
from kiosk.sync.errors import DeviceNotAccepted, PortalUnreachable
from portal_sim.pki import cert_pem, issue, key_pem, make_ca, new_key
from portal_sim.server import RunningServer, TlsFiles


def _csr(key) -> str:  # noqa: ANN001
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kiosk")])
    csr = x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM).decode()


def enrol(portal: Portal, folder: Path, kiosk_id: str = "KIOSK-TLS-01") -> dict[str, str]:
    """Enrol a kiosk the way provisioning will: one-time code, CSRs, certificates written to files."""
    ca_file = portal.app.state.portal.state_dir / "pki" / "ca.pem"
    code = portal.admin("POST", "/enrolment-codes", json={"kiosk_id": kiosk_id, "centre_code": "HN-01001"},
                        verify=str(ca_file))["code"]
    device_key, receipt_key = new_key(), new_key()
    client = PortalClient(portal.url, ca_bundle=str(ca_file))
    issued = client.enrol(code, kiosk_id, _csr(device_key), _csr(receipt_key))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "device.pem").write_text(issued["device_certificate"])
    (folder / "device.key").write_bytes(key_pem(device_key))
    return {"portal.ca_bundle": str(ca_file), "portal.client_cert": str(folder / "device.pem"),
            "portal.client_key": str(folder / "device.key")}


@pytest.fixture
def tls_portal(tmp_path: Path):
    running = start_portal(tmp_path, tls=True)
    yield running
    running.server.stop()


def engine_for(store: Store, url: str, **overrides) -> SyncEngine:
    settings = sync_settings(**overrides)
    return SyncEngine(store, PortalClient.from_settings(settings, url), settings)


def nothing_sent(store: Store, submission_id: str) -> None:
    item = store.get(submission_id)
    assert item.state == "queued"
    assert item.official_code is None
    assert item.attempts == 0


def test_mutual_tls_enrolled_kiosk_is_identified_by_its_certificate(store: Store, tls_portal: Portal,
                                                                    tmp_path: Path) -> None:
    """Over HTTPS with the enrolment's device certificate, dossiers are accepted and the portal
    attributes them to the kiosk named in the certificate (not a header)."""
    files = enrol(tls_portal, tmp_path / "creds")
    item = store.capture(dossier(1))
    engine = engine_for(store, tls_portal.url, **files)
    assert [o.result for o in engine.run_once()] == ["accepted"]
    assert engine.status().device_certificate_expires is not None
    received = tls_portal.admin("GET", "/submissions", verify=files["portal.ca_bundle"])
    assert received[0]["kiosk_id"] == "KIOSK-TLS-01"
    assert received[0]["official_code"].startswith("H01.001.01-")
    assert store.get(item.submission_id).state == "accepted"


def test_no_device_certificate_is_refused(store: Store, tls_portal: Portal, tmp_path: Path) -> None:
    """Without a client certificate the portal answers 401 and the kiosk shows device_rejected."""
    files = enrol(tls_portal, tmp_path / "creds")
    item = store.capture(dossier(1))
    engine = engine_for(store, tls_portal.url, **{"portal.ca_bundle": files["portal.ca_bundle"]})
    assert [o.result for o in engine.run_once()] == ["released"]  # the clock probe needs no identity
    assert engine.status().state == "device_rejected"
    nothing_sent(store, item.submission_id)


def test_revoked_kiosk_is_refused(store: Store, tls_portal: Portal, tmp_path: Path) -> None:
    """A revoked kiosk's certificate still passes TLS but the portal refuses it (403 device_revoked)."""
    files = enrol(tls_portal, tmp_path / "creds")
    tls_portal.admin("POST", "/kiosks/KIOSK-TLS-01/revoke", verify=files["portal.ca_bundle"])
    item = store.capture(dossier(1))
    engine = engine_for(store, tls_portal.url, **files)
    assert [o.result for o in engine.run_once()] == ["released"]
    assert engine.status().state == "device_rejected"
    nothing_sent(store, item.submission_id)


def test_wrong_portal_certificate_is_untrusted(store: Store, tls_portal: Portal, tmp_path: Path) -> None:
    """If the server's certificate does not chain to the configured CA (an impostor or a TLS-
    intercepting proxy), the kiosk shows portal_untrusted and sends nothing."""
    files = enrol(tls_portal, tmp_path / "creds")
    _, foreign = make_ca("Somebody else's CA")
    (tmp_path / "foreign.pem").write_bytes(cert_pem(foreign))
    item = store.capture(dossier(1))
    engine = engine_for(store, tls_portal.url, **{**files, "portal.ca_bundle": str(tmp_path / "foreign.pem")})
    assert engine.run_once() == []
    assert engine.status().state == "portal_untrusted"
    nothing_sent(store, item.submission_id)
    assert requests.get(tls_portal.url + "/health", verify=files["portal.ca_bundle"], timeout=5).ok


def test_expired_portal_certificate_is_untrusted(store: Store, tmp_path: Path) -> None:
    """An expired server certificate from the right CA is refused the same way."""
    portal = start_portal(tmp_path)  # plain, only to get a CA on disk
    authority = portal.app.state.portal.authority
    server_key = new_key()
    expired = issue(authority.ca_key, authority.ca_cert, server_key.public_key(),
                    x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]), "server", days=1,
                    hosts=("127.0.0.1",), not_before=datetime.now(UTC) - timedelta(days=3))
    (tmp_path / "expired.pem").write_bytes(cert_pem(expired))
    (tmp_path / "expired.key").write_bytes(key_pem(server_key))
    ca_file = portal.app.state.portal.state_dir / "pki" / "ca.pem"
    server = RunningServer(portal.app, tls=TlsFiles(tmp_path / "expired.pem", tmp_path / "expired.key",
                                                    ca_file)).start()
    try:
        item = store.capture(dossier(1))
        engine = engine_for(store, server.url, **{"portal.ca_bundle": str(ca_file)})
        assert engine.run_once() == []
        assert engine.status().state == "portal_untrusted"
        nothing_sent(store, item.submission_id)
    finally:
        server.stop()
        portal.server.stop()


def test_expired_device_certificate_stops_sending_before_any_request(store: Store, tls_portal: Portal,
                                                                     tmp_path: Path) -> None:
    """An expired device certificate (our "token") is caught on the kiosk itself: state
    device_certificate_expired, no request made; and if presented anyway, TLS refuses it."""
    files = enrol(tls_portal, tmp_path / "creds")
    authority = tls_portal.app.state.portal.authority
    key = new_key()
    old = issue(authority.ca_key, authority.ca_cert, key.public_key(),
                x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "KIOSK-TLS-01")]), "device", days=1,
                not_before=datetime.now(UTC) - timedelta(days=5))
    (tmp_path / "old.pem").write_bytes(cert_pem(old))
    (tmp_path / "old.key").write_bytes(key_pem(key))
    expired_files = {**files, "portal.client_cert": str(tmp_path / "old.pem"),
                     "portal.client_key": str(tmp_path / "old.key")}
    item = store.capture(dossier(1))
    engine = engine_for(store, tls_portal.url, **expired_files)
    assert engine.run_once() == []
    assert engine.status().state == "device_certificate_expired"
    assert engine.client.requests_sent == 0
    nothing_sent(store, item.submission_id)
    # Presented anyway, TLS refuses it. Under TLS 1.3 the refusal comes after the client's side
    # of the handshake, so it may surface as a closed connection rather than an alert: that is
    # why the kiosk checks its own certificate first.
    with pytest.raises((DeviceNotAccepted, PortalUnreachable)):
        engine.client.portal_time()
    assert tls_portal.admin("GET", "/submissions",
                                                 verify=files["portal.ca_bundle"]) == []


def test_captive_portal_page_is_never_a_success(store: Store, portal: Portal) -> None:
    """A 200 HTML login page (captive portal) is a failure: state captive_portal, nothing sent."""
    item = store.capture(dossier(1))
    portal.faults("captive=1")
    engine = engine_for(store, portal.url)
    assert engine.run_once() == []
    assert engine.status().state == "captive_portal"
    nothing_sent(store, item.submission_id)
    # Even if a round starts while online, the HTML answer to the POST is not taken as acceptance.
    portal.faults("submissions:captive=1")
    engine.send_now()
    outcomes = engine.run_once()
    assert [o.result for o in outcomes] == ["released"]
    assert engine.status().state == "captive_portal"
    nothing_sent(store, item.submission_id)
    assert portal.submissions() == []


def test_clock_skew_pauses_sending_with_its_own_state(store: Store, portal: Portal) -> None:
    """A kiosk clock an hour off the portal's gives state clock_skew and sends nothing; once the
    clocks agree again sending resumes."""
    item = store.capture(dossier(1))
    portal.rules(time_offset_s=3600.0)
    engine = engine_for(store, portal.url)
    assert engine.run_once() == []
    status = engine.status()
    assert status.state == "clock_skew"
    assert status.clock_skew_s == pytest.approx(3600, abs=5)
    nothing_sent(store, item.submission_id)
    portal.rules(time_offset_s=0.0)
    engine.measure_clock()
    assert [o.result for o in engine.run_once()] == ["accepted"]
