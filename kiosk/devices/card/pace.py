"""PACE, terminal side: id-PACE-ECDH-GM-AES-CBC-CMAC-128 on brainpoolP256r1, the CCCD's
profile (ICAO 9303-11 §4.4, worked example Appendix G.1).

The password is the CAN (last 6 digits of the ID) or the MRZ key. A wrong password is
refused once (63 00 at the last step); we stop there and never retry by ourselves.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.devices.card import crypto
from kiosk.devices.card.apdu import SW_OK, CommandApdu
from kiosk.devices.card.ec import CURVES_BY_PARAMETER_ID, Curve
from kiosk.devices.card.errors import AccessDenied, CardDataError, CommunicationError
from kiosk.devices.card.mrz import MrzKey
from kiosk.devices.card.security_infos import der_integer, oid_value_bytes, parse_security_infos
from kiosk.devices.card.sm import SecureMessaging
from kiosk.devices.card.tlv import TlvError, encode_tlv, expect_tlv, iter_tlv
from kiosk.devices.card.transport import Transport, split_sw

__all__ = ["PACE_ECDH_GM_AES_128", "PASSWORD_MRZ", "PASSWORD_CAN", "PaceInfo",
           "pace_infos", "read_card_access", "establish_pace", "pace_password"]

log = logging.getLogger(__name__)

PACE_ECDH_GM_AES_128 = "0.4.0.127.0.7.2.2.4.2.2"
_PACE_PREFIX = "0.4.0.127.0.7.2.2.4."
PASSWORD_MRZ = 1  # ICAO 9303-11 §9.5.3 (PACE password reference)
PASSWORD_CAN = 2
_REFUSED = {0x6300, 0x6982, 0x6983, 0x6984}


@dataclass(frozen=True)
class PaceInfo:
    protocol: str
    version: int
    parameter_id: int | None

    @property
    def supported(self) -> bool:
        return (self.protocol == PACE_ECDH_GM_AES_128 and self.version == 2
                and (self.parameter_id or 13) in CURVES_BY_PARAMETER_ID)


def pace_infos(card_access: bytes) -> list[PaceInfo]:
    """The PACEInfos announced in EF.CardAccess (other SecurityInfos are skipped)."""
    found = []
    for info in parse_security_infos(card_access, "EF.CardAccess"):
        if not info.protocol.startswith(_PACE_PREFIX) or info.protocol.count(".") != 10:
            continue
        version = der_integer(info.required, "EF.CardAccess: PACEInfo version")
        parameter = (der_integer(info.optional[0], "EF.CardAccess: PACEInfo parameterId")
                     if info.optional else None)
        found.append(PaceInfo(info.protocol, version, parameter))
    return found


def read_card_access(transport: Transport) -> bytes | None:
    """EF.CardAccess read in plain (it is readable without access control), or None when
    the card has none (6A82: a BAC-only chip)."""
    from kiosk.devices.card.files import read_plain_file

    return read_plain_file(transport, 0x011C)


def pace_password(key: MrzKey | str) -> tuple[bytes, int]:
    """(K, password reference): the CAN as ASCII, or SHA-1 of the MRZ information."""
    if isinstance(key, MrzKey):
        return hashlib.sha1(key.key_input().encode("ascii")).digest(), PASSWORD_MRZ
    if not (key.isascii() and key.isdigit() and len(key) == 6):
        raise ValueError("a CAN is 6 digits")
    return key.encode("ascii"), PASSWORD_CAN


def _general_authenticate(transport: Transport, tag: int, value: bytes, last: bool,
                          expect: int) -> bytes:
    cla = 0x00 if last else 0x10  # command chaining (ISO 7816-4 §5.1.1)
    data = encode_tlv(0x7C, encode_tlv(tag, value) if tag else b"")
    response, sw = split_sw(transport.transmit(CommandApdu(cla, 0x86, 0, 0, data, 256).encode()))
    if sw in _REFUSED:
        log.warning("PACE refused by the chip (%04X)", sw)
        raise AccessDenied("the card refused the access number: check the 12-digit ID number")
    if sw != SW_OK:
        raise CommunicationError(f"PACE GENERAL AUTHENTICATE failed ({sw:04X})", sw)
    try:
        inner = expect_tlv(response, 0x7C, "PACE response")
        objects = dict(iter_tlv(inner))
    except TlvError as error:
        raise CardDataError(f"malformed PACE response: {error.message}") from error
    if expect not in objects:
        raise CardDataError(f"PACE response lacks data object {expect:X}")
    return objects[expect]


def _random_scalar(curve: Curve) -> int:
    return secrets.randbelow(curve.n - 1) + 1


def establish_pace(transport: Transport, key: MrzKey | str, info: PaceInfo,
                   private_key: Callable[[Curve], int] = _random_scalar) -> SecureMessaging:
    """Run PACE-ECDH-GM and return the AES secure channel (SSC = 0)."""
    if not info.supported:
        raise CommunicationError(f"PACE protocol {info.protocol} v{info.version} is not supported")
    curve = CURVES_BY_PARAMETER_ID[info.parameter_id or 13]
    password, reference = pace_password(key)
    k_pi = crypto.kdf(password, crypto.KDF_PACE, "AES")
    oid = oid_value_bytes(info.protocol)
    mse = encode_tlv(0x80, oid) + encode_tlv(0x83, bytes([reference]))
    _, sw = split_sw(transport.transmit(CommandApdu(0x00, 0x22, 0xC1, 0xA4, mse).encode()))
    if sw != SW_OK:
        raise CommunicationError(f"MSE:Set AT for PACE failed ({sw:04X})", sw)
    # Step 1: the encrypted nonce, decrypted with K_pi (§4.4.3.3).
    z = _general_authenticate(transport, 0, b"", last=False, expect=0x80)
    if len(z) != 16:
        raise CardDataError("PACE nonce is not one AES block")
    s = int.from_bytes(crypto.aes_cbc_decrypt(k_pi, z), "big")
    # Step 2: generic mapping G' = s·G + H with H = SK_map · PK_map,chip.
    sk_map = private_key(curve)
    pk_map_chip = curve.decode(_general_authenticate(
        transport, 0x81, curve.encode(curve.multiply(sk_map, curve.g)), False, 0x82))
    shared = curve.multiply(sk_map, pk_map_chip)
    if shared is None:
        raise CardDataError("PACE mapping gave the point at infinity")
    mapped_g = curve.add(curve.multiply(s, curve.g), shared)
    # Step 3: ephemeral key agreement on G'.
    sk_eph = private_key(curve)
    pk_eph = curve.multiply(sk_eph, mapped_g)
    pk_eph_chip = curve.decode(_general_authenticate(
        transport, 0x83, curve.encode(pk_eph), False, 0x84))
    if pk_eph_chip == pk_eph:
        raise CardDataError("the chip echoed the terminal's ephemeral key")  # §4.4.3.4
    secret = curve.multiply(sk_eph, pk_eph_chip)
    if secret is None:
        raise CardDataError("PACE key agreement gave the point at infinity")
    k = secret[0].to_bytes(curve.size, "big")
    ks_enc = crypto.kdf(k, crypto.KDF_ENC, "AES")
    ks_mac = crypto.kdf(k, crypto.KDF_MAC, "AES")
    # Step 4: mutual authentication tokens over the other side's ephemeral key.
    t_ifd = crypto.aes_cmac(ks_mac, _token_input(oid, curve.encode(pk_eph_chip)))[:8]
    t_ic = _general_authenticate(transport, 0x85, t_ifd, True, 0x86)
    expected = crypto.aes_cmac(ks_mac, _token_input(oid, curve.encode(pk_eph)))[:8]
    if not hmac.compare_digest(t_ic, expected):
        raise AccessDenied("the card's PACE token does not verify: not the card we think")
    log.info("PACE established (password reference %d)", reference)
    return SecureMessaging(ks_enc, ks_mac, bytes(16), "AES")


def _token_input(oid: bytes, public_point: bytes) -> bytes:
    """ICAO 9303-11 §4.4.3.4: 7F49 { 06 OID, 86 public point }."""
    return encode_tlv(0x7F49, encode_tlv(0x06, oid) + encode_tlv(0x86, public_point))
