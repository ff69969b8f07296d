"""The kiosk's VNeID sign-in end to end against the real portal simulator: approval, denial,
expiry, timeout, and every way an assertion can be replayed or forged."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import cbor2
import pytest
from vneid_fixtures import (
    KNOWN_RESIDENT,
    OTHER_RESIDENT,
    UNKNOWN_RESIDENT,
    Sim,
    kiosk_client,
    signin,
)

from kiosk.errors import BadInput
from kiosk.identity.vneid import (
    VneidDenied,
    VneidExpired,
    VneidForged,
    VneidReplayed,
    VneidSignin,
    VneidTimeout,
    vneid_signin_for,
)
from kiosk.sync.client import PortalClient
from kiosk.sync.errors import PortalConflict, PortalUnreachable
from portal_sim.cose import X5CHAIN, sign1
from portal_sim.pki import cert_der, issue, kid_of, make_ca, new_key


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Sim]:
    running = Sim(tmp_path)
    yield running
    running.stop()


@pytest.fixture
def client(sim: Sim) -> Iterator[PortalClient]:
    opened = kiosk_client(sim)
    yield opened
    opened.close()


@pytest.fixture
def flow(sim: Sim, client: PortalClient) -> VneidSignin:
    return signin(sim, client)


def _raw_assertion(client: PortalClient, session_id: str) -> bytes:
    answer = client.vneid_poll(session_id, 2.0)
    assert answer["status"] == "approved"
    return base64.b64decode(answer["assertion"])


def test_approval_gives_the_identity_of_the_approving_resident(sim: Sim, flow: VneidSignin,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    """Approve → the portal's identity (ID, name, ISO date of birth, level) for that session;
    it matches the card's ID and not another; nothing personal reaches the log or the repr."""
    caplog.set_level(logging.DEBUG)
    session = flow.open(KNOWN_RESIDENT)
    assert session.session_id in session.qr_text and session.qr_text.startswith("vneid://")
    assert sim.approve(session.session_id).status_code == 200
    identity = flow.wait(session, 5)
    assert (identity.id_number, identity.full_name, identity.date_of_birth, identity.level) == (
        KNOWN_RESIDENT, "Nguyễn Văn An", "1990-02-15", 2)
    assert identity.session_id == session.session_id
    assert identity.matches(KNOWN_RESIDENT) and identity.matches(f" {KNOWN_RESIDENT} ")
    assert not identity.matches(OTHER_RESIDENT) and not identity.matches("")
    assert KNOWN_RESIDENT not in repr(identity) and identity.masked_id() == "********2345"
    assert KNOWN_RESIDENT not in caplog.text and "Nguyễn" not in caplog.text
    assert session.session_id in caplog.text


def test_long_poll_returns_as_soon_as_the_app_approves(sim: Sim, flow: VneidSignin) -> None:
    """The kiosk learns of an approval made while it waits within a fraction of a second,
    with one long poll instead of many short ones; level 1 is reported as level 1."""
    session = flow.open(None)
    import threading

    approver = threading.Timer(0.4, lambda: sim.approve(session.session_id, OTHER_RESIDENT, level=1))
    approver.start()
    sent_before = flow.client.requests_sent
    started = time.monotonic()
    identity = flow.wait(session, 10)
    elapsed = time.monotonic() - started
    approver.join()
    assert identity.id_number == OTHER_RESIDENT and identity.level == 1
    assert 0.3 < elapsed < 2.0
    assert flow.client.requests_sent - sent_before == 1


def test_denial_is_refused_with_its_own_error(sim: Sim, flow: VneidSignin) -> None:
    """A resident who refuses in the app gives VneidDenied (exit code 1), no identity."""
    session = flow.open(KNOWN_RESIDENT)
    assert sim.deny(session.session_id).status_code == 200
    with pytest.raises(VneidDenied) as caught:
        flow.wait(session, 5)
    assert caught.value.exit_code == 1 and KNOWN_RESIDENT not in caught.value.message


