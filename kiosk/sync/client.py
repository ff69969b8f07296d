"""The portal client: one ``requests.Session`` per portal, speaking the contract in docs/portal-api.md.

Every call has explicit connect/read timeouts, verifies TLS against the configured CA
bundle and authenticates the kiosk with its device certificate (mutual TLS). requests
never retries on its own (``max_retries=0``): the retry policy is the sender's, because
only it knows whether a POST may be repeated. Every failure becomes one typed error
(kiosk.sync.errors) and a 200 that is not the contract's JSON is a captive portal, never
a success.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import requests
from cryptography import x509
from requests.adapters import HTTPAdapter

from kiosk.errors import BadInput
from kiosk.sync.errors import (
    CaptivePortal,
    ContractViolation,
    DeviceCertificateExpired,
    DeviceNotAccepted,
    NotFound,
    PortalBusy,
    PortalCertificateUntrusted,
    PortalConflict,
    PortalRejected,
    PortalServerError,
    PortalUnreachable,
)

log = logging.getLogger(__name__)

OFFICIAL_CODE = re.compile(r"^[A-Z]\d{2}\.\d{3}\.\d{2}-\d{6}-[A-Z0-9]{2}\d{4,}$")  # Circular 04/2025
JSON = "application/json"
COSE = "application/cose"
DEVICE_ERRORS = ("client_certificate_required", "device_not_enrolled", "device_revoked")
UPLOAD_CHUNK = 256 * 1024


@dataclass(frozen=True)
class PortalRecord:
    """The portal's view of one dossier (answer to a submission or a status query)."""

    submission_id: str
    official_code: str
    status: str
    receiving_unit: str
    due_date: str | None
    received_at: str
    payload_sha256: str
    raw: dict
    replayed: bool = False


@dataclass(frozen=True)
class PortalTime:
    """The portal's clock against ours: ``skew_s`` > 0 means the kiosk is behind."""

    portal_now: datetime
    skew_s: float
    round_trip_s: float


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After in seconds (RFC 9110 §10.2.3: delay-seconds or an HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (now if now is not None else time.time()))


def _record(body: Any, replayed: bool = False) -> PortalRecord:
    try:
        record = PortalRecord(
            submission_id=str(body["submission_id"]), official_code=str(body["official_code"]),
            status=str(body["status"]), receiving_unit=str(body["receiving_unit"]),
            due_date=body.get("due_date"), received_at=str(body["received_at"]),
            payload_sha256=str(body["payload_sha256"]), raw=body, replayed=replayed)
    except (KeyError, TypeError) as error:
        raise ContractViolation(f"portal answer lacks field {error}") from error
    if not OFFICIAL_CODE.match(record.official_code):
        raise ContractViolation("portal answered an official code outside the Circular 04/2025 format")
    return record


