"""PACE, chip side: ECDH generic mapping on brainpoolP256r1 with AES-128 (ICAO 9303-11 §4.4).

MSE:Set AT names the protocol and the password (MRZ or CAN); four GENERAL AUTHENTICATE
steps follow: the encrypted nonce, the mapping G' = s·G + H, the ephemeral key agreement
on G', and the exchange of authentication tokens. A wrong password shows only at step 4,
where the chip answers 63 00 and counts the failure. The point arithmetic is the team's
``ec.py`` (the generic mapping needs point addition, which ``cryptography`` lacks).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.devices.card import crypto
from kiosk.devices.card.ec import BRAINPOOL_P256R1, Curve, Point
from kiosk.devices.card.errors import CardDataError
from kiosk.devices.card.tlv import TlvError, encode_tlv, expect_tlv, iter_tlv
from kiosk.devices.card.virtual.chip_sm import ChipChannel
from kiosk.devices.card.virtual.lds_objects import (
    BRAINPOOL_P256R1_ID,
    PACE_ECDH_GM_AES_128,
    der_oid,
)

__all__ = ["PaceChip", "PaceOutcome", "PASSWORD_MRZ", "PASSWORD_CAN"]

log = logging.getLogger(__name__)

PASSWORD_MRZ = 1
PASSWORD_CAN = 2
SW_OK = 0x9000
SW_WRONG_DATA = 0x6A80
SW_NOT_SATISFIED = 0x6985
SW_AUTH_FAILED = 0x6300
SW_BLOCKED = 0x6983
_OID_VALUE = der_oid(PACE_ECDH_GM_AES_128)[2:]


@dataclass
class PaceOutcome:
    """What one PACE command produced: response data, status, and a new channel at the end."""

    data: bytes
    sw: int
    channel: ChipChannel | None = None


class PaceChip:
    """The chip's PACE state: which password was chosen and how far the steps went."""

    def __init__(self, mrz_information: str, can: str, scalar: Callable[[], int],
                 nonce: Callable[[], bytes], failure_limit: int | None = None,
                 curve: Curve = BRAINPOOL_P256R1) -> None:
        self._passwords = {
            PASSWORD_MRZ: hashlib.sha1(mrz_information.encode("ascii")).digest(),
            PASSWORD_CAN: can.encode("ascii"),
        }
        self._scalar = scalar
        self._nonce = nonce
        self._curve = curve
        self.failures = 0
        self._failure_limit = failure_limit
        self._reset()

    def _reset(self) -> None:
        self._password: bytes | None = None
        self._step = 0
        self._s = 0
        self._sk_map = 0
        self._mapped_g: Point = None
        self._pk_map_ifd: Point = None
        self._sk_eph = 0
        self._pk_eph_ifd: Point = None
        self._pk_eph_ic: Point = None

    @property
    def blocked(self) -> bool:
        return self._failure_limit is not None and self.failures >= self._failure_limit

    def set_at(self, data: bytes) -> int:
        """MSE:Set AT (00 22 C1 A4): protocol OID (80), password reference (83), optional
        parameter id (84)."""
        self._reset()
        try:
            objects = dict(iter_tlv(data))
        except TlvError:
            return SW_WRONG_DATA
        if objects.get(0x80) != _OID_VALUE:
            return SW_WRONG_DATA
        reference = objects.get(0x83, b"")
        if len(reference) != 1 or reference[0] not in self._passwords:
            return SW_WRONG_DATA
        if 0x84 in objects and objects[0x84] != bytes([BRAINPOOL_P256R1_ID]):
            return SW_WRONG_DATA
        if self.blocked:
            return SW_BLOCKED
        self._password = self._passwords[reference[0]]
        self._step = 1
        return SW_OK

    def general_authenticate(self, data: bytes) -> PaceOutcome:
        """One GENERAL AUTHENTICATE step (00/10 86 00 00, 7C dynamic authentication data)."""
        if self._password is None or self._step == 0:
            return PaceOutcome(b"", SW_NOT_SATISFIED)
        try:
            objects = dict(iter_tlv(expect_tlv(data, 0x7C, "dynamic authentication data")))
            outcome = self._steps[self._step](self, objects)
        except (TlvError, CardDataError, KeyError):
            self._reset()
            return PaceOutcome(b"", SW_WRONG_DATA)
        return outcome

    def _point(self, encoded: bytes) -> Point:
        point = self._curve.decode(encoded)  # raises CardDataError off the curve
        if point is None:
            raise CardDataError("point at infinity")
        return point

    def _step_nonce(self, objects: dict[int, bytes]) -> PaceOutcome:
        if objects:
            raise KeyError("step 1 carries no data")
        nonce = self._nonce()
        self._s = int.from_bytes(nonce, "big")
        k_pi = crypto.kdf(self._password or b"", crypto.KDF_PACE, "AES")
        z = crypto.aes_cbc_encrypt(k_pi, nonce)
        self._step = 2
        return PaceOutcome(encode_tlv(0x7C, encode_tlv(0x80, z)), SW_OK)

    def _step_map(self, objects: dict[int, bytes]) -> PaceOutcome:
        curve = self._curve
        self._pk_map_ifd = self._point(objects[0x81])
        self._sk_map = self._scalar()
        shared = curve.multiply(self._sk_map, self._pk_map_ifd)
        if shared is None:
            raise CardDataError("mapping point at infinity")
        self._mapped_g = curve.add(curve.multiply(self._s, curve.g), shared)
        pk_map_ic = curve.multiply(self._sk_map, curve.g)
        self._step = 3
        return PaceOutcome(encode_tlv(0x7C, encode_tlv(0x82, curve.encode(pk_map_ic))), SW_OK)

    def _step_agree(self, objects: dict[int, bytes]) -> PaceOutcome:
        curve = self._curve
        pk_eph_ifd = self._point(objects[0x83])
        if pk_eph_ifd == self._pk_map_ifd:
            raise CardDataError("ephemeral key equals mapping key")  # §4.4.3.3.2
        self._pk_eph_ifd = pk_eph_ifd
        self._sk_eph = self._scalar()
        pk_eph_ic = curve.multiply(self._sk_eph, self._mapped_g)
        if pk_eph_ic is None:
            raise CardDataError("ephemeral key at infinity")
        self._pk_eph_ic = pk_eph_ic
        self._step = 4
        return PaceOutcome(encode_tlv(0x7C, encode_tlv(0x84, curve.encode(pk_eph_ic))), SW_OK)

    def _step_tokens(self, objects: dict[int, bytes]) -> PaceOutcome:
        curve = self._curve
        secret = curve.multiply(self._sk_eph, self._pk_eph_ifd)
        if secret is None:
            raise CardDataError("shared secret at infinity")
        k = secret[0].to_bytes(curve.size, "big")
        ks_enc = crypto.kdf(k, crypto.KDF_ENC, "AES")
        ks_mac = crypto.kdf(k, crypto.KDF_MAC, "AES")
        expected = crypto.aes_cmac(ks_mac, _token_input(curve.encode(self._pk_eph_ic)))[:8]
        if not hmac.compare_digest(objects[0x85], expected):
            # A wrong password yields other keys: only the token shows it (§4.4.3.4).
            self.failures += 1
            log.info("PACE token mismatch (%d failures)", self.failures)
            self._reset()
            return PaceOutcome(b"", SW_BLOCKED if self.blocked else SW_AUTH_FAILED)
        t_ic = crypto.aes_cmac(ks_mac, _token_input(curve.encode(self._pk_eph_ifd)))[:8]
        self._reset()
        return PaceOutcome(encode_tlv(0x7C, encode_tlv(0x86, t_ic)), SW_OK,
                           ChipChannel(ks_enc, ks_mac, bytes(16), "AES"))

    _steps = {1: _step_nonce, 2: _step_map, 3: _step_agree, 4: _step_tokens}


def _token_input(public_point: bytes) -> bytes:
    """ICAO 9303-11 §4.4.3.4: 7F49 { 06 OID, 86 public point }."""
    return encode_tlv(0x7F49, encode_tlv(0x06, _OID_VALUE) + encode_tlv(0x86, public_point))
