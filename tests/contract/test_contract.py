"""The kiosk's client against the running simulator: every endpoint, every error code."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from pathlib import Path

import cbor2
import pytest
import requests
from contract_fixtures import FORMS, Portal, envelope, presence
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from kiosk.sync import PortalClient
from kiosk.sync.catalogue import CatalogueSync, current
from kiosk.sync.errors import (
    CaptivePortal,
    NotFound,
    PortalBusy,
    PortalConflict,
    PortalRejected,
    SignatureInvalid,
)
from kiosk.sync.signed import load_anchor, verify_sign1
from portal_sim.pki import key_pem, make_ca, new_key

OFFICIAL = re.compile(r"^[A-Z]\d{2}\.\d{3}\.\d{2}-\d{6}-[A-Z0-9]{2}\d{4,}$")


# -- submissions -------------------------------------------------------------------------------
def test_submission_created_with_official_code_and_due_date(client: PortalClient) -> None:
    """201 carries an official code in the Circular 04/2025 layout, the receiving unit and a due
    date computed from the catalogue's processing days."""
    submission_id, body, _ = envelope()
    record = client.submit(body, submission_id)
    assert OFFICIAL.match(record.official_code)
    assert record.official_code.startswith("H01.001.01-")  # centre HN-01001
    assert record.status == "received" and record.receiving_unit and record.due_date
    assert not record.replayed


def test_same_key_same_body_replays_first_answer(client: PortalClient, portal: Portal) -> None:
    """The same Idempotency-Key with the same body replays the stored answer; one dossier exists."""
    submission_id, body, _ = envelope()
    first = client.submit(body, submission_id)
    again = client.submit(body, submission_id)
    assert again.replayed and again.official_code == first.official_code
    assert len(portal.admin("GET", "/submissions")) == 1


def test_same_key_different_body_is_refused(client: PortalClient, portal: Portal) -> None:
    """The same key with different content is 422 idempotency_key_reused and creates nothing."""
    submission_id, body, _ = envelope()
    client.submit(body, submission_id)
    _, other, _ = envelope({"copies": 9}, submission_id=submission_id)
    with pytest.raises(PortalRejected) as refused:
        client.submit(other, submission_id)
    assert (refused.value.status, refused.value.error) == (422, "idempotency_key_reused")
    assert len(portal.admin("GET", "/submissions")) == 1


@pytest.mark.parametrize("change, field", [
    ({"procedure_code": "not a code!"}, "procedure_code"),
    ({"payload_sha256": "0" * 64}, "payload_sha256"),
    ({"finalized_at": "yesterday"}, "finalized_at"),
    ({"unexpected": 1}, "unexpected"),
])
def test_validation_errors_are_422_with_field_reasons(client: PortalClient, change: dict, field: str) -> None:
    """Malformed dossiers get 422 validation_failed naming the field at fault."""
    submission_id, body, _ = envelope(**change)
    with pytest.raises(PortalRejected) as refused:
        client.submit(body, submission_id)
    assert refused.value.status == 422 and refused.value.error == "validation_failed"
    assert any(field in error["field"] for error in refused.value.field_errors)


def test_key_must_equal_submission_id(client: PortalClient) -> None:
    """An Idempotency-Key that is not the body's submission id is refused (422)."""
    _, body, _ = envelope()
    with pytest.raises(PortalRejected):
        client.submit(body, "00000000-0000-4000-8000-000000000000")


def test_missing_parent_is_409_and_retriable(client: PortalClient) -> None:
    """A child whose parent the portal has not received is 409 parent_not_received (held)."""
    submission_id, body, _ = envelope(depends_on=["00000000-0000-4000-8000-000000000001"])
    with pytest.raises(PortalConflict) as held:
        client.submit(body, submission_id)
    assert held.value.error == "parent_not_received"


def test_missing_attachment_is_409(client: PortalClient) -> None:
    """A dossier naming an attachment that was not uploaded is 409 attachment_incomplete."""
    submission_id, body, _ = envelope(attachments=[{"attachment_id": "a1", "name": "x.pdf",
                                                    "media_type": "application/pdf", "size": 3,
                                                    "sha256": hashlib.sha256(b"abc").hexdigest()}])
    with pytest.raises(PortalConflict) as held:
        client.submit(body, submission_id)
    assert held.value.error == "attachment_incomplete"