class PortalClient:
    """A kiosk's connection to one portal integration endpoint."""

    def __init__(self, base_url: str, *, ca_bundle: str | None = None, client_cert: str | None = None,
                 client_key: str | None = None, connect_timeout: float = 5.0, read_timeout: float = 20.0,
                 kiosk_id: str = "", centre_code: str = "", pool_size: int = 4) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self.client_cert = client_cert or None
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.session.verify = ca_bundle or True
        self.session.trust_env = False  # no proxy from the environment: the kiosk's path is configured
        if client_cert:
            self.session.cert = (client_cert, client_key) if client_key else client_cert
        # Over mutual TLS the portal reads these from the certificate; the plain-HTTP simulator
        # (loopback demo) trusts them instead.
        self.session.headers.update({"User-Agent": "vn-kiosk-sync/1", "Accept": JSON})
        if kiosk_id:
            self.session.headers["X-Kiosk-Id"] = kiosk_id
        if centre_code:
            self.session.headers["X-Centre-Code"] = centre_code
        self._count_lock = threading.Lock()
        self._requests_sent = 0
        self._per_thread = threading.local()

    @classmethod
    def from_settings(cls, settings: Any, base_url: str | None = None) -> PortalClient:
        """The client for ``settings.portal`` (``base_url`` overrides it, e.g. the demo simulator's)."""
        portal = settings.portal
        url = base_url or portal.url
        if not url:
            raise BadInput("portal.url is empty: set KIOSK_PORTAL_URL (or run the kiosk in demo mode, "
                           "which starts the local portal simulator)")
        return cls(url, ca_bundle=portal.ca_bundle or None, client_cert=portal.client_cert or None,
                   client_key=portal.client_key or None, connect_timeout=portal.connect_timeout_s,
                   read_timeout=portal.read_timeout_s, kiosk_id=settings.kiosk.kiosk_id,
                   centre_code=settings.kiosk.centre_code)

    def close(self) -> None:
        self.session.close()

    @property
    def requests_sent(self) -> int:
        """HTTP requests made by this client so far (all threads)."""
        return self._requests_sent

    def requests_by_this_thread(self) -> int:
        """Requests made by the calling thread: what one sender worker's attempt cost."""
        return getattr(self._per_thread, "count", 0)

    # -- plumbing ---------------------------------------------------------------------------
    def check_device_certificate(self, now: datetime | None = None) -> datetime | None:
        """Refuse to talk with an expired (or not yet valid) device certificate; return its expiry."""
        if not self.client_cert:
            return None
        try:
            cert = x509.load_pem_x509_certificate(Path(self.client_cert).read_bytes())
        except (OSError, ValueError) as error:
            raise DeviceNotAccepted(f"device certificate {self.client_cert} unreadable: enrol the kiosk "
                                    "again") from error
        moment = now or datetime.now(UTC)
        if moment > cert.not_valid_after_utc:
            raise DeviceCertificateExpired(f"the device certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}"
                                           "; re-enrol the kiosk (kiosk provision)")
        if moment < cert.not_valid_before_utc:
            raise DeviceCertificateExpired("the device certificate is not valid yet: check the kiosk's clock")
        return cert.not_valid_after_utc

    def _send(self, method: str, path: str, *, timeout: tuple[float, float] | None = None,
              **kwargs: Any) -> requests.Response:
        url = self.base_url + path
        with self._count_lock:
            self._requests_sent += 1
        self._per_thread.count = self.requests_by_this_thread() + 1
        try:
            return self.session.request(method, url, timeout=timeout or self.timeout, allow_redirects=False,
                                        **kwargs)
        except requests.exceptions.SSLError as error:
            text = str(error)
            if "CERTIFICATE_VERIFY_FAILED" in text or "hostname" in text.lower():
                raise PortalCertificateUntrusted(f"{method} {path}: the portal's TLS certificate is not "
                                                 "trusted (wrong CA, expired or wrong host); check "
                                                 "portal.ca_bundle") from error
            if "alert" in text.lower() and "certificate" in text.lower():
                raise DeviceNotAccepted(f"{method} {path}: the portal refused this kiosk's device "
                                        "certificate at TLS; re-enrol the kiosk") from error
            raise PortalUnreachable(f"{method} {path}: TLS failed", maybe_received=False) from error
        except requests.exceptions.ConnectTimeout as error:
            raise PortalUnreachable(f"{method} {path}: connect timeout", maybe_received=False) from error
        except requests.exceptions.ReadTimeout as error:
            raise PortalUnreachable(f"{method} {path}: no answer in time", maybe_received=True) from error
        except requests.exceptions.ConnectionError as error:
            text = str(error)
            if "alert" in text.lower() and "certificate" in text.lower():
                raise DeviceNotAccepted(f"{method} {path}: the portal refused this kiosk's device "
                                        "certificate at TLS; re-enrol the kiosk") from error
            before = any(marker in text for marker in ("NewConnectionError", "Connection refused",
                                                       "Name or service not known", "No route to host"))
            raise PortalUnreachable(f"{method} {path}: connection failed", maybe_received=not before
                                    ) from error
        except requests.exceptions.RequestException as error:
            raise PortalUnreachable(f"{method} {path}: {type(error).__name__}", maybe_received=True
                                    ) from error

    def _check(self, response: requests.Response, path: str, expect: str = JSON) -> requests.Response:
        """Map the answer to success or one typed error; a wrong content type is a captive portal."""
        status = response.status_code
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if 300 <= status < 400 and status != 304:
            raise CaptivePortal(f"{path}: redirected ({status}) — a login page or proxy is in the way")
        if status in (200, 201) and content_type != expect:
            raise CaptivePortal(f"{path}: got {content_type or 'no content type'} instead of {expect} — "
                                "a captive portal or proxy answered, not the portal")
        if status < 300 or status == 304:
            return response
        body: dict = {}
        if content_type == JSON:
            try:
                body = response.json()
            except ValueError:
                body = {}
        elif status not in (429, 502, 503, 504):
            raise CaptivePortal(f"{path}: {status} with {content_type or 'no content type'} — not the portal")
        error = str(body.get("error", "")) if isinstance(body, dict) else ""
        message = f"{path}: {status} {error}".strip()
        if status in (429, 503):
            raise PortalBusy(message, status=status,
                             retry_after=parse_retry_after(response.headers.get("Retry-After")))
        if status in (401, 403) and (error in DEVICE_ERRORS or status == 401):
            raise DeviceNotAccepted(f"{message}: the portal refused this kiosk; re-enrol it")
        if status == 404:
            raise NotFound(message)
        if status == 409:
            raise PortalConflict(message, error=error)
        if status >= 500:
            raise PortalServerError(message, status=status)
        raise PortalRejected(message, status=status, error=error,
                             field_errors=list(body.get("errors", [])) if isinstance(body, dict) else [])

    def _json(self, response: requests.Response, path: str) -> Any:
        try:
            return response.json()
        except ValueError as error:
            raise CaptivePortal(f"{path}: the answer is not JSON — not the portal") from error

    # -- endpoints --------------------------------------------------------------------------
    def submit(self, envelope_bytes: bytes, submission_id: str) -> PortalRecord:
        """POST the frozen envelope with its submission id as the Idempotency-Key."""
        path = "/v1/submissions"
        response = self._check(self._send("POST", path, data=envelope_bytes, headers={
            "Content-Type": JSON, "Idempotency-Key": submission_id}), path)
        if response.status_code != 201:
            raise ContractViolation(f"{path}: expected 201, got {response.status_code}")
        return _record(self._json(response, path),
                       replayed=response.headers.get("Idempotent-Replayed") == "true")

    def submission_status(self, submission_id: str) -> PortalRecord | None:
        """The portal's record of a submission, or None if it never received it."""
        path = f"/v1/submissions/{submission_id}"
        try:
            response = self._check(self._send("GET", path), path)
        except NotFound:
            return None
        return _record(self._json(response, path))

    def dossier_status(self, official_code: str) -> PortalRecord | None:
        path = f"/v1/dossiers/{official_code}"
        try:
            response = self._check(self._send("GET", path), path)
        except NotFound:
            return None
        return _record(self._json(response, path))

    def upload_attachment(self, submission_id: str, attachment_id: str, name: str, media_type: str,
                          sha256: str, read: Callable[[], bytes], chunk_size: int = UPLOAD_CHUNK,
                          on_chunk: Callable[[], None] | None = None, max_resumes: int = 3) -> int:
        """Upload one attachment resumably (tus-style offsets); returns the requests it took.

        ``read`` is called only when bytes are actually needed, so an attachment the portal
        already holds is not even read from the store.
        """
        path = "/v1/uploads"
        sent_before = self.requests_by_this_thread()
        data: bytes | None = None
        size_hint: dict[str, int] = {}

        def load() -> bytes:
            nonlocal data
            if data is None:
                data = read()
                if hashlib.sha256(data).hexdigest() != sha256:
                    raise ContractViolation(f"attachment {attachment_id}: local bytes do not match their "
                                            "SHA-256; the store copy is damaged")
            return data

        size_hint["size"] = len(load())
        opened = self._json(self._check(self._send("POST", path, json={
            "submission_id": submission_id, "attachment_id": attachment_id, "name": name,
            "media_type": media_type, "size": size_hint["size"], "sha256": sha256}), path), path)
        if opened.get("complete"):
            return self.requests_by_this_thread() - sent_before
        upload_path = f"/v1/uploads/{opened['upload_id']}"
        offset, resumes, restarts = int(opened["offset"]), 0, 0
        while True:
            chunk = load()[offset: offset + chunk_size]
            try:
                response = self._check(self._send("PATCH", upload_path, data=chunk, headers={
                    "Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset)}),
                    upload_path)
                offset = int(response.headers["Upload-Offset"])
                if on_chunk:
                    on_chunk()
                if offset >= len(load()):
                    return self.requests_by_this_thread() - sent_before
            except (PortalUnreachable, PortalConflict) as error:
                resumes += 1
                if resumes > max_resumes:
                    raise
                log.info("upload %s interrupted (%s); resuming", attachment_id, type(error).__name__)
                head = self._check(self._send("HEAD", upload_path), upload_path, expect="")
                offset = int(head.headers["Upload-Offset"])
            except PortalRejected as error:
                if error.error != "checksum_mismatch" or restarts:
                    raise
                restarts, offset = 1, 0

    def lookup_resident(self, id_number: str, presence: dict[str, str]) -> dict:
        """Record B for a resident present at the kiosk; presence = chip verdict + consent reference."""
        path = "/v1/residents/lookup"
        response = self._check(self._send("POST", path, json={"id_number": id_number,
                                                              "presence": presence}), path)
        return self._json(response, path)

    def lookup_relative(self, id_number: str, relation: str, purpose: str,
                        presence: dict[str, str]) -> dict:
        """Record B of a relative the present resident's record links (father, mother,
        spouse), for a procedure that needs it; without their contacts or household."""
        path = "/v1/residents/relative-lookup"
        response = self._check(self._send("POST", path, json={
            "id_number": id_number, "relation": relation, "purpose": purpose,
            "presence": presence}), path)
        return self._json(response, path)

    def fetch_catalogue(self, etag: str | None = None) -> tuple[bytes | None, str | None]:
        """(signed catalogue, ETag), or (None, etag) when unchanged since ``etag``."""
        path = "/v1/catalogue"
        headers = {"Accept": COSE, **({"If-None-Match": etag} if etag else {})}
        response = self._check(self._send("GET", path, headers=headers), path, expect=COSE)
        if response.status_code == 304:
            return None, etag
        return response.content, response.headers.get("ETag")

    def fetch_trust_list(self) -> bytes:
        path = "/v1/trust-list"
        return self._check(self._send("GET", path, headers={"Accept": COSE}), path, expect=COSE).content

    def fetch_pem(self, which: str) -> bytes:
        """The portal CA ('ca') or content signer ('signer') certificate, PEM."""
        path = f"/v1/pki/{which}"
        return self._check(self._send("GET", path, headers={"Accept": "application/x-pem-file"}), path,
                           expect="application/x-pem-file").content

    def enrol(self, enrolment_code: str, kiosk_id: str, device_csr_pem: str, receipt_csr_pem: str) -> dict:
        """Exchange a one-time enrolment code for the device and receipt certificates."""
        path = "/v1/enrolments"
        response = self._check(self._send("POST", path, json={
            "enrolment_code": enrolment_code, "kiosk_id": kiosk_id, "device_csr": device_csr_pem,
            "receipt_csr": receipt_csr_pem}), path)
        return self._json(response, path)

    def rate(self, ticket: str, score: int, comment: str, idempotency_key: str) -> int:
        path = "/v1/ratings"
        response = self._check(self._send("POST", path, json={"ticket": ticket, "score": score,
                                                              "comment": comment},
                                          headers={"Idempotency-Key": idempotency_key}), path)
        return int(self._json(response, path)["rating_id"])

    def portal_time(self) -> PortalTime:
        """The portal's clock; skew assumes the answer was made halfway through the round trip."""
        path = "/v1/time"
        started_wall, started = time.time(), time.monotonic()
        response = self._check(self._send("GET", path), path)
        round_trip = time.monotonic() - started
        body = self._json(response, path)
        try:
            portal_ms = int(body["epoch_ms"])
        except (KeyError, TypeError, ValueError) as error:
            raise ContractViolation(f"{path}: no epoch_ms") from error
        midpoint = started_wall + round_trip / 2
        return PortalTime(portal_now=datetime.fromtimestamp(portal_ms / 1000, UTC),
                          skew_s=portal_ms / 1000 - midpoint, round_trip_s=round_trip)

    def health(self) -> dict:
        path = "/v1/health"
        return self._json(self._check(self._send("GET", path), path), path)

    # -- VNeID sign-in (docs/portal-api.md §15) ----------------------------------------------
    def vneid_open(self, nonce: str, hint_id: str | None = None) -> dict:
        """Open a VNeID sign-in session; POST so the hint (an ID number) never enters a URL."""
        path = "/v1/vneid/sessions"
        response = self._check(self._send("POST", path, json={"nonce": nonce, "hint_id": hint_id}), path)
        return self._json(response, path)

    def vneid_poll(self, session_id: str, wait_s: float) -> dict:
        """Long-poll a session for up to ``wait_s`` seconds (the read timeout stretches to cover it)."""
        path = f"/v1/vneid/sessions/{session_id}"
        connect, read = self.timeout
        response = self._check(self._send("GET", path, params={"wait": f"{wait_s:.1f}"},
                                          timeout=(connect, read + wait_s)), path)
        return self._json(response, path)

    def vneid_cancel(self, session_id: str) -> None:
        path = f"/v1/vneid/sessions/{session_id}"
        self._check(self._send("DELETE", path), path, expect="")


def envelope(item: Any) -> bytes:
    """The submission body for an outbox item: the same bytes on every retry (sorted keys, no
    floating-point or clock-dependent parts), its payload the frozen canonical bytes."""
    body = {
        "submission_id": item.submission_id, "ticket": item.ticket, "procedure_code": item.procedure_code,
        "form_id": item.form_id, "form_version": item.form_version,
        "payload": json.loads(item.payload_bytes.decode("utf-8")), "payload_sha256": item.payload_sha256,
        "attachments": [{"attachment_id": a.attachment_id, "name": a.name, "media_type": a.media_type,
                         "size": a.size, "sha256": a.sha256} for a in item.attachments],
        "depends_on": list(item.depends_on), "supersedes": item.supersedes,
        "finalized_at": item.finalized_at.astimezone(UTC).isoformat(),
    }
    if getattr(item, "identification", None) is not None:
        body["identification"] = item.identification
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
