"""Parsers for the LDS1 files other than DG13/DG14/SOD (ICAO 9303-10 §4.6, §4.7):
EF.COM, DG1 (TD1 MRZ), DG2 (face image) and DG15 (Active Authentication key).

Each takes the raw file bytes as read and raises CardDataError naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.devices.card.errors import CardDataError
from kiosk.devices.card.mrz import Td1, parse_td1
from kiosk.devices.card.tlv import TlvError, decode_tlv, expect_tlv, iter_tlv

__all__ = ["Com", "parse_com", "parse_dg1", "parse_dg2", "parse_dg15", "GROUP_BY_TAG",
           "FID_BY_GROUP"]

# ICAO 9303-10 Table 34: EF tags of the data groups.
GROUP_BY_TAG = {0x61: 1, 0x75: 2, 0x63: 3, 0x76: 4, 0x65: 5, 0x66: 6, 0x67: 7, 0x68: 8,
                0x69: 9, 0x6A: 10, 0x6B: 11, 0x6C: 12, 0x6D: 13, 0x6E: 14, 0x6F: 15, 0x70: 16}
FID_BY_GROUP = {n: 0x0100 + n for n in range(1, 17)}
FID_COM = 0x011E
FID_SOD = 0x011D


@dataclass(frozen=True)
class Com:
    lds_version: str
    unicode_version: str
    groups: tuple[int, ...]


def _file(data: bytes, tag: int, name: str) -> bytes:
    try:
        return expect_tlv(data, tag, name)
    except TlvError as error:
        raise CardDataError(f"{name}: {error.message}") from error


def parse_com(data: bytes) -> Com:
    """EF.COM: the LDS and Unicode versions and the data groups present."""
    body = _file(data, 0x60, "EF.COM")
    try:
        objects = dict(iter_tlv(body))
    except TlvError as error:
        raise CardDataError(f"EF.COM: {error.message}") from error
    if 0x5C not in objects:
        raise CardDataError("EF.COM: the list of data groups (5C) is missing")
    groups = []
    for tag in objects[0x5C]:
        if tag not in GROUP_BY_TAG:
            raise CardDataError(f"EF.COM: unknown data group tag {tag:02X}")
        groups.append(GROUP_BY_TAG[tag])
    try:
        lds = objects.get(0x5F01, b"").decode("ascii")
        uni = objects.get(0x5F36, b"").decode("ascii")
    except UnicodeDecodeError as error:
        raise CardDataError("EF.COM: version numbers are not ASCII digits") from error
    return Com(lds_version=lds, unicode_version=uni, groups=tuple(groups))


def parse_dg1(data: bytes) -> Td1:
    """DG1: the MRZ (5F1F) of a TD1 card, with every check digit verified."""
    body = _file(data, 0x61, "DG1")
    try:
        mrz = expect_tlv(body, 0x5F1F, "DG1 MRZ")
    except TlvError as error:
        raise CardDataError(f"DG1: {error.message}") from error
    try:
        text = mrz.decode("ascii")
    except UnicodeDecodeError as error:
        raise CardDataError("DG1: the MRZ is not ASCII") from error
    if len(text) != 90:
        raise CardDataError(f"DG1: the MRZ has {len(text)} characters; only TD1 (90) is expected")
    return parse_td1(text)


def _find(data: bytes, tag: int) -> bytes | None:
    """Depth-first search of constructed TLVs for the first ``tag``."""
    for found, value in iter_tlv(data):
        if found == tag:
            return value
        if _is_constructed(found):
            inner = _find(value, tag)
            if inner is not None:
                return inner
    return None


def _is_constructed(tag: int) -> bool:
    first = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")[0]
    return bool(first & 0x20)


def _face_image(record: bytes) -> bytes:
    """The JPEG inside an ISO/IEC 19794-5:2005 facial record ('FAC\\0'), or a bare JPEG.

    Layout (§5.4-5.7): 14-byte header, then per face a 20-byte information block,
    8 bytes per feature point, a 12-byte image information block, then the image.
    """
    if record.startswith(b"\xff\xd8"):
        return record
    if not record.startswith(b"FAC\x00") or len(record) < 14 + 20 + 12:
        raise CardDataError("DG2: the face record is neither ISO 19794-5 nor a JPEG")
    faces = int.from_bytes(record[12:14], "big")
    if faces < 1:
        raise CardDataError("DG2: the face record holds no face")
    block = 14
    block_length = int.from_bytes(record[block:block + 4], "big")
    points = int.from_bytes(record[block + 4:block + 6], "big")
    image_info = block + 20 + 8 * points
    image_type = record[image_info + 1] if image_info + 1 < len(record) else None
    start = image_info + 12
    end = block + block_length
    if end > len(record) or start >= end:
        raise CardDataError("DG2: the face record's lengths are inconsistent")
    if image_type == 1:
        raise CardDataError("DG2: the face image is JPEG 2000, which the kiosk does not show")
    image = record[start:end]
    if not image.startswith(b"\xff\xd8"):
        raise CardDataError("DG2: the face image is not a JPEG")
    return image


def parse_dg2(data: bytes) -> bytes:
    """DG2: the first face image as JPEG bytes (ICAO 9303-10 §4.7.2, ISO 19794-5)."""
    body = _file(data, 0x75, "DG2")
    try:
        record = _find(body, 0x5F2E)
        if record is None:
            record = _find(body, 0x7F2E)
    except TlvError as error:
        raise CardDataError(f"DG2: {error.message}") from error
    if record is None:
        raise CardDataError("DG2: no biometric data block (5F2E/7F2E)")
    if record[:1] == b"\xa1":  # ISO 39794-5 is ASN.1: look for the image octets inside
        start = record.find(b"\xff\xd8\xff")
        if start < 0:
            raise CardDataError("DG2: no JPEG inside the ISO 39794-5 record")
        return record[start:]
    return _face_image(record)


def parse_dg15(data: bytes) -> bytes:
    """DG15: the Active Authentication SubjectPublicKeyInfo (DER), checked to be one TLV."""
    body = _file(data, 0x6F, "DG15")
    try:
        tag, _, end = decode_tlv(body)
    except TlvError as error:
        raise CardDataError(f"DG15: {error.message}") from error
    if tag != 0x30 or end != len(body):
        raise CardDataError("DG15: not a SubjectPublicKeyInfo")
    return body
