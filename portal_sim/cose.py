"""COSE_Sign1 signing (RFC 9052 §4.2–4.4) with ES256, for the catalogue and the trust list.

Hand-written because it is a dozen lines over cbor2 and cryptography and the simulator must
not import the kiosk's code; the kiosk verifies with its own implementation (and the tests
cross-check with pycose).
"""

from __future__ import annotations

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

COSE_SIGN1_TAG = 18
ALG = 1
KID = 4
X5CHAIN = 33
ES256 = -7


def sign1(payload: bytes, key: ec.EllipticCurvePrivateKey, kid: bytes,
          extra_unprotected: dict | None = None) -> bytes:
    """A tagged COSE_Sign1 with protected {alg: ES256} and unprotected {kid, ...}."""
    protected = cbor2.dumps({ALG: ES256})
    # RFC 9052 §4.4: Sig_structure = ["Signature1", body_protected, external_aad, payload]
    to_be_signed = cbor2.dumps(["Signature1", protected, b"", payload])
    der = key.sign(to_be_signed, ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")  # RFC 9053 §2.1: raw r || s
    unprotected = {KID: kid, **(extra_unprotected or {})}
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, unprotected, payload, signature]))
