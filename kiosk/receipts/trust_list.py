"""The receipt trust list (interface D, format v1): which kiosk certificates verifiers accept.

The portal signs the list with its trust-list certificate, issued by the portal CA that a
verifier is configured with. Rotation and revocation are simply a new list: a kiosk's new
certificate is added as "active", a withdrawn one is marked "revoked" (or dropped).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cbor2
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.receipts import cose_sign1
from kiosk.receipts.errors import TrustListInvalid
from kiosk.receipts.keys import ReceiptSigner, kid_of

TRUST_LIST_VERSION = 1
STATUSES = ("active", "revoked")


@dataclass(frozen=True)
class TrustEntry:
    """One kiosk's receipt-signing certificate and its standing."""

    kid: bytes
    cert_der: bytes
    kiosk: str
    centre: str
    status: str

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(self.cert_der)


@dataclass(frozen=True)
class TrustList:
    """A verified trust list: only :func:`verify_trust_list` makes these from bytes."""

    version: int
    issued_at: datetime
    expires_at: datetime
    entries: tuple[TrustEntry, ...]
    signer_kid: bytes

    def find(self, kid: bytes) -> TrustEntry | None:
        for entry in self.entries:
            if entry.kid == kid:
                return entry
        return None


def build_trust_list(entries: list[TrustEntry], signer: ReceiptSigner, *, issued_at: datetime,
                     expires_at: datetime, include_signer_cert: bool = True) -> bytes:
    """Sign a trust list; with ``include_signer_cert`` the signer's certificate rides along
    in an x5chain header (RFC 9360) so verifiers need only the portal CA."""
    payload = cbor2.dumps({
        "v": TRUST_LIST_VERSION,
        "iat": int(issued_at.timestamp()),
        "exp": int(expires_at.timestamp()),
        "entries": [{"kid": e.kid, "cert": e.cert_der, "kiosk": e.kiosk, "centre": e.centre,
                     "status": e.status} for e in entries],
    }, canonical=True)
    extra = {cose_sign1.HEADER_X5CHAIN: signer.certificate_der} if include_signer_cert else None
    return cose_sign1.sign(payload, signer.key, signer.kid, extra)


def _signer_certificate(message: cose_sign1.Sign1, anchors: list[x509.Certificate],
                        known: list[x509.Certificate]) -> x509.Certificate:
    kid = message.kid
    if kid is None or len(kid) != 8:
        raise TrustListInvalid("trust list has no 8-byte key id; ask the portal for a new one")
    candidates: list[x509.Certificate] = []
    chain = message.unprotected.get(cose_sign1.HEADER_X5CHAIN)
    if isinstance(chain, bytes):
        chain = [chain]
    if isinstance(chain, list | tuple) and chain and isinstance(chain[0], bytes):
        try:
            candidates.append(x509.load_der_x509_certificate(chain[0]))
        except ValueError:
            raise TrustListInvalid("trust list carries an unreadable signer certificate") from None
    candidates.extend(known)
    candidates.extend(anchors)
    for cert in candidates:
        if kid_of(cert) == kid:
            return cert
    raise TrustListInvalid(f"trust list signed by unknown key {kid.hex()}; configure the "
                           "portal's trust-list certificate or CA")


def _check_chain(signer_cert: x509.Certificate, anchors: list[x509.Certificate],
                 now: datetime) -> None:
    if not (signer_cert.not_valid_before_utc <= now <= signer_cert.not_valid_after_utc):
        raise TrustListInvalid("the trust-list signer's certificate is expired or not yet valid")
    anchor_ders = {a.public_bytes(serialization.Encoding.DER) for a in anchors}
    if signer_cert.public_bytes(serialization.Encoding.DER) in anchor_ders:
        return
    for anchor in anchors:
        if anchor.subject != signer_cert.issuer:
            continue
        try:
            signer_cert.verify_directly_issued_by(anchor)
        except (InvalidSignature, ValueError, TypeError):
            continue
        if not (anchor.not_valid_before_utc <= now <= anchor.not_valid_after_utc):
            raise TrustListInvalid("the portal CA certificate is expired")
        return
    raise TrustListInvalid("the trust list is not signed under the configured portal CA")