# -- status ------------------------------------------------------------------------------------
def test_status_by_submission_id_and_official_code(client: PortalClient, portal: Portal) -> None:
    """Status is found by submission id and by official code, follows the back office, and an
    unknown id is None (404) so the kiosk knows to send."""
    submission_id, body, _ = envelope()
    record = client.submit(body, submission_id)
    assert client.submission_status(submission_id).official_code == record.official_code
    portal.admin("PUT", f"/submissions/{submission_id}/status", json={"status": "result_ready"})
    assert client.dossier_status(record.official_code).status == "result_ready"
    assert client.submission_status("00000000-0000-4000-8000-000000000002") is None
    assert client.dossier_status("H01.001.01-260101-KS9999") is None


def test_other_kiosks_submissions_are_invisible(client: PortalClient, portal: Portal) -> None:
    """A kiosk cannot read another kiosk's dossier status."""
    submission_id, body, _ = envelope()
    client.submit(body, submission_id)
    stranger = PortalClient(portal.url, kiosk_id="KIOSK-OTHER", centre_code="HN-01001")
    assert stranger.submission_status(submission_id) is None


# -- attachments -------------------------------------------------------------------------------
def test_attachment_upload_then_submission(client: PortalClient, portal: Portal) -> None:
    """An attachment uploads in chunks, is checked by SHA-256, and a finished upload is not
    uploaded again (one request)."""
    data = b"%PDF-1.4 " + bytes(range(256)) * 300
    digest = hashlib.sha256(data).hexdigest()
    submission_id, body, _ = envelope(attachments=[{"attachment_id": "scan-1", "name": "scan.pdf",
                                                    "media_type": "application/pdf", "size": len(data),
                                                    "sha256": digest}])
    used = client.upload_attachment(submission_id, "scan-1", "scan.pdf", "application/pdf", digest,
                                    read=lambda: data, chunk_size=20_000)
    assert used == 1 + -(-len(data) // 20_000)
    assert client.upload_attachment(submission_id, "scan-1", "scan.pdf", "application/pdf", digest,
                                    read=lambda: data) == 1
    assert OFFICIAL.match(client.submit(body, submission_id).official_code)


def _open(portal: Portal, data: bytes, sha: str | None = None) -> str:
    answer = requests.post(portal.url + "/v1/uploads", timeout=5, json={
        "submission_id": "00000000-0000-4000-8000-000000000003", "attachment_id": "a", "name": "a.bin",
        "media_type": "application/octet-stream", "size": len(data),
        "sha256": sha or hashlib.sha256(data).hexdigest()})
    assert answer.status_code == 201
    return answer.json()["upload_id"]


def _patch(portal: Portal, upload_id: str, offset: int, data: bytes,
           content_type: str = "application/offset+octet-stream") -> requests.Response:
    return requests.patch(f"{portal.url}/v1/uploads/{upload_id}", data=data, timeout=5,
                          headers={"Upload-Offset": str(offset), "Content-Type": content_type})


def test_upload_errors(portal: Portal) -> None:
    """Wrong offset 409 (with the server's offset), wrong media type 415, past the size 413,
    unknown upload 404, and a wrong SHA-256 is 422 with the upload reset to offset 0."""
    upload_id = _open(portal, b"0123456789", sha="f" * 64)
    assert _patch(portal, upload_id, 0, b"01234").status_code == 204
    mismatch = _patch(portal, upload_id, 2, b"x")
    assert mismatch.status_code == 409 and mismatch.headers["Upload-Offset"] == "5"
    assert _patch(portal, upload_id, 5, b"56789", "text/plain").status_code == 415
    assert _patch(portal, upload_id, 5, b"56789-too-long").status_code == 413
    assert _patch(portal, "nope", 0, b"x").status_code == 404
    wrong_hash = _patch(portal, upload_id, 5, b"56789")
    assert wrong_hash.status_code == 422 and wrong_hash.json()["error"] == "checksum_mismatch"
    head = requests.head(f"{portal.url}/v1/uploads/{upload_id}", timeout=5)
    assert head.headers["Upload-Offset"] == "0" and head.headers["Upload-Length"] == "10"


# -- resident lookup ---------------------------------------------------------------------------
def test_lookup_returns_record_b_with_iso_dates(client: PortalClient) -> None:
    """Record B for a seeded resident: household with members, marital facts, ISO dates."""
    record = client.lookup_resident("036055001234", presence())
    assert record["marital_status"] == "widowed"
    assert record["late_spouse"]["full_name"] and record["late_spouse"]["date_of_death"] == "2020-04-02"
    assert record["household"]["head_id_number"] == "036055001234"
    married = client.lookup_resident("001090012345", presence("genuine"))
    assert married["spouse"] == {"id_number": "001192023456", "full_name": "Lê Thị Hoa",
                                 "date_of_birth": "1992-08-03"}
    assert married["marriage_certificate"]["date"] == "2019-10-20"
    members = {m["id_number"]: m for m in married["household"]["members"]}
    assert members["001221000123"]["date_of_birth"] == "2021-03-05"
    assert set(married) == {"id_number", "full_name", "date_of_birth", "sex", "nationality",
                            "ethnicity", "religion", "place_of_origin", "place_of_birth", "father",
                            "mother", "household", "marital_status", "spouse", "marriage_certificate",
                            "divorce_judgment", "late_spouse", "current_residence",
                            "residence_history", "phone", "email"}


def test_lookup_holds_parents_and_residence_history(client: PortalClient) -> None:
    """Record B carries what the population database holds beyond the chip: the parents with
    their ID numbers, the place of birth registration, and the registered residences
    (permanent and temporary, ISO month precision, oldest first, the current one open)."""
    record = client.lookup_resident("079301004567", presence())
    assert record["father"] == {"id_number": "079070001111", "full_name": "Phạm Văn Tài",
                                "date_of_birth": "1970-04-11"}
    assert record["mother"]["id_number"] == "079173002222"
    assert record["place_of_birth"] and record["ethnicity"] == "Kinh"
    history = record["residence_history"]
    assert [entry["from"] for entry in history] == sorted(entry["from"] for entry in history)
    assert {entry["kind"] for entry in history} == {"permanent", "temporary"}
    assert all(len(entry["from"]) == 7 for entry in history)
    assert [entry["to"] for entry in history if entry["kind"] == "permanent"] == [""]


def test_lookup_refused_without_evidence_of_presence(client: PortalClient, portal: Portal) -> None:
    """No presence evidence, or a chip that failed authentication: 403 presence_required."""
    answer = requests.post(portal.url + "/v1/residents/lookup", json={"id_number": "001090012345"}, timeout=5)
    assert answer.status_code == 403 and answer.json()["error"] == "presence_required"
    with pytest.raises(PortalRejected) as refused:
        client.lookup_resident("001090012345", presence("failed"))
    assert refused.value.status == 403


def test_lookup_unknown_and_malformed(client: PortalClient) -> None:
    """An unknown ID number is 404; a malformed one is 422."""
    with pytest.raises(NotFound):
        client.lookup_resident("999999999999", presence())
    with pytest.raises(PortalRejected) as refused:
        client.lookup_resident("12345", presence())
    assert refused.value.status == 422


# -- catalogue ---------------------------------------------------------------------------------
def test_catalogue_verified_and_applied_atomically(client: PortalClient, tmp_path: Path) -> None:
    """The catalogue verifies against the portal CA, lands as a version folder with current.json,
    and an unchanged catalogue costs a 304."""
    anchor = load_anchor(client.fetch_pem("ca"))
    sync = CatalogueSync(client, tmp_path / "catalogue", anchor)
    applied = sync.update()
    assert applied is not None
    assert (applied.folder / "birth.yaml").read_bytes() == (FORMS / "birth.yaml").read_bytes()
    assert current(tmp_path / "catalogue").version == applied.version
    assert sync.update() is None


def test_catalogue_with_foreign_anchor_or_tampering_is_rejected(client: PortalClient, tmp_path: Path) -> None:
    """A catalogue signed by a signer not from the configured CA, or altered, is not applied."""
    _, foreign = make_ca("Impostor CA")
    with pytest.raises(SignatureInvalid):
        CatalogueSync(client, tmp_path / "a", foreign).update()
    assert current(tmp_path / "a") is None
    signed, _ = client.fetch_catalogue()
    protected, unprotected, payload, signature = cbor2.loads(signed).value
    altered = cbor2.CBORTag(18, [protected, dict(unprotected),
                                 payload.replace(b"processing_days", b"processing_dayz"), signature])
    with pytest.raises(SignatureInvalid):
        verify_sign1(cbor2.dumps(altered), load_anchor(client.fetch_pem("ca")))


# -- enrolment and trust list ------------------------------------------------------------------
def _csr(key) -> str:  # noqa: ANN001
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kiosk")])
    csr = x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM).decode()


