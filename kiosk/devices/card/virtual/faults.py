"""Faults the virtual card can inject, after the negative cases of BSI TR-03105-5.1.

One frozen :class:`Faults` value configures both the chip's behaviour (lost MACs, a card
pulled out, end-of-file answers, Le limits) and its files (a malformed TLV signed into the
SOD, a data group changed after signing, an SOD from an unknown CSCA).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import BadInput

__all__ = ["Faults", "SM_RESPONSE_FAULTS", "END_OF_FILE_ANSWERS", "FILE_NAMES",
           "malform_tlv", "tamper"]

SM_RESPONSE_FAULTS = ("bad_mac", "no_mac", "no_status", "no_data", "bad_cryptogram")
END_OF_FILE_ANSWERS = ("6282", "9000", "6B00", "6Cxx", "empty")
FILE_NAMES = ("CardAccess", "COM", "DG1", "DG2", "DG13", "DG14", "DG15", "SOD")


class FaultConfigError(BadInput):
    """A fault option the virtual card does not know; the message lists the valid ones."""


@dataclass(frozen=True)
class Faults:
    """What goes wrong on this virtual card; the defaults are a healthy card.

    - ``remove_after_apdus``: the card leaves after answering this many APDUs; the next
      ``transmit`` raises CardRemoved.
    - ``sm_response_fault_at``: the n-th protected response of every secure session
      (1-based; with ``sm_response_fault_once`` only the n-th of the card's life, so a
      re-authenticated reader gets through) is spoiled as
      ``sm_response_fault`` says: a wrong MAC, or without its MAC / status / data object, or
      with a cryptogram that decrypts to garbage.
    - ``end_of_file``: the answer to a READ BINARY asking for more bytes than remain: the
      rest with ``6282`` (ISO 7816-4), the rest with ``9000``, ``6B00``, ``6Cxx`` (xx = what
      remains) or an empty ``9000``. Reading at or past the end always answers ``6B00``.
    - ``reject_extended``: the chip answers ``6700`` to any extended-length APDU.
    - ``max_response_plaintext``: the most plaintext bytes one protected READ BINARY may
      return; asking for more gets ``6700`` and ends secure messaging (the Le ladder).
    - ``reader_short_only``: the reader cannot carry extended APDUs at all.
    - ``malformed_tlv``: this file's first inner TLV gets an illegal length (before signing,
      so only the parser can catch it).
    - ``tampered_group``: this data group gets one byte changed after signing.
    - ``unknown_csca``: the SOD is signed by a document signer of an untrusted TEST CSCA.
    - ``wrong_can_limit``: after this many failed PACE attempts the chip answers ``6983``
      (authentication method blocked) until it is reset; None = never.
    """

    remove_after_apdus: int | None = None
    sm_response_fault_at: int | None = None
    sm_response_fault: str = "bad_mac"
    sm_response_fault_once: bool = False
    end_of_file: str = "6282"
    reject_extended: bool = False
    max_response_plaintext: int | None = None
    reader_short_only: bool = False
    malformed_tlv: str | None = None
    tampered_group: int | None = None
    unknown_csca: bool = False
    wrong_can_limit: int | None = None

    def __post_init__(self) -> None:
        if self.sm_response_fault not in SM_RESPONSE_FAULTS:
            raise FaultConfigError(f"sm_response_fault must be one of {', '.join(SM_RESPONSE_FAULTS)}")
        if self.end_of_file not in END_OF_FILE_ANSWERS:
            raise FaultConfigError(f"end_of_file must be one of {', '.join(END_OF_FILE_ANSWERS)}")
        if self.malformed_tlv is not None and self.malformed_tlv not in FILE_NAMES:
            raise FaultConfigError(f"malformed_tlv must name one of {', '.join(FILE_NAMES)}")
        if self.tampered_group is not None and self.tampered_group not in (1, 2, 13, 14, 15):
            raise FaultConfigError("tampered_group must be one of the card's groups: 1, 2, 13, 14, 15")
        for name in ("remove_after_apdus", "sm_response_fault_at", "max_response_plaintext",
                     "wrong_can_limit"):
            value = getattr(self, name)
            if value is not None and value < (0 if name == "remove_after_apdus" else 1):
                raise FaultConfigError(f"{name} must be a positive number")


def malform_tlv(raw: bytes) -> bytes:
    """The file with its first inner TLV given a 5-octet length form (ISO 7816-4 allows at
    most 4; ICAO LDS at most 3): same size, unparseable."""
    outer_length = raw[1]
    inner = 2 + (outer_length & 0x7F if outer_length & 0x80 else 0)
    if raw[0] & 0x1F == 0x1F:  # two-byte outer tag
        outer_length = raw[2]
        inner = 3 + (outer_length & 0x7F if outer_length & 0x80 else 0)
    tag_end = inner + 1
    if raw[inner] & 0x1F == 0x1F:
        tag_end += 1
    spoiled = bytearray(raw)
    spoiled[tag_end] = 0x85
    return bytes(spoiled)


def tamper(raw: bytes, group: int) -> bytes:
    """The file with one byte changed: a letter of the name line in DG1 (so the MRZ still
    parses and only the hash can tell), elsewhere the middle byte."""
    spoiled = bytearray(raw)
    if group == 1:
        position = len(raw) - 30 + 2  # third letter of MRZ line 3
        spoiled[position] = ord("A") if raw[position] != ord("A") else ord("B")
    else:
        spoiled[len(raw) // 2] ^= 0x01
    return bytes(spoiled)
