"""BER-TLV as used by ICAO 9303 LDS files and ISO 7816-4 secure messaging.

Tags are returned as integers of their full encoding (``0x5F1F``, ``0x7F61``), so
callers compare with the numbers printed in the standards. Only definite lengths are
legal in the LDS (ICAO 9303-10 §4.1); anything else raises :class:`TlvError`.
"""

from __future__ import annotations

from collections.abc import Iterator

from kiosk.devices.card.errors import CardDataError

__all__ = ["TlvError", "encode_tlv", "encode_length", "decode_tlv", "iter_tlv", "tag_bytes"]

_MAX_LENGTH_OCTETS = 4


class TlvError(CardDataError):
    """Bytes that are not well-formed BER-TLV (truncated, indefinite length, bad tag)."""


def tag_bytes(tag: int) -> bytes:
    """The encoding of a tag number given as its full integer form (0x5F01 -> b'\\x5f\\x01')."""
    if tag < 0:
        raise TlvError("negative tag")
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")


def encode_length(length: int) -> bytes:
    """DER definite length: short form below 128, else 81/82/83/84 and the length bytes."""
    if length < 0:
        raise TlvError("negative length")
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    if len(body) > _MAX_LENGTH_OCTETS:
        raise TlvError("length too large for BER-TLV")
    return bytes([0x80 | len(body)]) + body


def encode_tlv(tag: int, value: bytes) -> bytes:
    """One TLV object with a DER length."""
    return tag_bytes(tag) + encode_length(len(value)) + bytes(value)


def decode_header(data: bytes, offset: int = 0) -> tuple[int, int, int]:
    """Parse tag and length at ``offset``: (tag, length, offset of the value).

    Useful on a file's first bytes to learn its total size before reading the rest.
    """
    end = len(data)
    if offset >= end:
        raise TlvError("TLV truncated: no tag")
    first = data[offset]
    tag = first
    pos = offset + 1
    if first & 0x1F == 0x1F:  # ISO 7816-4 §5.2.2.1: subsequent tag bytes while b8 set
        while True:
            if pos >= end:
                raise TlvError("TLV truncated inside a multi-byte tag")
            byte = data[pos]
            tag = (tag << 8) | byte
            pos += 1
            if not byte & 0x80:
                break
            if pos - offset > 4:
                raise TlvError("TLV tag longer than 4 bytes")
    if pos >= end:
        raise TlvError(f"TLV truncated: no length after tag {tag:X}")
    first_len = data[pos]
    pos += 1
    if first_len < 0x80:
        length = first_len
    elif first_len == 0x80:
        raise TlvError(f"indefinite length for tag {tag:X} (not allowed in the LDS)")
    else:
        count = first_len & 0x7F
        if count > _MAX_LENGTH_OCTETS:
            raise TlvError(f"length of tag {tag:X} uses {count} octets")
        if pos + count > end:
            raise TlvError(f"TLV truncated inside the length of tag {tag:X}")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    return tag, length, pos


def decode_tlv(data: bytes, offset: int = 0) -> tuple[int, bytes, int]:
    """Decode one TLV at ``offset``: (tag, value, offset after it)."""
    tag, length, start = decode_header(data, offset)
    stop = start + length
    if stop > len(data):
        raise TlvError(f"TLV truncated: tag {tag:X} declares {length} bytes, "
                       f"{len(data) - start} present")
    return tag, bytes(data[start:stop]), stop


def iter_tlv(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Every TLV object in ``data`` in order, which must be consumed exactly."""
    offset = 0
    while offset < len(data):
        tag, value, offset = decode_tlv(data, offset)
        yield tag, value


def expect_tlv(data: bytes, tag: int, what: str) -> bytes:
    """The value of ``data`` as exactly one TLV with ``tag``; ``what`` names it in errors."""
    found, value, end = decode_tlv(data, 0)
    if found != tag:
        raise TlvError(f"{what}: expected tag {tag:X}, found {found:X}")
    if end != len(data):
        raise TlvError(f"{what}: {len(data) - end} unexpected bytes after the TLV")
    return value