def test_enrolment_issues_certificates_once(client: PortalClient, portal: Portal) -> None:
    """A one-time code yields device and receipt certificates from the portal CA; the code cannot
    be used twice or by another kiosk; a bad CSR is 422."""
    code = portal.admin("POST", "/enrolment-codes", json={"kiosk_id": "KIOSK-9"})["code"]
    issued = client.enrol(code, "KIOSK-9", _csr(new_key()), _csr(new_key()))
    ca = x509.load_pem_x509_certificate(issued["ca_certificate"].encode())
    device = x509.load_pem_x509_certificate(issued["device_certificate"].encode())
    device.verify_directly_issued_by(ca)
    assert device.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "KIOSK-9"
    with pytest.raises(PortalRejected) as used:
        client.enrol(code, "KIOSK-9", _csr(new_key()), _csr(new_key()))
    assert used.value.status == 403 and used.value.error == "enrolment_code_invalid"
    other = portal.admin("POST", "/enrolment-codes", json={"kiosk_id": "KIOSK-10"})["code"]
    with pytest.raises(PortalRejected):
        client.enrol(other, "KIOSK-11", _csr(new_key()), _csr(new_key()))
    fresh = portal.admin("POST", "/enrolment-codes", json={"kiosk_id": "KIOSK-12"})["code"]
    with pytest.raises(PortalRejected) as bad:
        client.enrol(fresh, "KIOSK-12", "not a csr", _csr(new_key()))
    assert bad.value.status == 422


