"""ICAO 9303-11 Appendix F (Active Authentication, RSA, ISO 9796-2 scheme 1, SHA-1):
the spec does not print the key pair, so we sign the printed message representative F
with a key of our own and check that our verifier recovers M1, recomputes H over
M1 || RND.IFD and accepts — and refuses any other challenge."""

from __future__ import annotations

import hashlib

from card_fakes import h, vector
from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.devices.card.authenticity import _verify_rsa_9796

F = vector("active_auth.json")


def test_printed_representative_is_consistent() -> None:
    """F = 6A || M1 || SHA-1(M1 || RND.IFD) || BC, as printed."""
    assert h(F["F"]) == b"\x6a" + h(F["M1"]) + h(F["H_SHA1_M"]) + b"\xbc"
    assert hashlib.sha1(h(F["M1"]) + h(F["RND_IFD_M2"])).digest() == h(F["H_SHA1_M"])


def test_verifier_accepts_the_printed_representative() -> None:
    """A 1024-bit signature over the printed F verifies for the printed challenge only."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    numbers = key.private_numbers()
    n = numbers.public_numbers.n
    signature = pow(int.from_bytes(h(F["F"]), "big"), numbers.d, n).to_bytes(128, "big")
    assert _verify_rsa_9796(key.public_key(), signature, h(F["RND_IFD_M2"]))
    assert not _verify_rsa_9796(key.public_key(), signature, bytes(8))