def _entry(raw: Any) -> TrustEntry:
    if not isinstance(raw, dict):
        raise TrustListInvalid("trust list entry is not a map")
    kid, cert, kiosk, centre, status = (raw.get(k) for k in ("kid", "cert", "kiosk", "centre",
                                                              "status"))
    if not (isinstance(kid, bytes) and len(kid) == 8 and isinstance(cert, bytes)
            and isinstance(kiosk, str) and isinstance(centre, str) and status in STATUSES):
        raise TrustListInvalid("trust list entry has missing or mistyped fields")
    if hashlib.sha256(cert).digest()[:8] != kid:
        raise TrustListInvalid(f"trust list entry {kid.hex()}: kid does not match its certificate")
    try:
        public_key = x509.load_der_x509_certificate(cert).public_key()
    except ValueError:
        raise TrustListInvalid(f"trust list entry {kid.hex()}: unreadable certificate") from None
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise TrustListInvalid(f"trust list entry {kid.hex()}: not an EC certificate")
    return TrustEntry(kid=kid, cert_der=cert, kiosk=kiosk, centre=centre, status=status)


def verify_trust_list(data: bytes, anchors: list[x509.Certificate], *,
                      now: datetime | None = None,
                      known_signers: list[x509.Certificate] | None = None) -> TrustList:
    """Check a trust list's signature, its signer's chain to ``anchors`` and its dates."""
    now = now or datetime.now(UTC)
    if not anchors:
        raise TrustListInvalid("no portal CA configured to check the trust list against")
    try:
        message = cose_sign1.decode(data)
    except cose_sign1.CoseMalformed as error:
        raise TrustListInvalid(f"trust list is not a COSE_Sign1 message: {error}") from None
    signer_cert = _signer_certificate(message, anchors, list(known_signers or []))
    if not cose_sign1.verify(message, signer_cert.public_key()):
        raise TrustListInvalid("trust list signature is invalid: it was altered or forged")
    _check_chain(signer_cert, anchors, now)
    try:
        body = cbor2.loads(message.payload)
    except Exception:
        raise TrustListInvalid("trust list payload is not CBOR") from None
    if not isinstance(body, dict) or body.get("v") != TRUST_LIST_VERSION:
        raise TrustListInvalid("trust list is not format version 1")
    iat, exp, entries = body.get("iat"), body.get("exp"), body.get("entries")
    if not (isinstance(iat, int) and isinstance(exp, int) and isinstance(entries, list)):
        raise TrustListInvalid("trust list lacks iat, exp or entries")
    if not (0 <= iat < 2**40 and 0 <= exp < 2**40):
        raise TrustListInvalid("trust list dates out of range")
    expires_at = datetime.fromtimestamp(exp, UTC)
    if expires_at < now:
        raise TrustListInvalid(f"trust list expired on {expires_at:%Y-%m-%d}; fetch a new one "
                               "from the portal (GET /v1/trust-list)")
    return TrustList(version=1, issued_at=datetime.fromtimestamp(iat, UTC),
                     expires_at=expires_at, entries=tuple(_entry(e) for e in entries),
                     signer_kid=kid_of(signer_cert))


def install_trust_list(data: bytes, anchors: list[x509.Certificate], target: Path, *,
                       known_signers: list[x509.Certificate] | None = None,
                       now: datetime | None = None) -> TrustList:
    """Verify a trust list fetched from the portal, then replace ``target`` atomically.

    A list that fails verification never replaces the one in use (raises TrustListInvalid).
    A list older than the installed one is refused too, so a replayed old list cannot
    un-revoke a kiosk.
    """
    fresh = verify_trust_list(data, anchors, now=now, known_signers=known_signers)
    if target.exists():
        try:
            current = verify_trust_list(target.read_bytes(), anchors, now=now,
                                        known_signers=known_signers)
        except TrustListInvalid:
            current = None  # expired or broken: any valid list is better
        if current is not None and fresh.issued_at < current.issued_at:
            raise TrustListInvalid("the fetched trust list is older than the installed one")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(target.suffix + ".new")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return fresh