def test_expiry_on_the_portal_clock(sim: Sim, flow: VneidSignin) -> None:
    """When the portal's clock passes the session's expiry, the wait ends with VneidExpired
    and a late approval is refused by the portal."""
    session = flow.open(KNOWN_RESIDENT)
    sim.admin("PUT", "/rules", json={"time_offset_s": 500})
    with pytest.raises(VneidExpired):
        flow.wait(session, 5)
    assert sim.approve(session.session_id).status_code == 409


def test_short_session_expires_while_waiting(tmp_path: Path) -> None:
    """A session that nobody approves expires at its lifetime: the kiosk's wait ends then,
    not at its own (longer) timeout."""
    sim = Sim(tmp_path, vneid_ttl_s=1.0)
    client = kiosk_client(sim)
    try:
        flow = signin(sim, client)
        session = flow.open(KNOWN_RESIDENT)
        started = time.monotonic()
        with pytest.raises(VneidExpired):
            flow.wait(session, 20)
        assert time.monotonic() - started < 3.0
    finally:
        client.close()
        sim.stop()


def test_timeout_on_the_kiosk_side_leaves_the_session_for_cancel(sim: Sim, flow: VneidSignin) -> None:
    """The kiosk's own timeout gives VneidTimeout; cancel then closes the session so a later
    approval is refused, and a second cancel is harmless."""
    session = flow.open(KNOWN_RESIDENT)
    started = time.monotonic()
    with pytest.raises(VneidTimeout):
        flow.wait(session, 0.6)
    assert 0.5 < time.monotonic() - started < 2.0
    assert sim.session_status(session.session_id) == "pending"
    flow.cancel(session)
    assert sim.session_status(session.session_id) == "cancelled"
    assert sim.approve(session.session_id).status_code == 409
    flow.cancel(session)
    with pytest.raises(VneidDenied):
        flow.wait(session, 2)


def test_the_kiosk_deadline_holds_even_if_the_portal_says_pending(sim: Sim, client: PortalClient) -> None:
    """The kiosk counts the session's lifetime on its own clock: once past it, it neither
    polls again nor accepts an assertion that arrives late."""
    now = [1000.0]
    flow = signin(sim, client, clock=lambda: now[0])
    session = flow.open(KNOWN_RESIDENT)
    sim.approve(session.session_id)
    assertion = _raw_assertion(client, session.session_id)
    now[0] += 121
    sent = client.requests_sent
    with pytest.raises(VneidExpired):
        flow.wait(session, 30)
    assert client.requests_sent == sent
    with pytest.raises(VneidExpired):
        flow.accept(session, assertion)


def test_consumed_session_answers_already_consumed(sim: Sim, flow: VneidSignin, client: PortalClient) -> None:
    """The assertion is handed out once: a second poll is 409 already_consumed, and a kiosk
    waiting on a session someone else collected gets VneidReplayed, not an identity."""
    session = flow.open(KNOWN_RESIDENT)
    sim.approve(session.session_id)
    _raw_assertion(client, session.session_id)
    with pytest.raises(PortalConflict) as caught:
        client.vneid_poll(session.session_id, 0)
    assert caught.value.error == "already_consumed"
    with pytest.raises(VneidReplayed):
        flow.wait(session, 2)


def test_same_assertion_twice_is_a_replay(sim: Sim, flow: VneidSignin, client: PortalClient) -> None:
    """An assertion accepted once is refused the second time (VneidReplayed)."""
    session = flow.open(KNOWN_RESIDENT)
    sim.approve(session.session_id)
    assertion = _raw_assertion(client, session.session_id)
    assert flow.accept(session, assertion).id_number == KNOWN_RESIDENT
    with pytest.raises(VneidReplayed):
        flow.accept(session, assertion)


def test_assertion_of_another_session_is_refused(sim: Sim, flow: VneidSignin, client: PortalClient) -> None:
    """A genuine assertion for session A presented for session B (or with B's id but A's
    nonce) is refused: it proves nothing about B."""
    first, second = flow.open(KNOWN_RESIDENT), flow.open(OTHER_RESIDENT)
    sim.approve(first.session_id)
    assertion = _raw_assertion(client, first.session_id)
    with pytest.raises(VneidReplayed):
        flow.accept(second, assertion)
    # Same session id, other nonce: a kiosk that reopened must not take an old approval.
    from dataclasses import replace

    with pytest.raises(VneidReplayed):
        flow.accept(replace(first, nonce="x" * 32), assertion)
    assert flow.accept(first, assertion).id_number == KNOWN_RESIDENT