def test_expired_enrolment_code_is_refused(client: PortalClient, portal: Portal) -> None:
    """An enrolment code past its validity is 403."""
    code = portal.admin("POST", "/enrolment-codes", json={"kiosk_id": "KIOSK-13"})["code"]
    with portal.app.state.portal.db.transaction() as conn:
        conn.execute("UPDATE enrolment_codes SET expires_at = ?", ("2000-01-01T00:00:00+00:00",))
    with pytest.raises(PortalRejected) as refused:
        client.enrol(code, "KIOSK-13", _csr(new_key()), _csr(new_key()))
    assert refused.value.status == 403


def test_trust_list_format_d(client: PortalClient, portal: Portal) -> None:
    """The trust list is a COSE_Sign1 (ES256, kid of the signer) whose CBOR payload lists each
    enrolled kiosk's receipt certificate with kid = SHA-256(DER)[:8]; revocation shows; an
    independent COSE implementation (pycose) verifies it too."""
    from pycose.keys import EC2Key
    from pycose.messages import Sign1Message

    receipt_key = new_key()
    code = portal.admin("POST", "/enrolment-codes", json={"kiosk_id": "KIOSK-T", "centre_code": "X-02002"}
                        )["code"]
    issued = client.enrol(code, "KIOSK-T", _csr(new_key()), _csr(receipt_key))
    portal.admin("POST", "/kiosks/KIOSK-T/revoke")
    signer = x509.load_pem_x509_certificate(client.fetch_pem("signer"))
    verified = verify_sign1(client.fetch_trust_list(), load_anchor(client.fetch_pem("ca")), signer=signer)
    body = cbor2.loads(verified.payload)
    assert body["v"] == 1 and body["exp"] > body["iat"]
    (entry,) = body["entries"]
    receipt_der = x509.load_pem_x509_certificate(issued["receipt_certificate"].encode()).public_bytes(
        serialization.Encoding.DER)
    assert entry == {"kid": hashlib.sha256(receipt_der).digest()[:8], "cert": receipt_der, "kiosk": "KIOSK-T",
                     "centre": "X-02002", "status": "revoked"}
    # pycose's decode() expects CBOR arrays as lists; cbor2 >= 6 gives tuples, so hand it the list.
    protected, unprotected, payload, signature = cbor2.loads(client.fetch_trust_list()).value
    message = Sign1Message.from_cose_obj([protected, dict(unprotected), payload, signature], True)
    numbers = signer.public_key().public_numbers()
    message.key = EC2Key(crv="P_256", x=numbers.x.to_bytes(32, "big"), y=numbers.y.to_bytes(32, "big"))
    assert message.verify_signature()


