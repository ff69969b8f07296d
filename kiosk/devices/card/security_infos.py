"""SecurityInfos (ICAO 9303-11 §9.2): the SET of protocol announcements in EF.CardAccess
and DG14. Each is SEQUENCE { protocol OID, requiredData, optionalData? }; we keep the raw
TLVs and let the protocol modules interpret their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto.core import Integer, ObjectIdentifier

from kiosk.devices.card.errors import CardDataError
from kiosk.devices.card.tlv import TlvError, decode_tlv, expect_tlv, iter_tlv

__all__ = ["SecurityInfo", "parse_security_infos", "der_integer", "der_oid", "oid_value_bytes"]


@dataclass(frozen=True)
class SecurityInfo:
    protocol: str  # dotted OID
    required: bytes  # the raw TLV of requiredData
    optional: tuple[bytes, ...]  # raw TLVs that follow
    raw: bytes  # the whole SEQUENCE, as read


def der_integer(tlv: bytes, what: str) -> int:
    """An INTEGER from its raw TLV, or CardDataError naming ``what``."""
    try:
        expect_tlv(tlv, 0x02, what)
        return int(Integer.load(tlv).native)
    except (TlvError, ValueError, TypeError) as error:
        raise CardDataError(f"{what} is not a DER INTEGER") from error


def der_oid(tlv: bytes, what: str) -> str:
    """A dotted OID from its raw TLV."""
    try:
        expect_tlv(tlv, 0x06, what)
        return ObjectIdentifier.load(tlv).dotted
    except (TlvError, ValueError, TypeError) as error:
        raise CardDataError(f"{what} is not a DER OBJECT IDENTIFIER") from error


def oid_value_bytes(dotted: str) -> bytes:
    """The content octets of an OID (what MSE:Set AT puts in DO80)."""
    return ObjectIdentifier(dotted).dump()[2:]


def parse_security_infos(data: bytes, what: str) -> list[SecurityInfo]:
    """Parse a DER SET OF SecurityInfo; ``what`` ('EF.CardAccess', 'DG14') names errors."""
    try:
        body = expect_tlv(data, 0x31, what)
        infos = []
        for tag, value in iter_tlv(body):
            if tag != 0x30:
                raise CardDataError(f"{what}: a SecurityInfo is not a SEQUENCE")
            _, _, first_end = decode_tlv(value, 0)
            protocol = der_oid(value[:first_end], f"{what}: protocol")
            if first_end >= len(value):
                raise CardDataError(f"{what}: SecurityInfo {protocol} lacks its required data")
            _, _, req_end = decode_tlv(value, first_end)
            optional = []
            offset = req_end
            while offset < len(value):
                _, _, nxt = decode_tlv(value, offset)
                optional.append(value[offset:nxt])
                offset = nxt
            raw = bytes([0x30]) + value  # only used for identity, not re-encoding
            infos.append(SecurityInfo(protocol, value[first_end:req_end], tuple(optional), raw))
        return infos
    except TlvError as error:
        raise CardDataError(f"{what}: {error.message}") from error
