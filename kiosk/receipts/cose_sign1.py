"""COSE_Sign1 with ES256 (RFC 9052 §4.2 and §4.4, RFC 9053 §2.1), on cbor2 and cryptography.

Only what receipts and trust lists need: one signer, the algorithm in the protected header,
the key id in the unprotected one, no external AAD by default, no detached payload.
Decoding is strict and total: any input either yields a :class:`Sign1` or raises
:class:`CoseMalformed`, which the verifier turns into the reason "malformed".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

COSE_SIGN1_TAG = 18
HEADER_ALG = 1
HEADER_CRIT = 2
HEADER_KID = 4
HEADER_X5CHAIN = 33  # RFC 9360 §2
ALG_ES256 = -7
MAX_MESSAGE_BYTES = 64 * 1024  # a QR holds < 3 KB; a trust list of a province's kiosks fits


class CoseMalformed(ValueError):
    """The bytes are not a COSE_Sign1 message this module accepts."""


@dataclass(frozen=True)
class Sign1:
    """A decoded COSE_Sign1 message; ``protected`` stays as the exact bytes that were signed."""

    protected: bytes
    protected_header: dict[int, Any]
    unprotected: dict[int, Any]
    payload: bytes
    signature: bytes
    tagged: bool = field(default=True)

    @property
    def kid(self) -> bytes | None:
        kid = self.unprotected.get(HEADER_KID, self.protected_header.get(HEADER_KID))
        return kid if isinstance(kid, bytes) else None


def sig_structure(protected: bytes, payload: bytes, external_aad: bytes = b"") -> bytes:
    """The bytes that are signed: Sig_structure for "Signature1" (RFC 9052 §4.4)."""
    return cbor2.dumps(["Signature1", protected, external_aad, payload])


def sign(payload: bytes, key: ec.EllipticCurvePrivateKey, kid: bytes,
         extra_unprotected: dict[int, Any] | None = None) -> bytes:
    """A tagged COSE_Sign1 over ``payload``, ES256 with deterministic ECDSA (RFC 6979).

    Deterministic signatures make a reprint byte-identical and golden tests possible; they
    are as strong as random ones (RFC 6979 §1).
    """
    if not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("ES256 needs a P-256 key")
    protected = cbor2.dumps({HEADER_ALG: ALG_ES256})
    der = key.sign(sig_structure(protected, payload),
                   ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    # RFC 9053 §2.1: the signature is r || s, each left-padded to the curve size.
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    unprotected: dict[int, Any] = {HEADER_KID: kid}
    unprotected.update(extra_unprotected or {})
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, unprotected, payload, signature]))


def decode(data: bytes, *, require_tag: bool = True) -> Sign1:
    """Parse a COSE_Sign1 message, checking its shape; the signature is not checked here."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise CoseMalformed("empty message")
    if len(data) > MAX_MESSAGE_BYTES:
        raise CoseMalformed("message too large")
    try:
        item = cbor2.loads(bytes(data))
    except Exception as error:  # cbor2 raises several types on hostile input; all mean "malformed"
        raise CoseMalformed(f"not CBOR ({type(error).__name__})") from None
    tagged = isinstance(item, cbor2.CBORTag)
    if tagged:
        if item.tag != COSE_SIGN1_TAG:
            raise CoseMalformed(f"CBOR tag {item.tag} is not COSE_Sign1 (18)")
        item = item.value
    elif require_tag:
        raise CoseMalformed("COSE_Sign1 tag 18 missing")
    # cbor2 decodes the contents of a tag as immutable types (tuple, frozendict).
    if not isinstance(item, list | tuple) or len(item) != 4:
        raise CoseMalformed("COSE_Sign1 must be an array of four items")
    protected, unprotected, payload, signature = item
    if not isinstance(protected, bytes):
        raise CoseMalformed("protected header must be a byte string")
    if not isinstance(unprotected, Mapping):
        raise CoseMalformed("unprotected header must be a map")
    unprotected = dict(unprotected)
    if not isinstance(payload, bytes):
        raise CoseMalformed("payload must be a byte string (detached payloads are not used)")
    if not isinstance(signature, bytes):
        raise CoseMalformed("signature must be a byte string")
    protected_header: dict[int, Any] = {}
    if protected:  # RFC 9052 §3: an empty map may be sent as a zero-length string
        try:
            protected_header = cbor2.loads(protected)
        except Exception:
            raise CoseMalformed("protected header is not CBOR") from None
        if not isinstance(protected_header, Mapping):
            raise CoseMalformed("protected header must encode a map")
        protected_header = dict(protected_header)
    if HEADER_CRIT in protected_header:
        raise CoseMalformed("critical header parameters are not supported")
    if set(protected_header) & set(unprotected):
        raise CoseMalformed("a header label appears in both buckets (RFC 9052 §3)")
    return Sign1(protected=protected, protected_header=protected_header,
                 unprotected=unprotected, payload=payload, signature=signature, tagged=tagged)


def verify(message: Sign1, public_key: ec.EllipticCurvePublicKey,
           external_aad: bytes = b"") -> bool:
    """True when ``message`` carries a valid ES256 signature by ``public_key``."""
    alg = message.protected_header.get(HEADER_ALG)
    if alg != ALG_ES256:
        # The algorithm must be protected (RFC 9052 §3.1), so an unprotected one is refused.
        return False
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
            public_key.curve, ec.SECP256R1):
        return False
    if len(message.signature) != 64:
        return False
    r = int.from_bytes(message.signature[:32], "big")
    s = int.from_bytes(message.signature[32:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s),
                          sig_structure(message.protected, message.payload, external_aad),
                          ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True
