"""Anti-cloning on the chip side: Chip Authentication (DG14) and Active Authentication
(DG15), ICAO 9303-11 §6.2 and §6.1.

Chip Authentication: the terminal sends an ephemeral ECDH public key (MSE:Set KAT, or
MSE:Set AT + GENERAL AUTHENTICATE); the chip answers under the old keys, then restarts
secure messaging with keys from the static-ephemeral secret and SSC = 0. Active
Authentication: INTERNAL AUTHENTICATE signs the terminal's 8-byte challenge, RSA with
ISO/IEC 9796-2 scheme 1 (partial recovery) or plain ECDSA-SHA256 (BSI TR-03111).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from kiosk.devices.card import crypto
from kiosk.devices.card.tlv import TlvError, encode_tlv, expect_tlv, iter_tlv
from kiosk.devices.card.virtual.chip_sm import ChipChannel
from kiosk.devices.card.virtual.lds_objects import CA_ECDH_AES_128, der_oid

__all__ = ["ChipAuthentication", "active_authentication_signature", "iso9796_2_message"]

_CA_OID_VALUE = der_oid(CA_ECDH_AES_128)[2:]
SW_OK = 0x9000
SW_WRONG_DATA = 0x6A80
SW_NOT_SATISFIED = 0x6985


class ChipAuthentication:
    """The chip's static CA key and the protocol state between MSE and GENERAL AUTHENTICATE."""

    def __init__(self, key: ec.EllipticCurvePrivateKey) -> None:
        self._key = key
        self._armed = False

    def set_at(self, data: bytes) -> int:
        """MSE:Set AT for CA (00 22 41 A4): 80 = the CA protocol OID, 84 = optional key id."""
        try:
            objects = dict(iter_tlv(data))
        except TlvError:
            return SW_WRONG_DATA
        if objects.get(0x80) != _CA_OID_VALUE:
            return SW_WRONG_DATA
        self._armed = True
        return SW_OK

    def general_authenticate(self, data: bytes) -> tuple[bytes, int, ChipChannel | None]:
        """GENERAL AUTHENTICATE for CA: 7C { 80 ephemeral public key } → 7C 00 and new keys."""
        if not self._armed:
            return b"", SW_NOT_SATISFIED, None
        self._armed = False
        try:
            objects = dict(iter_tlv(expect_tlv(data, 0x7C, "CA data")))
            channel = self._agree(objects[0x80])
        except (TlvError, KeyError, ValueError):
            return b"", SW_WRONG_DATA, None
        return encode_tlv(0x7C, b""), SW_OK, channel

    def set_kat(self, data: bytes) -> tuple[int, ChipChannel | None]:
        """MSE:Set KAT (00 22 41 A6): 91 = ephemeral public key, 84 = optional key id."""
        try:
            objects = dict(iter_tlv(data))
            return SW_OK, self._agree(objects[0x91])
        except (TlvError, KeyError, ValueError):
            return SW_WRONG_DATA, None

    def _agree(self, encoded_point: bytes) -> ChipChannel:
        """Keys from the x-coordinate of SK_chip · PK_terminal (§6.2.3); ValueError when the
        point is not on the chip's curve."""
        peer = ec.EllipticCurvePublicKey.from_encoded_point(self._key.curve, encoded_point)
        secret = self._key.exchange(ec.ECDH(), peer)
        return ChipChannel(crypto.kdf(secret, crypto.KDF_ENC, "AES"),
                           crypto.kdf(secret, crypto.KDF_MAC, "AES"), bytes(16), "AES")


def iso9796_2_message(modulus_bytes: int, challenge: bytes, nonce: Callable[[int], bytes],
                      hash_name: str) -> bytes:
    """F = 6A || M1 || H(M1 || challenge) || trailer (ICAO 9303-11 §6.1, Appendix F):
    trailer BC for SHA-1 (implicit), 34 CC for SHA-256 (ISO/IEC 9796-2 §8.1.2)."""
    if hash_name == "SHA-1":
        digest_size, trailer = 20, b"\xBC"
    else:
        digest_size, trailer = 32, b"\x34\xCC"
    m1 = nonce(modulus_bytes - 1 - digest_size - len(trailer))
    digest = hashlib.new(hash_name.replace("-", "").lower(), m1 + challenge).digest()
    return b"\x6A" + m1 + digest + trailer


def active_authentication_signature(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
                                    challenge: bytes, hash_name: str,
                                    nonce: Callable[[int], bytes]) -> bytes:
    """The INTERNAL AUTHENTICATE answer: the raw RSA signature of the ISO 9796-2 message,
    or r || s of ECDSA-SHA256 over the challenge."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(challenge, ec.ECDSA(hashes.SHA256())))
        size = (key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    numbers = key.private_numbers()
    modulus = numbers.public_numbers.n
    size = (modulus.bit_length() + 7) // 8
    message = int.from_bytes(iso9796_2_message(size, challenge, nonce, hash_name), "big")
    # Raw RSA (the padding is the 9796-2 message itself); a test chip, not constant-time.
    return pow(message, numbers.d, modulus).to_bytes(size, "big")
