"""The kiosk-facing contract (docs/portal-api.md), version 1."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Annotated

import cbor2
from cryptography.hazmat.primitives import serialization
from fastapi import APIRouter, Depends, Header, Request, Response

from portal_sim import __version__
from portal_sim.codes import code_prefix, due_date, official_code
from portal_sim.cose import sign1
from portal_sim.db import fingerprint, now_utc
from portal_sim.identity import Caller, identify
from portal_sim.lookup import lookup_record
from portal_sim.models import (
    EnrolmentIn,
    EnrolmentOut,
    ErrorBody,
    HealthOut,
    LookupIn,
    LookupOut,
    RatingIn,
    RatingOut,
    RelativeLookupIn,
    SubmissionIn,
    SubmissionOut,
    TimeOut,
    UploadIn,
    UploadOut,
)
from portal_sim.pki import CsrRejected, cert_der, cert_pem, kid_of, public_key_from_csr

router = APIRouter(prefix="/v1")
TRUST_LIST_DAYS = 7
IDEMPOTENCY_KEY = Header(alias="Idempotency-Key", pattern=r"^[A-Za-z0-9-]{8,64}$",
                         description="The dossier's submission id (retries send the same).")


class ApiError(Exception):
    """An error answer in the contract's shape (ErrorBody)."""

    def __init__(self, status: int, error: str, message: str, errors: list[dict] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message
        self.errors, self.headers = errors or [], headers or {}


def errors(*codes: int) -> dict:
    return {code: {"model": ErrorBody} for code in codes}


CommonErrors = errors(401, 403, 429, 503)
CallerDep = Annotated[Caller, Depends(identify)]


def portal(request: Request):  # noqa: ANN201 - the app's PortalState
    return request.app.state.portal


def _submission_out(row: dict) -> dict:
    return {key: row[key] for key in ("submission_id", "official_code", "status", "receiving_unit",
                                      "due_date", "received_at", "updated_at", "payload_sha256",
                                      "procedure_code")}


@router.post("/submissions", status_code=201, response_model=SubmissionOut, tags=["submissions"],
             responses={**CommonErrors, **errors(409, 422)})
def submit(body: SubmissionIn, request: Request, response: Response, caller: CallerDep,
           idempotency_key: Annotated[str, IDEMPOTENCY_KEY]) -> dict:
    """Receive a dossier exactly once.

    The first answer for an Idempotency-Key is stored and replayed for the same request
    (header ``Idempotent-Replayed: true``); the same key with different content is 422
    ``idempotency_key_reused`` and never creates a second dossier.
    """
    state = portal(request)
    if idempotency_key != body.submission_id:
        raise ApiError(422, "validation_failed", "Idempotency-Key must equal submission_id",
                       [{"field": "Idempotency-Key", "reason": "differs from submission_id"}])
    document = body.model_dump(mode="json")
    print_ = fingerprint(document)
    canonical = json.dumps(body.payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if hashlib.sha256(canonical.encode("utf-8")).hexdigest() != body.payload_sha256:
        raise ApiError(422, "validation_failed", "payload_sha256 does not match the payload",
                       [{"field": "payload_sha256", "reason": "hash of the canonical payload differs"}])
    rejected = state.rules.get("reject_procedures", [])
    if body.procedure_code in rejected:
        raise ApiError(422, "validation_failed", "the dossier failed the portal's validation",
                       [{"field": "payload", "reason": f"procedure {body.procedure_code} rejects this "
                                                       f"dossier (simulator rule)"}])
    if not body.payload:
        raise ApiError(422, "validation_failed", "empty payload", [{"field": "payload", "reason": "empty"}])
    with state.db.transaction() as conn:
        stored = state.db.idempotent(conn, idempotency_key, "submissions:" + caller.kiosk_id, print_)
        if stored == "mismatch":
            raise ApiError(422, "idempotency_key_reused", "this Idempotency-Key was used with different "
                           "content; a dossier is never received twice")
        if stored is not None:
            response.headers["Idempotent-Replayed"] = "true"
            response.status_code = stored[0]
            return stored[1]
        if conn.execute("SELECT 1 FROM submissions WHERE submission_id=?",
                        (body.submission_id,)).fetchone():
            raise ApiError(422, "idempotency_key_reused", "submission id already received by another kiosk")
        for parent in body.depends_on:
            if not conn.execute("SELECT 1 FROM submissions WHERE submission_id=?", (parent,)).fetchone():
                raise ApiError(409, "parent_not_received", "a dossier this one depends on was not "
                               "received yet; send it first", [{"field": "depends_on", "reason": parent}])
        uploads = state.db.uploads_for(conn, body.submission_id)
        for attachment in body.attachments:
            upload = uploads.get(attachment.attachment_id)
            if upload is None or not upload["complete"] or upload["sha256"] != attachment.sha256:
                raise ApiError(409, "attachment_incomplete", "upload every attachment before submitting",
                               [{"field": f"attachments.{attachment.attachment_id}", "reason": "not uploaded"}])
        received = now_utc()
        prefix = code_prefix(caller.centre_code, received)
        code = official_code(prefix, state.db.next_serial(conn, prefix))
        days = state.catalogue().processing_days.get(body.procedure_code, 3)
        row = {
            "submission_id": body.submission_id, "kiosk_id": caller.kiosk_id, "official_code": code,
            "procedure_code": body.procedure_code, "form_id": body.form_id,
            "form_version": body.form_version, "ticket": body.ticket, "payload": canonical,
            "payload_sha256": body.payload_sha256,
            "attachments": json.dumps([a.model_dump() for a in body.attachments]),
            "depends_on": json.dumps(body.depends_on), "supersedes": body.supersedes,
            "status": "received", "receiving_unit": caller.centre_name,
            "due_date": due_date(received, days), "received_at": received.isoformat(),
            "updated_at": received.isoformat(),
        }
        state.db.insert_submission(conn, row)
        answer = _submission_out(row)
        state.db.remember(conn, idempotency_key, "submissions:" + caller.kiosk_id, print_, 201, answer)
    return answer


def _own(row: dict | None, caller: Caller) -> dict:
    if row is None or row["kiosk_id"] != caller.kiosk_id:
        raise ApiError(404, "not_found", "no such submission from this kiosk")
    return _submission_out(row)


@router.get("/submissions/{submission_id}", response_model=SubmissionOut, tags=["status"],
            responses={**CommonErrors, **errors(404)})
def submission_status(submission_id: str, request: Request, caller: CallerDep) -> dict:
    """Status by submission id: how a kiosk reconciles after a lost answer (404 = never received)."""
    return _own(portal(request).db.submission(submission_id), caller)


@router.get("/dossiers/{official_code}", response_model=SubmissionOut, tags=["status"],
            responses={**CommonErrors, **errors(404)})
def dossier_status(official_code: str, request: Request, caller: CallerDep) -> dict:
    """Status by official dossier code."""
    return _own(portal(request).db.submission_by_code(official_code), caller)


@router.post("/uploads", status_code=201, response_model=UploadOut, tags=["attachments"],
             responses={**CommonErrors, 200: {"model": UploadOut}})
def open_upload(body: UploadIn, request: Request, response: Response, caller: CallerDep) -> dict:
    """Create (201) or find (200) the resumable upload of one attachment; continue at ``offset``."""
    row, created = portal(request).db.open_upload(body.submission_id, body.attachment_id, body.name,
                                                  body.media_type, body.size, body.sha256)
    if not created:
        response.status_code = 200
    response.headers["Location"] = f"/v1/uploads/{row['upload_id']}"
    return {"upload_id": row["upload_id"], "offset": row["offset"], "size": row["size"],
            "complete": bool(row["complete"])}


def _upload_or_404(request: Request, upload_id: str) -> dict:
    row = portal(request).db.upload(upload_id)
    if row is None:
        raise ApiError(404, "not_found", "no such upload; create it again")
    return row


@router.head("/uploads/{upload_id}", tags=["attachments"], responses={**CommonErrors, **errors(404)})
def upload_offset(upload_id: str, request: Request, caller: CallerDep) -> Response:
    """Where to resume: ``Upload-Offset`` and ``Upload-Length`` headers (tus 1.0 HEAD)."""
    row = _upload_or_404(request, upload_id)
    return Response(status_code=200, headers={"Upload-Offset": str(row["offset"]),
                                              "Upload-Length": str(row["size"]), "Cache-Control": "no-store"})


@router.patch("/uploads/{upload_id}", status_code=204, tags=["attachments"],
              responses={**CommonErrors, **errors(404, 409, 413, 415, 422)},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/offset+octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
async def upload_chunk(upload_id: str, request: Request, caller: CallerDep,
                       upload_offset: Annotated[int, Header(alias="Upload-Offset", ge=0)]) -> Response:
    """Append a chunk at ``Upload-Offset``; the last chunk triggers the SHA-256 check (422 on mismatch)."""
    if request.headers.get("content-type", "") != "application/offset+octet-stream":
        raise ApiError(415, "unsupported_media_type", "send chunks as application/offset+octet-stream")
    row = _upload_or_404(request, upload_id)
    if upload_offset != row["offset"]:
        raise ApiError(409, "offset_mismatch", "resume from the server's offset (HEAD the upload)",
                       headers={"Upload-Offset": str(row["offset"])})
    data = await request.body()
    if upload_offset + len(data) > row["size"]:
        raise ApiError(413, "upload_too_large", "the chunk goes past the declared size")
    updated = portal(request).db.append_chunk(upload_id, upload_offset, data)
    if updated.get("hash_mismatch"):
        raise ApiError(422, "checksum_mismatch", "the file's SHA-256 differs from the declared one; "
                       "upload it again from offset 0", headers={"Upload-Offset": "0"})
    return Response(status_code=204, headers={"Upload-Offset": str(updated["offset"])})


@router.post("/residents/lookup", response_model=LookupOut, tags=["residents"],
             responses={**CommonErrors, **errors(404, 422)})
def resident_lookup(body: LookupIn, request: Request, caller: CallerDep) -> dict:
    """National-database facts about a resident who is present at the kiosk.

    Refused (403 ``presence_required``) without the chip's authenticity result and the
    session's consent reference, or when the chip failed authentication.
    """
    if body.presence is None:
        raise ApiError(403, "presence_required", "send the chip's authenticity result and the consent "
                       "reference of this session")
    if body.presence.chip_authenticity == "failed":
        raise ApiError(403, "presence_required", "the card failed authentication; no lookup")
    record = lookup_record(portal(request).seed, body.id_number)
    if record is None:
        raise ApiError(404, "not_found", "no resident with this ID number in the national databases")
    return record


RELATIVE_PURPOSES = {"death_registration", "birth_registration", "marriage_registration"}


@router.post("/residents/relative-lookup", response_model=LookupOut, tags=["residents"],
             responses={**CommonErrors, **errors(404, 422)})
def relative_lookup(body: RelativeLookupIn, request: Request, caller: CallerDep) -> dict:
    """The civil record of a relative the present resident's own record links (father,
    mother, spouse) — to register a parent's death, or a birth with the other parent.

    Only for procedures that need it, only for a linked relative, and without their
    contact details or household: 403 ``presence_required`` without the requester's
    presence, 403 ``purpose_not_allowed`` for another procedure, 404 ``not_linked`` when
    the requester's record names no such relative.
    """
    if body.presence.chip_authenticity == "failed":
        raise ApiError(403, "presence_required", "the card failed authentication; no lookup")
    if body.purpose not in RELATIVE_PURPOSES:
        raise ApiError(403, "purpose_not_allowed", "a relative's record is given only for "
                       + ", ".join(sorted(RELATIVE_PURPOSES)))
    seed = portal(request).seed
    requester = lookup_record(seed, body.id_number)
    linked = (requester or {}).get(body.relation) or {}
    record = lookup_record(seed, linked.get("id_number", "")) if linked else None
    if record is None:
        raise ApiError(404, "not_linked", "the resident's record names no such relative")
    record["phone"] = record["email"] = ""
    record["household"] = dict(record["household"], members=[])
    return record


COSE_RESPONSE = {200: {"content": {"application/cose": {"schema": {"type": "string", "format": "binary"}}}}}


@router.get("/catalogue", tags=["catalogue"], response_class=Response,
            responses={**COSE_RESPONSE, 304: {"description": "Not modified"}, **CommonErrors})
def catalogue(request: Request, caller: CallerDep,
              if_none_match: Annotated[str | None, Header(alias="If-None-Match")] = None) -> Response:
    """The signed catalogue (COSE_Sign1, CBOR payload of every procedure spec file); ETag = version."""
    state = portal(request)
    current = state.catalogue()
    etag = f'"{current.version}"'
    if if_none_match == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(current.signed(state.authority), media_type="application/cose",
                    headers={"ETag": etag, "X-Catalogue-Version": current.version})


@router.get("/trust-list", tags=["trust"], response_class=Response, responses={**COSE_RESPONSE})
def trust_list(request: Request) -> Response:
    """Receipt-signing certificates of enrolled kiosks (format D), signed by the portal signer."""
    state = portal(request)
    issued = int(time.time())
    entries = [{"kid": kid_of(kiosk["receipt_cert"]), "cert": kiosk["receipt_cert"],
                "kiosk": kiosk["kiosk_id"], "centre": kiosk["centre_code"],
                "status": "active" if kiosk["status"] == "active" else "revoked"}
               for kiosk in state.db.kiosks()]
    payload = cbor2.dumps({"v": 1, "iat": issued, "exp": issued + TRUST_LIST_DAYS * 86400,
                           "entries": entries})
    return Response(sign1(payload, state.authority.signer_key, state.authority.signer_kid),
                    media_type="application/cose")


PEM_RESPONSE = {200: {"content": {"application/x-pem-file": {"schema": {"type": "string"}}}}}


@router.get("/pki/ca", tags=["trust"], response_class=Response, responses=PEM_RESPONSE)
def ca_certificate(request: Request) -> Response:
    """The portal CA (anchor for TLS, device and receipt certificates, and the signer)."""
    return Response(cert_pem(portal(request).authority.ca_cert), media_type="application/x-pem-file")


@router.get("/pki/signer", tags=["trust"], response_class=Response, responses=PEM_RESPONSE)
def signer_certificate(request: Request) -> Response:
    """The certificate that signs the catalogue and the trust list (issued by the CA)."""
    return Response(cert_pem(portal(request).authority.signer_cert), media_type="application/x-pem-file")


@router.post("/enrolments", status_code=201, response_model=EnrolmentOut, tags=["enrolment"],
             responses=errors(403, 422, 429, 503))
def enrol(body: EnrolmentIn, request: Request) -> dict:
    """Issue a kiosk's device and receipt-signing certificates for a one-time enrolment code."""
    state = portal(request)
    try:
        device_csr = public_key_from_csr(body.device_csr)
        receipt_csr = public_key_from_csr(body.receipt_csr)
    except CsrRejected as error:
        raise ApiError(422, "validation_failed", str(error), [{"field": "device_csr", "reason": str(error)}]
                       ) from error
    if device_csr.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo) == \
            receipt_csr.public_key().public_bytes(serialization.Encoding.DER,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo):
        raise ApiError(422, "validation_failed", "device and receipt keys must differ",
                       [{"field": "receipt_csr", "reason": "same key as the device"}])
    with state.db.transaction() as conn:
        code = state.db.consume_enrolment_code(conn, body.enrolment_code)
        if isinstance(code, str):
            raise ApiError(403, "enrolment_code_invalid", f"enrolment code {code}; ask for a new one")
        if code["kiosk_id"] != body.kiosk_id:
            raise ApiError(403, "enrolment_code_invalid", "this code was issued for another kiosk")
        authority = state.authority
        device = authority.issue_kiosk(device_csr, body.kiosk_id, code["centre_code"], "device")
        receipt = authority.issue_kiosk(receipt_csr, body.kiosk_id, code["centre_code"], "receipt")
        state.db.register_kiosk(conn, body.kiosk_id, code["centre_code"], code["centre_name"],
                                cert_der(device), cert_der(receipt))
    return {"kiosk_id": body.kiosk_id, "centre_code": code["centre_code"], "centre_name": code["centre_name"],
            "device_certificate": cert_pem(device).decode(), "receipt_certificate": cert_pem(receipt).decode(),
            "ca_certificate": cert_pem(authority.ca_cert).decode(),
            "signer_certificate": cert_pem(authority.signer_cert).decode()}


@router.post("/ratings", status_code=201, response_model=RatingOut, tags=["ratings"],
             responses={**CommonErrors, **errors(422)})
def rate(body: RatingIn, request: Request, response: Response, caller: CallerDep,
         idempotency_key: Annotated[str, IDEMPOTENCY_KEY]) -> dict:
    """A resident's satisfaction rating (1–5) for a visit, identified by the kiosk ticket."""
    state = portal(request)
    print_ = fingerprint(body.model_dump())
    with state.db.transaction() as conn:
        stored = state.db.idempotent(conn, idempotency_key, "ratings:" + caller.kiosk_id, print_)
        if stored == "mismatch":
            raise ApiError(422, "idempotency_key_reused", "this Idempotency-Key was used for another rating")
        if stored is not None:
            response.headers["Idempotent-Replayed"] = "true"
            return stored[1]
        answer = {"rating_id": state.db.add_rating(conn, caller.kiosk_id, body.ticket, body.score,
                                                   body.comment)}
        state.db.remember(conn, idempotency_key, "ratings:" + caller.kiosk_id, print_, 201, answer)
    return answer


@router.get("/time", response_model=TimeOut, tags=["operations"], responses=errors(429, 503))
def portal_time(request: Request) -> dict:
    """The portal's clock, so kiosks can detect their own skew."""
    now = datetime.now(UTC) + timedelta(seconds=portal(request).rules.get("time_offset_s", 0.0))
    return {"now": now.isoformat(), "epoch_ms": int(now.timestamp() * 1000)}


@router.get("/health", response_model=HealthOut, tags=["operations"])
def health() -> dict:
    """Liveness of the integration endpoint."""
    return {"status": "ok", "version": __version__}
