"""VNeID sign-in at the kiosk: show the portal's QR, wait for the resident's approval in the
VNeID app, and accept the identity only from a genuine, fresh, single-use portal assertion.

VNeID level 2 is the national electronic identity (Decree 69/2024/ND-CP). Its app has no public
API, so the kiosk goes through our portal contract (docs/portal-api.md §15): open a session,
long-poll it, receive a COSE_Sign1 assertion signed by the portal's content signer — the same
signer and verification as the catalogue (kiosk.sync.signed). An assertion is refused when its
signature or signer fails (VneidForged), when it names another session or nonce, or was already
accepted (VneidReplayed), and when it arrives after the session's expiry (VneidExpired).

The identity returned must still be compared with the card's ID number by the caller
(``VneidIdentity.matches``): VNeID proves who approved, the card who is standing here.
Logs name session ids only, never the person.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import cbor2
from cryptography import x509
from cryptography.exceptions import InvalidSignature

from kiosk.errors import BadInput, KioskError
from kiosk.sync.client import PortalClient
from kiosk.sync.errors import (
    ContractViolation,
    NotFound,
    PortalConflict,
    PortalError,
    SignatureInvalid,
)
from kiosk.sync.signed import load_anchor, verify_sign1

log = logging.getLogger(__name__)

ASSERTION_TYPE = "vneid-identity"
MAX_POLL_S = 25.0  # the contract's longest long poll
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
ID_NUMBER = re.compile(r"^\d{12}$")
LEVELS = (1, 2)


class VneidError(KioskError):
    """The VNeID sign-in did not yield an identity; the resident can try again or use the card."""

    exit_code = 1


class VneidExpired(VneidError):
    """The session's time ran out (on the portal's clock or ours) before an approval arrived."""


class VneidDenied(VneidError):
    """The resident refused in the app, or the session was cancelled."""


class VneidTimeout(VneidError):
    """The kiosk stopped waiting before the session expired; the session may still be open."""


class VneidReplayed(VneidError):
    """An assertion for another session or nonce, one already accepted, or a session whose
    assertion was already collected: never an identity."""


class VneidForged(VneidError):
    """The assertion's signature, signer or structure does not check out."""


@dataclass(frozen=True)
class VneidSession:
    """One sign-in the kiosk opened: show ``qr_text``; ``deadline`` is on the kiosk's own clock."""

    session_id: str
    qr_text: str
    short_code: str
    expires_at: datetime
    deadline: float
    nonce: str = field(repr=False)


@dataclass(frozen=True, repr=False)
class VneidIdentity:
    """Who approved the sign-in, as the portal asserted it (personal data: keep it in memory,
    drop it with the resident's session; its repr masks the person)."""

    id_number: str
    full_name: str
    date_of_birth: str
    level: int
    approved_at: datetime
    session_id: str

    def matches(self, id_number: str) -> bool:
        """True when the card's ID number is the one that approved (constant-time compare)."""
        return hmac.compare_digest(self.id_number.encode("ascii"), str(id_number).strip().encode("ascii",
                                                                                                 "replace"))

    def masked_id(self) -> str:
        """The ID number with all but the last four digits hidden, for screens and printouts."""
        return "*" * (len(self.id_number) - 4) + self.id_number[-4:]

    def __repr__(self) -> str:
        return f"VneidIdentity(session_id={self.session_id!r}, level={self.level}, id={self.masked_id()})"


