"""The symmetric primitives of ICAO 9303-11: key derivation, 3DES / AES, MACs, padding.

Everything generic comes from ``cryptography``; only the ICAO glue is written here.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

try:  # cryptography >= 43 moved 3DES to the "decrepit" module
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # pragma: no cover - older cryptography
    TripleDES = algorithms.TripleDES  # type: ignore[attr-defined,misc]

from kiosk.devices.card.errors import SecureMessagingError

__all__ = [
    "KDF_ENC", "KDF_MAC", "KDF_PACE",
    "kdf", "pad", "unpad", "adjust_parity",
    "des3_encrypt", "des3_decrypt", "aes_cbc_encrypt", "aes_cbc_decrypt", "aes_ecb_encrypt",
    "retail_mac", "aes_cmac",
]

# ICAO 9303-11 §9.7.1: the counter selects the key.
KDF_ENC = 1
KDF_MAC = 2
KDF_PACE = 3

_ZERO8 = bytes(8)


def adjust_parity(key: bytes) -> bytes:
    """Set each DES key byte's lowest bit so the byte has odd parity (FIPS 46-3)."""
    out = bytearray(key)
    for i, byte in enumerate(out):
        high = byte & 0xFE
        out[i] = high | ((bin(high).count("1") + 1) % 2)
    return bytes(out)


def kdf(seed: bytes, counter: int, algorithm: str, key_bits: int = 128) -> bytes:
    """ICAO 9303-11 §9.7.1: key = H(seed || counter32) truncated.

    SHA-1 for 3DES and AES-128, SHA-256 for AES-192/256. 3DES keys are 16 bytes
    (two-key 3DES) with DES parity set, as printed in Appendix D.
    """
    data = bytes(seed) + counter.to_bytes(4, "big")
    if algorithm == "3DES":
        return adjust_parity(hashlib.sha1(data).digest()[:16])
    if algorithm == "AES":
        if key_bits == 128:
            return hashlib.sha1(data).digest()[:16]
        if key_bits in (192, 256):
            return hashlib.sha256(data).digest()[:key_bits // 8]
        raise ValueError(f"AES key length {key_bits} is not 128, 192 or 256")
    raise ValueError(f"unknown KDF algorithm {algorithm!r} (expected '3DES' or 'AES')")


def pad(data: bytes, block: int = 8) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 0x80 then zeros to a whole block."""
    data = bytes(data) + b"\x80"
    return data + bytes(-len(data) % block)


def unpad(data: bytes) -> bytes:
    """Undo :func:`pad`; a missing 0x80 marker means a corrupt or forged cryptogram."""
    stripped = bytes(data).rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80:
        raise SecureMessagingError("decrypted data lacks ISO 9797-1 padding (wrong key?)")
    return stripped[:-1]


def _3des_key(key: bytes) -> bytes:
    """Expand to 24 bytes: K1K1K1 is single DES, K1K2K1 two-key 3DES."""
    key = bytes(key)
    if len(key) == 8:
        return key * 3
    if len(key) == 16:
        return key + key[:8]
    if len(key) == 24:
        return key
    raise ValueError("3DES key must be 8, 16 or 24 bytes")


def des3_encrypt(key: bytes, data: bytes, iv: bytes = _ZERO8) -> bytes:
    """Two-key 3DES in CBC mode; data must already be a multiple of 8 bytes."""
    encryptor = Cipher(TripleDES(_3des_key(key)), modes.CBC(iv)).encryptor()
    return encryptor.update(bytes(data)) + encryptor.finalize()


def des3_decrypt(key: bytes, data: bytes, iv: bytes = _ZERO8) -> bytes:
    """Inverse of :func:`des3_encrypt`."""
    decryptor = Cipher(TripleDES(_3des_key(key)), modes.CBC(iv)).decryptor()
    return decryptor.update(bytes(data)) + decryptor.finalize()


def aes_cbc_encrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    """AES in CBC mode; data must already be a multiple of 16 bytes."""
    encryptor = Cipher(algorithms.AES(bytes(key)), modes.CBC(iv)).encryptor()
    return encryptor.update(bytes(data)) + encryptor.finalize()


def aes_cbc_decrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    """Inverse of :func:`aes_cbc_encrypt`."""
    decryptor = Cipher(algorithms.AES(bytes(key)), modes.CBC(iv)).decryptor()
    return decryptor.update(bytes(data)) + decryptor.finalize()


def aes_ecb_encrypt(key: bytes, block: bytes) -> bytes:
    """One AES block in ECB mode: the SM IV is E(KSenc, SSC) (ICAO 9303-11 §9.8.6.1)."""
    encryptor = Cipher(algorithms.AES(bytes(key)), modes.ECB()).encryptor()  # noqa: S305
    return encryptor.update(bytes(block)) + encryptor.finalize()


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 with padding method 2 (the padding is applied here).

    Single-DES CBC with K1 over the padded data, then decrypt with K2 and encrypt with K1
    on the last block; 8-byte result.
    """
    k1, k2 = bytes(key[:8]), bytes(key[8:16])
    padded = pad(data, 8)
    chain = des3_encrypt(k1, padded)[-8:]
    chain = des3_decrypt(k2, chain)
    return des3_encrypt(k1, chain)


def aes_cmac(key: bytes, data: bytes) -> bytes:
    """AES-CMAC (NIST SP 800-38B), full 16 bytes; ICAO truncates to 8 where it says so.

    No ISO padding is added: secure messaging pads before calling, PACE tokens do not.
    """
    mac = cmac.CMAC(algorithms.AES(bytes(key)))
    mac.update(bytes(data))
    return mac.finalize()
