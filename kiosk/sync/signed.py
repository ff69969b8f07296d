"""Verifying the portal's signed documents: COSE_Sign1 (RFC 9052) with ES256.

The signer certificate comes from the document's x5chain header (label 33) or is given,
and must be issued directly by the configured portal CA and be within its validity. The
key id, when present, must be SHA-256(cert DER)[:8], the convention of the trust list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import cbor2
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID

from kiosk.sync.errors import SignatureInvalid

COSE_SIGN1_TAG = 18
ALG, KID, X5CHAIN, ES256 = 1, 4, 33, -7


@dataclass(frozen=True)
class Verified:
    payload: bytes
    signer: x509.Certificate


def load_anchor(pem: bytes) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as error:
        raise SignatureInvalid("the portal CA file is not a PEM certificate") from error


def _content_signer(cert: x509.Certificate) -> bool:
    """The portal CA also issues every kiosk's device and receipt certificates: only one whose
    extended key usage names signing content may sign what all kiosks trust."""
    try:
        usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return ExtendedKeyUsageOID.CODE_SIGNING in usages


def verify_sign1(data: bytes, anchor: x509.Certificate, signer: x509.Certificate | None = None,
                 now: datetime | None = None) -> Verified:
    """The payload of a COSE_Sign1 whose ES256 signature and signer chain check out."""
    try:
        message = cbor2.loads(data)
    except (cbor2.CBORDecodeError, ValueError, TypeError) as error:
        raise SignatureInvalid("not CBOR") from error
    if not (isinstance(message, cbor2.CBORTag) and message.tag == COSE_SIGN1_TAG
            and isinstance(message.value, (list, tuple)) and len(message.value) == 4):
        raise SignatureInvalid("not a tagged COSE_Sign1")
    protected_bytes, unprotected, payload, signature = message.value
    if not (isinstance(protected_bytes, bytes) and isinstance(unprotected, Mapping)
            and isinstance(payload, bytes) and isinstance(signature, bytes) and len(signature) == 64):
        raise SignatureInvalid("malformed COSE_Sign1 structure")
    try:
        protected = cbor2.loads(protected_bytes) if protected_bytes else {}
    except (cbor2.CBORDecodeError, ValueError) as error:
        raise SignatureInvalid("malformed protected header") from error
    if not isinstance(protected, Mapping) or protected.get(ALG) != ES256:
        raise SignatureInvalid("algorithm must be ES256")
    chain = unprotected.get(X5CHAIN)
    pinned = signer is not None
    if signer is None:
        der = chain[0] if isinstance(chain, (list, tuple)) and chain else chain
        if not isinstance(der, bytes):
            raise SignatureInvalid("no signer certificate")
        try:
            signer = x509.load_der_x509_certificate(der)
        except ValueError as error:
            raise SignatureInvalid("unreadable signer certificate") from error
    kid = unprotected.get(KID)
    if kid is not None and kid != hashlib.sha256(signer.public_bytes(Encoding.DER)).digest()[:8]:
        raise SignatureInvalid("key id does not match the signer certificate")
    try:
        signer.verify_directly_issued_by(anchor)
    except (ValueError, TypeError, InvalidSignature) as error:
        raise SignatureInvalid("the signer certificate is not issued by the portal CA") from error
    if not pinned and not _content_signer(signer):
        raise SignatureInvalid("the certificate is not the portal's content signer")
    moment = now or datetime.now(UTC)
    if not signer.not_valid_before_utc <= moment <= signer.not_valid_after_utc:
        raise SignatureInvalid("the signer certificate is outside its validity period")
    key = signer.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise SignatureInvalid("the signer key is not EC")
    to_be_signed = cbor2.dumps(["Signature1", protected_bytes, b"", payload])
    der_signature = encode_dss_signature(int.from_bytes(signature[:32], "big"),
                                         int.from_bytes(signature[32:], "big"))
    try:
        key.verify(der_signature, to_be_signed, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise SignatureInvalid("the signature does not verify") from error
    return Verified(payload=payload, signer=signer)