# -- ratings, time, health, busy, captive ------------------------------------------------------
def test_ratings_idempotent(client: PortalClient, portal: Portal) -> None:
    """A rating is stored once per key; a different rating under the same key is 422; scores
    outside 1–5 are 422."""
    first = client.rate("KS-0001", 5, "Nhanh", "rating-key-0001")
    assert client.rate("KS-0001", 5, "Nhanh", "rating-key-0001") == first
    with pytest.raises(PortalRejected):
        client.rate("KS-0001", 1, "", "rating-key-0001")
    with pytest.raises(PortalRejected):
        client.rate("KS-0001", 6, "", "rating-key-0002")
    assert len(portal.admin("GET", "/ratings")) == 1


def test_time_and_health(client: PortalClient, portal: Portal) -> None:
    """The clock answer gives a skew near zero on one machine, and follows a configured offset."""
    assert abs(client.portal_time().skew_s) < 2
    portal.admin("PUT", "/rules", json={"time_offset_s": -120})
    assert client.portal_time().skew_s == pytest.approx(-120, abs=2)
    assert client.health()["status"] == "ok"


@pytest.mark.parametrize("code", [429, 503])
def test_busy_answers_carry_retry_after(client: PortalClient, portal: Portal, code: int) -> None:
    """429 and 503 are PortalBusy with the Retry-After seconds."""
    portal.admin("PUT", "/faults", json={"spec": f"{code}=1,retry_after=7"})
    submission_id, body, _ = envelope()
    with pytest.raises(PortalBusy) as busy:
        client.submit(body, submission_id)
    assert (busy.value.status, busy.value.retry_after) == (code, 7)


def test_captive_portal_is_detected_on_every_kind_of_endpoint(client: PortalClient, portal: Portal) -> None:
    """A 200 HTML page is a CaptivePortal error for JSON and COSE endpoints alike."""
    portal.admin("PUT", "/faults", json={"spec": "captive=1"})
    submission_id, body, _ = envelope()
    for call in (lambda: client.submit(body, submission_id), client.portal_time, client.fetch_trust_list,
                 lambda: client.lookup_resident("001090012345", presence())):
        with pytest.raises(CaptivePortal):
            call()
    assert portal.admin("GET", "/submissions") == []


def test_enrolment_key_file_round_trip(tmp_path: Path) -> None:
    """Keys written for the kiosk are PKCS#8 PEM that the TLS stack can load."""
    path = tmp_path / "k.pem"
    path.write_bytes(key_pem(new_key()))
    assert serialization.load_pem_private_key(path.read_bytes(), None)
    assert timedelta(seconds=1)


def test_rate_limit_answers_429_with_computed_retry_after(client: PortalClient, portal: Portal) -> None:
    """With a real limit of 2 requests/s per kiosk, a burst gets 429 with Retry-After ≥ 1 while
    another kiosk is unaffected."""
    portal.admin("PUT", "/faults", json={"spec": "time:rate=2"})
    client.portal_time()
    client.portal_time()
    with pytest.raises(PortalBusy) as busy:
        client.portal_time()
    assert busy.value.status == 429 and busy.value.retry_after >= 1
    other = PortalClient(portal.url, kiosk_id="KIOSK-OTHER", centre_code="HN-01001")
    assert abs(other.portal_time().skew_s) < 2
