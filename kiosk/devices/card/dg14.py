"""DG14: Chip Authentication and Active Authentication announcements (ICAO 9303-11 §9.2.5,
§9.2.6; BSI TR-03110-3 object identifiers)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.devices.card.errors import CardDataError
from kiosk.devices.card.security_infos import der_integer, der_oid, parse_security_infos
from kiosk.devices.card.tlv import TlvError, expect_tlv

__all__ = ["Dg14", "ChipAuthInfo", "parse_dg14", "CA_ECDH_PREFIX", "PK_ECDH", "AA_OID"]

CA_ECDH_PREFIX = "0.4.0.127.0.7.2.2.3.2."  # id-CA-ECDH-*
PK_ECDH = "0.4.0.127.0.7.2.2.1.2"
AA_OID = "2.23.136.1.1.5"


@dataclass(frozen=True)
class ChipAuthInfo:
    protocol: str
    version: int
    key_id: int | None


@dataclass(frozen=True)
class Dg14:
    chip_auth: tuple[ChipAuthInfo, ...]
    chip_auth_keys: dict[int | None, bytes]  # key id -> SubjectPublicKeyInfo DER
    aa_signature_algorithm: str | None  # dotted OID, for EC Active Authentication


def parse_dg14(data: bytes) -> Dg14:
    """The SecurityInfos of DG14 that the kiosk uses; others are ignored."""
    try:
        body = expect_tlv(data, 0x6E, "DG14")
    except TlvError as error:
        raise CardDataError(f"DG14: {error.message}") from error
    infos = parse_security_infos(body, "DG14")
    chip_auth = []
    keys: dict[int | None, bytes] = {}
    aa_algorithm = None
    for info in infos:
        if info.protocol.startswith(CA_ECDH_PREFIX):
            version = der_integer(info.required, "DG14: ChipAuthenticationInfo version")
            key_id = (der_integer(info.optional[0], "DG14: keyId") if info.optional else None)
            chip_auth.append(ChipAuthInfo(info.protocol, version, key_id))
        elif info.protocol == PK_ECDH:
            key_id = (der_integer(info.optional[0], "DG14: keyId") if info.optional else None)
            if info.required[:1] != b"\x30":
                raise CardDataError("DG14: the chip authentication key is not a SEQUENCE")
            keys[key_id] = info.required
        elif info.protocol == AA_OID:
            der_integer(info.required, "DG14: ActiveAuthenticationInfo version")
            if info.optional:
                aa_algorithm = der_oid(info.optional[0], "DG14: AA signature algorithm")
    return Dg14(tuple(chip_auth), keys, aa_algorithm)