def test_tampered_signature_is_forged(sim: Sim, flow: VneidSignin, client: PortalClient) -> None:
    """One flipped byte in the signature, or in the signed payload, makes VneidForged."""
    session = flow.open(KNOWN_RESIDENT)
    sim.approve(session.session_id)
    assertion = _raw_assertion(client, session.session_id)
    message = cbor2.loads(assertion)
    protected, unprotected, payload, signature = message.value
    bad_signature = cbor2.dumps(cbor2.CBORTag(18, [protected, unprotected, payload,
                                                   bytes([signature[0] ^ 1]) + signature[1:]]))
    claims = cbor2.loads(payload)
    claims["id_number"] = OTHER_RESIDENT
    bad_payload = cbor2.dumps(cbor2.CBORTag(18, [protected, unprotected, cbor2.dumps(claims), signature]))
    for forged in (bad_signature, bad_payload, b"not cbor", assertion[:-5]):
        with pytest.raises(VneidForged):
            flow.accept(session, forged)
    assert flow.accept(session, assertion).id_number == KNOWN_RESIDENT


def _signed_claims(session, key, cert) -> bytes:  # noqa: ANN001
    claims = {"v": 1, "typ": "vneid-identity", "sid": session.session_id, "nonce": session.nonce,
              "kiosk": "KIOSK-VNEID-01", "id_number": OTHER_RESIDENT, "full_name": "Kẻ Giả Mạo",
              "date_of_birth": "1990-01-01", "level": 2, "approved_at": int(time.time()),
              "exp": int(time.time()) + 100}
    return sign1(cbor2.dumps(claims), key, kid_of(cert_der(cert)), {X5CHAIN: cert_der(cert)})


def test_other_keys_of_the_portal_ca_and_foreign_cas_cannot_assert(sim: Sim, flow: VneidSignin) -> None:
    """A well-formed assertion signed by another certificate of the same CA (say a kiosk's
    receipt key) or by a foreign CA is forged: only the pinned content signer asserts."""
    session = flow.open(KNOWN_RESIDENT)
    authority = sim.app.state.portal.authority
    kiosk_key = new_key()
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HN-01001"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "KIOSK-OTHER")])
    receipt_cert = issue(authority.ca_key, authority.ca_cert, kiosk_key.public_key(), subject, "receipt", 30)
    foreign_ca_key, foreign_ca = make_ca("Foreign CA")
    foreign_key = new_key()
    foreign_cert = issue(foreign_ca_key, foreign_ca, foreign_key.public_key(), subject, "signer", 30)
    for key, cert in ((kiosk_key, receipt_cert), (foreign_key, foreign_cert)):
        with pytest.raises(VneidForged):
            flow.accept(session, _signed_claims(session, key, cert))
    # Without the pinned signer (x5chain only) the CA chain still refuses the foreign CA.
    unpinned = VneidSignin(flow.client, authority.ca_cert, None)
    with pytest.raises(VneidForged):
        unpinned.accept(session, _signed_claims(session, foreign_key, foreign_cert))
    genuine = _signed_claims(session, authority.signer_key, authority.signer_cert)
    assert unpinned.accept(session, genuine).full_name == "Kẻ Giả Mạo"


def test_unknown_resident_cannot_approve(sim: Sim, flow: VneidSignin) -> None:
    """The simulator refuses an approval by an ID number it has no VNeID account for."""
    session = flow.open(UNKNOWN_RESIDENT)
    answer = sim.approve(session.session_id, UNKNOWN_RESIDENT)
    assert answer.status_code == 404 and "unknown_resident" in answer.json()["detail"]
    assert sim.session_status(session.session_id) == "pending"