def _when(value: Any, what: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise ContractViolation(f"VNeID session: {what} is not an ISO 8601 time") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class VneidSignin:
    """Open, wait for and verify VNeID sign-ins through one portal client.

    ``anchor`` is the portal CA; ``signer`` pins the portal's content signer (provisioned, or
    fetched over the authenticated connection) so that no other certificate of that CA — a
    kiosk's receipt key, say — can assert an identity. ``clock`` is monotonic seconds.
    """

    def __init__(self, client: PortalClient, anchor: x509.Certificate, signer: x509.Certificate | None,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 remember: int = 4096) -> None:
        self.client, self.anchor, self.signer = client, anchor, signer
        self.clock, self.wall_clock = clock, wall_clock
        self._remember = remember
        self._accepted: OrderedDict[str, None] = OrderedDict()  # session ids and assertion digests

    def open(self, hint_id: str | None = None) -> VneidSession:
        """Open a session; ``hint_id`` (the chip's ID number) lets the portal push it to that app."""
        if hint_id is not None:
            hint_id = hint_id.strip()
            if not ID_NUMBER.match(hint_id):
                raise BadInput("the hint must be a 12-digit personal ID number (as read from the card)")
        nonce = secrets.token_urlsafe(24)
        started = self.clock()
        answer = self.client.vneid_open(nonce, hint_id)
        try:
            session_id = str(answer["session_id"])
            qr_text = str(answer["qr_text"])
            short_code = str(answer.get("short_code", ""))
            expires_at = _when(answer["expires_at"], "expires_at")
            lifetime = float(answer["expires_in_s"])
        except (KeyError, TypeError, ValueError) as error:
            raise ContractViolation(f"VNeID session answer lacks or garbles {error}") from error
        if not SESSION_ID.match(session_id) or session_id not in qr_text or lifetime <= 0:
            raise ContractViolation("VNeID session answer has an unusable session id, QR or lifetime")
        log.info("vneid session %s opened (expires in %.0f s)", session_id, lifetime)
        # The deadline counts from before the request on our own clock: skew cannot lengthen it.
        return VneidSession(session_id=session_id, qr_text=qr_text, short_code=short_code,
                            expires_at=expires_at, deadline=started + lifetime, nonce=nonce)

    def wait(self, session: VneidSession, timeout_s: float) -> VneidIdentity:
        """Long-poll until the resident approves (the identity) or denies, the session expires,
        or ``timeout_s`` passes (VneidTimeout; the session stays open: cancel it or wait again)."""
        give_up = self.clock() + max(0.0, timeout_s)
        while True:
            now = self.clock()
            if now >= session.deadline:
                raise VneidExpired(f"VNeID sign-in {session.session_id} expired; start a new sign-in")
            if now >= give_up:
                raise VneidTimeout(f"no answer to VNeID sign-in {session.session_id} in {timeout_s:.0f} s")
            wait_s = min(MAX_POLL_S, give_up - now, session.deadline - now)
            try:
                answer = self.client.vneid_poll(session.session_id, wait_s)
            except PortalConflict as error:
                if error.error == "already_consumed":
                    raise VneidReplayed(f"VNeID sign-in {session.session_id} was already collected; "
                                        "start a new sign-in") from error
                raise
            except NotFound as error:
                raise VneidExpired(f"the portal no longer knows VNeID sign-in {session.session_id}; "
                                   "start a new sign-in") from error
            status = answer.get("status") if isinstance(answer, Mapping) else None
            if status == "pending":
                continue
            if status == "approved":
                try:
                    assertion = base64.b64decode(str(answer.get("assertion") or ""), validate=True)
                except (binascii.Error, ValueError) as error:
                    raise VneidForged(f"VNeID sign-in {session.session_id}: the assertion is not "
                                      "base64") from error
                return self.accept(session, assertion)
            if status in ("denied", "cancelled"):
                log.info("vneid session %s %s", session.session_id, status)
                raise VneidDenied(f"VNeID sign-in {session.session_id} was {status} in the app; the "
                                  "resident can try again or continue with the card")
            if status == "expired":
                raise VneidExpired(f"VNeID sign-in {session.session_id} expired; start a new sign-in")
            raise ContractViolation(f"VNeID sign-in {session.session_id}: unknown status {status!r}")

    def accept(self, session: VneidSession, assertion: bytes) -> VneidIdentity:
        """The identity in ``assertion`` if it is genuine, for this session, fresh and first."""
        sid = session.session_id
        try:
            verified = verify_sign1(assertion, self.anchor, signer=self.signer, now=self.wall_clock())
            claims = cbor2.loads(verified.payload)
        except SignatureInvalid as error:
            log.warning("vneid session %s: assertion refused (%s)", sid, error.message)
            raise VneidForged(f"VNeID sign-in {sid}: the assertion is not the portal's "
                              f"({error.message})") from error
        except (cbor2.CBORDecodeError, ValueError) as error:
            raise VneidForged(f"VNeID sign-in {sid}: the signed payload is not CBOR") from error
        if not isinstance(claims, Mapping) or claims.get("typ") != ASSERTION_TYPE or claims.get("v") != 1:
            raise VneidForged(f"VNeID sign-in {sid}: the signed document is not a VNeID identity assertion")
        digest = hashlib.sha256(assertion).hexdigest()
        nonce = str(claims.get("nonce", ""))
        if claims.get("sid") != sid or not hmac.compare_digest(nonce.encode(), session.nonce.encode()):
            log.warning("vneid session %s: assertion of another session refused", sid)
            raise VneidReplayed(f"VNeID sign-in {sid}: the assertion belongs to another session")
        if sid in self._accepted or digest in self._accepted:
            log.warning("vneid session %s: assertion replayed", sid)
            raise VneidReplayed(f"VNeID sign-in {sid}: this assertion was already accepted")
        try:
            approved_at = datetime.fromtimestamp(int(claims["approved_at"]), UTC)
            expires = int(claims["exp"])
            identity = VneidIdentity(id_number=str(claims["id_number"]), full_name=str(claims["full_name"]),
                                     date_of_birth=str(claims["date_of_birth"]), level=int(claims["level"]),
                                     approved_at=approved_at, session_id=sid)
        except (KeyError, TypeError, ValueError, OverflowError) as error:
            raise VneidForged(f"VNeID sign-in {sid}: the assertion lacks {error}") from error
        if not ID_NUMBER.match(identity.id_number) or identity.level not in LEVELS:
            raise VneidForged(f"VNeID sign-in {sid}: the assertion's ID number or level is malformed")
        if self.clock() > session.deadline or approved_at.timestamp() > expires:
            raise VneidExpired(f"VNeID sign-in {sid}: the approval arrived after the session expired")
        for key in (sid, digest):
            self._accepted[key] = None
        while len(self._accepted) > self._remember:
            self._accepted.popitem(last=False)
        log.info("vneid session %s approved at level %d", sid, identity.level)
        return identity

    def cancel(self, session: VneidSession) -> None:
        """Close the session at the portal so nobody can approve it any more (best effort:
        a session that is already closed or unknown, or an unreachable portal, is only logged)."""
        try:
            self.client.vneid_cancel(session.session_id)
            log.info("vneid session %s cancelled", session.session_id)
        except (PortalConflict, NotFound):
            log.info("vneid session %s was already closed", session.session_id)
        except PortalError as error:
            log.warning("vneid session %s: cancel failed (%s)", session.session_id, type(error).__name__)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def vneid_signin_for(settings: Any, client: PortalClient) -> VneidSignin:
    """The sign-in for these settings, anchored like the catalogue on the portal CA.

    The CA is ``portal.ca_bundle``, else the one saved at enrolment, else — in demo mode against
    a loopback simulator only — the simulator's own, fetched. The content signer is the one saved
    at enrolment, else fetched over the (TLS-verified) connection and checked against the CA.
    """
    from kiosk.admin.provision import enrolment_files

    files = enrolment_files(settings)
    demo_loopback = bool(settings.kiosk.demo) and urlparse(client.base_url).hostname in LOOPBACK
    if settings.portal.ca_bundle:
        anchor = load_anchor(Path(settings.portal.ca_bundle).read_bytes())
    elif files.ca_cert.exists():
        anchor = load_anchor(files.ca_cert.read_bytes())
    elif demo_loopback:
        anchor = load_anchor(client.fetch_pem("ca"))
    else:
        raise BadInput("VNeID sign-in needs the portal CA: set portal.ca_bundle or provision the kiosk "
                       "(kiosk provision)")
    signer_pem = files.signer_cert.read_bytes() if files.signer_cert.exists() else client.fetch_pem("signer")
    signer = load_anchor(signer_pem)
    try:
        signer.verify_directly_issued_by(anchor)
    except (ValueError, TypeError, InvalidSignature) as error:
        raise SignatureInvalid("the portal's content signer is not issued by the portal CA") from error
    return VneidSignin(client, anchor, signer)
