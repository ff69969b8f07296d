"""Command APDUs (ISO/IEC 7816-4 §5.1): the four cases, short and extended length.

``ne`` is the number of response bytes expected (1 … 65536), None when no data is
expected; the encodings 00 (256) and 0000 (65536) are handled here, nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.devices.card.errors import CommunicationError

__all__ = ["CommandApdu", "SW_OK"]

SW_OK = 0x9000


@dataclass(frozen=True)
class CommandApdu:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    ne: int | None = None

    def encode(self, extended: bool | None = None) -> bytes:
        """Serialize; extended length when asked or when data/ne do not fit short form."""
        if extended is None:
            extended = len(self.data) > 255 or (self.ne is not None and self.ne > 256)
        head = bytes([self.cla, self.ins, self.p1, self.p2])
        body = b""
        if self.data:
            if extended:
                body += b"\x00" + len(self.data).to_bytes(2, "big")
            else:
                if len(self.data) > 255:
                    raise ValueError("command data longer than 255 bytes needs extended length")
                body += bytes([len(self.data)])
            body += self.data
        if self.ne is not None:
            if extended:
                le = (self.ne % 65536).to_bytes(2, "big")
                body += le if self.data else b"\x00" + le
            else:
                if self.ne > 256:
                    raise ValueError("Ne above 256 needs extended length")
                body += bytes([self.ne % 256])
        return head + body

    @classmethod
    def parse(cls, apdu: bytes) -> CommandApdu:
        """Decode any of the seven encodings; raise CommunicationError on a malformed one."""
        apdu = bytes(apdu)
        if len(apdu) < 4:
            raise CommunicationError("command APDU shorter than its 4-byte header")
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, ne=body[0] or 256)
        if body[0] != 0:  # short: Lc data [Le]
            lc = body[0]
            if len(body) == 1 + lc:
                return cls(cla, ins, p1, p2, body[1:])
            if len(body) == 2 + lc:
                return cls(cla, ins, p1, p2, body[1:1 + lc], body[-1] or 256)
            raise CommunicationError("command APDU length does not match its Lc")
        if len(body) == 3:  # extended Le only
            return cls(cla, ins, p1, p2, ne=int.from_bytes(body[1:3], "big") or 65536)
        if len(body) < 3:
            raise CommunicationError("truncated extended-length command APDU")
        lc = int.from_bytes(body[1:3], "big")
        if lc and len(body) == 3 + lc:
            return cls(cla, ins, p1, p2, body[3:])
        if lc and len(body) == 5 + lc:
            return cls(cla, ins, p1, p2, body[3:3 + lc], int.from_bytes(body[-2:], "big") or 65536)
        raise CommunicationError("extended command APDU length does not match its Lc")

    @property
    def is_extended(self) -> bool:
        return len(self.data) > 255 or (self.ne is not None and self.ne > 256)