def test_auto_approve_uses_the_hint(tmp_path: Path) -> None:
    """With auto-approve on, a session opened with the card's ID number is approved at level 2
    by that resident after the delay, with no admin call."""
    sim = Sim(tmp_path, vneid_auto_approve_after_s=0.3)
    client = kiosk_client(sim)
    try:
        flow = signin(sim, client)
        started = time.monotonic()
        identity = flow.wait(flow.open(KNOWN_RESIDENT), 5)
        assert identity.id_number == KNOWN_RESIDENT and identity.level == 2
        assert 0.25 < time.monotonic() - started < 2.0
        with pytest.raises(VneidTimeout):
            flow.wait(flow.open(None), 0.6)
    finally:
        client.close()
        sim.stop()


def test_bad_hint_is_bad_input(flow: VneidSignin) -> None:
    """A hint that is not a 12-digit ID number is refused before anything is sent."""
    sent = flow.client.requests_sent
    for hint in ("12345", "00109001234X", "0010900123456"):
        with pytest.raises(BadInput):
            flow.open(hint)
    assert flow.client.requests_sent == sent


def test_unreachable_portal_is_portal_unreachable(tmp_path: Path) -> None:
    """No portal: the network error is the sync layer's PortalUnreachable (exit code 3)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = PortalClient(f"http://127.0.0.1:{port}", connect_timeout=1, read_timeout=1)
    key, ca = make_ca()
    with pytest.raises(PortalUnreachable) as caught:
        VneidSignin(client, ca, None).open(KNOWN_RESIDENT)
    assert caught.value.exit_code == 3


def test_settings_factory_fetches_the_demo_simulators_anchor(sim: Sim, demo_settings) -> None:  # noqa: ANN001
    """In demo mode against a loopback simulator the sign-in anchors on the simulator's CA and
    signer fetched over HTTP, and a full sign-in works through it."""
    client = PortalClient(sim.url, kiosk_id="KIOSK-DEMO-01")
    try:
        flow = vneid_signin_for(demo_settings, client)
        authority = sim.app.state.portal.authority
        assert flow.signer == authority.signer_cert and flow.anchor == authority.ca_cert
        session = flow.open(KNOWN_RESIDENT)
        sim.approve(session.session_id)
        assert flow.wait(session, 5).approved_at <= datetime.now(UTC)
    finally:
        client.close()


def test_settings_factory_needs_an_anchor_outside_demo(sim: Sim, kiosk_home: Path) -> None:
    """Outside demo mode, without portal.ca_bundle or an enrolment, nothing is trusted: BadInput."""
    from kiosk.config import load_settings

    settings = load_settings(demo=False, overrides={"portal.url": sim.url})
    client = PortalClient(sim.url)
    try:
        with pytest.raises(BadInput):
            vneid_signin_for(settings, client)
    finally:
        client.close()


def test_cancel_from_another_thread_ends_a_wait_at_once(sim: Sim, flow: VneidSignin) -> None:
    """The UI cancels (resident tapped Back) while a worker waits: the worker's long poll ends
    within a fraction of a second with VneidDenied, not after its timeout."""
    import threading

    session = flow.open(KNOWN_RESIDENT)
    outcome: list[BaseException] = []

    def worker() -> None:
        try:
            flow.wait(session, 20)
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            outcome.append(error)

    waiting = threading.Thread(target=worker)
    waiting.start()
    time.sleep(0.3)
    started = time.monotonic()
    flow.cancel(session)
    waiting.join(timeout=5)
    assert not waiting.is_alive() and time.monotonic() - started < 1.5
    assert isinstance(outcome[0], VneidDenied)


def test_a_lost_answer_costs_the_sign_in_not_the_single_use(sim: Sim, flow: VneidSignin) -> None:
    """If the answer carrying the assertion is lost (the portal consumed it, the connection
    dropped), the kiosk sees the portal unreachable, and asking again gives VneidReplayed: the
    resident signs in again; the assertion is never handed out twice."""
    session = flow.open(KNOWN_RESIDENT)
    sim.approve(session.session_id)
    sim.admin("PUT", "/faults", json={"spec": "vneid:drop=1"})
    with pytest.raises(PortalUnreachable):
        flow.wait(session, 3)
    sim.admin("PUT", "/faults", json={"spec": ""})
    with pytest.raises(VneidReplayed):
        flow.wait(session, 3)
