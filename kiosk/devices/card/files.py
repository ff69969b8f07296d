"""Reading elementary files: SELECT (or short file identifier) and READ BINARY with the
Le ladder (REFERENCE §1: extended → 256 → 223 → 192 → 128).

On chips that allow it (PACE cards, ISO 7816-4 §11.3.3: a READ BINARY asking for more
than remains answers the rest with 62 82 or 90 00), the first read of a file asks for a
whole Le: a file that fits is read in one APDU, which is what keeps the count at the
minimum for that Le. Where a chip refuses (6B00, 6Cxx, an empty answer) the reader
re-authenticates and falls back for good to reading the TLV header first, never asking
past the end (vicc and some chips answer 62 82 unprotected and fall out of step). When a
step of the ladder fails we re-authenticate and carry on one step lower, from the offset
already read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.devices.card.apdu import SW_OK, CommandApdu
from kiosk.devices.card.errors import (
    CardDataError,
    CardError,
    CardRemoved,
    CommunicationError,
    ReaderUnavailable,
    SecureMessagingError,
)
from kiosk.devices.card.session import CardSession, plain_exchange
from kiosk.devices.card.tlv import TlvError, decode_header
from kiosk.devices.card.transport import Transport

__all__ = ["EXTENDED", "LADDER", "FileReader", "read_plain_file", "FileMissing",
           "SFI_BY_FID"]

log = logging.getLogger(__name__)

EXTENDED = 0xFF00  # plain bytes per extended READ BINARY (the protected answer stays < 64 KiB)
LADDER = (EXTENDED, 256, 223, 192, 128)
_HEADER = 4  # tag + 82 xx xx: enough for any LDS file below 64 KiB
_MAX_OFFSET = 0x7FFF  # READ BINARY with even INS addresses 15 bits (ISO 7816-4 §11.3.3)
_FATAL = (CardRemoved, ReaderUnavailable)
# ICAO 9303-10 §3.6.2: short file identifiers of the LDS1 files.
SFI_BY_FID = {0x011E: 0x1E, 0x011D: 0x1D, 0x011C: 0x1C, **{0x0100 + n: n for n in range(1, 17)}}


class FileMissing(CardError):
    """The card has no such file (6A82)."""


def _header_size(first: bytes) -> int:
    try:
        _, length, start = decode_header(first)
    except TlvError as error:
        raise CardDataError(f"file header is not TLV: {error.message}") from error
    return start + length


def read_plain_file(transport: Transport, fid: int) -> bytes | None:
    """A file readable without access control (EF.CardAccess), or None if absent."""
    select = CommandApdu(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big"))
    _, sw = plain_exchange(transport, select)
    if sw in (0x6A82, 0x6A86, 0x6D00, 0x6982):
        return None
    if sw != SW_OK:
        raise CommunicationError(f"SELECT of file {fid:04X} failed ({sw:04X})", sw)
    # Before access control nothing can fall out of step: ask for a whole short Le, and
    # take the rest of a shorter file (62 82 / 90 00) or the exact length a 6C xx gives.
    data, sw = plain_exchange(transport, CommandApdu(0x00, 0xB0, 0, 0, ne=256))
    if sw >> 8 == 0x6C and sw & 0xFF:
        data, sw = plain_exchange(transport, CommandApdu(0x00, 0xB0, 0, 0, ne=sw & 0xFF))
    elif not (sw in (SW_OK, 0x6282) and len(data) >= 2):
        data, sw = plain_exchange(transport, CommandApdu(0x00, 0xB0, 0, 0, ne=_HEADER))
    if sw not in (SW_OK, 0x6282) or len(data) < 2:
        raise CommunicationError(f"READ BINARY of file {fid:04X} failed ({sw:04X})", sw)
    size = _header_size(data) if len(data) >= 2 else 0
    content = bytearray(data[:size])
    while len(content) < size:
        ne = min(size - len(content), 223)
        offset = len(content)
        chunk, sw = plain_exchange(
            transport, CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, ne=ne))
        if sw != SW_OK or not chunk:
            raise CommunicationError(f"READ BINARY of file {fid:04X} failed ({sw:04X})", sw)
        content += chunk[:size - len(content)]
    return bytes(content)


class FileReader:
    """Reads whole files through a CardSession, walking down the Le ladder on errors."""

    def __init__(self, session: CardSession, use_sfi: bool,
                 on_bytes: Callable[[int, int, int], None] | None = None,
                 read_past_end: bool | None = None) -> None:
        self.session = session
        self.use_sfi = use_sfi
        self.read_past_end = use_sfi if read_past_end is None else read_past_end
        steps = LADDER if session.extended_allowed else tuple(
            step for step in LADDER if step <= 223)
        self.ladder = list(steps)
        self.on_bytes = on_bytes

    @property
    def le(self) -> int:
        return self.ladder[0]

    def _step_down(self, why: str) -> None:
        if len(self.ladder) == 1:
            raise CommunicationError(f"reading failed at the smallest Le ({why})")
        dropped = self.ladder.pop(0)
        if self.ladder[0] <= 223:
            self.session.extended_allowed = False
        log.info("Le %d failed (%s); using %d", dropped, why, self.ladder[0])
        self.session.reauthenticate(why)

    def _select(self, fid: int) -> None:
        data, sw = self.session.send(CommandApdu(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big")))
        if sw == 0x6A82:
            raise FileMissing(f"the card has no file {fid:04X}")
        if sw != SW_OK:
            raise CommunicationError(f"SELECT of file {fid:04X} failed ({sw:04X})", sw)
        self.session.selected = fid

    def _first_ne(self) -> int:
        return min(self.le, _MAX_OFFSET + 1) if self.read_past_end else _HEADER

    def _accept_first(self, data: bytes, sw: int, ne: int) -> bool:
        """Whether a first read answered usefully: the full Ne, or the rest of a shorter
        file with 90 00 / 62 82 when we asked past its end on purpose."""
        if sw == SW_OK and len(data) == ne:
            return True
        return self.read_past_end and sw in (SW_OK, 0x6282) and len(data) >= 2

    def _refuses_past_end(self, data: bytes, sw: int) -> bool:
        """The chip's ways of saying 'not past the end' (REFERENCE §1): 6B 00, 6C xx, or an
        answer without data (62 82 or 90 00). An answer spoiled in transit that lost its
        data looks the same; both end in re-authentication, so neither is trusted."""
        return self.read_past_end and (sw == 0x6B00 or sw >> 8 == 0x6C
                                       or (sw in (0x6282, SW_OK) and len(data) < 2))

    def _stop_reading_past_end(self, fid: int, sw: int) -> None:
        log.info("file %04X: the chip refuses reads past the end (%04X); reading headers first",
                 fid, sw)
        self.read_past_end = False
        self.session.reauthenticate("reads past the end refused")

    def _read_header(self, fid: int) -> bytes:
        """The first bytes (the header, or the whole file when reading past the end is
        allowed), by short file identifier when allowed (saves the SELECT)."""
        sfi = SFI_BY_FID.get(fid)
        ne = self._first_ne()
        extended = ne > 223
        if self.use_sfi and sfi is not None:
            try:
                data, sw = self.session.send(CommandApdu(0x00, 0xB0, 0x80 | sfi, 0, ne=ne),
                                             extended=extended)
            except SecureMessagingError as error:
                if not error.unprotected or error.sw == SW_OK:
                    raise  # a corrupt answer, not a refusal: the ladder deals with it
                sw, data = error.sw or 0, b""  # a plain refusal ends the channel
                if self._refuses_past_end(data, sw):
                    self._stop_reading_past_end(fid, sw)
                    return self._read_header(fid)
                self.use_sfi = False
                self.session.reauthenticate("short file identifiers not supported")
            if self._accept_first(data, sw, ne):
                self.session.selected = fid
                return data
            if self._refuses_past_end(data, sw):
                self._stop_reading_past_end(fid, sw)
                return self._read_header(fid)
            if sw == SW_OK:
                raise CommunicationError(f"READ BINARY returned {len(data)} bytes for Le {ne}")
            log.info("READ BINARY by SFI answered %04X; selecting by file id instead", sw)
            self.use_sfi = False
        if self.session.selected != fid:
            self._select(fid)
        data, sw = self.session.send(CommandApdu(0x00, 0xB0, 0, 0, ne=ne), extended=extended)
        if self._accept_first(data, sw, ne):
            return data
        if self._refuses_past_end(data, sw):
            self._stop_reading_past_end(fid, sw)
            return self._read_header(fid)
        raise CommunicationError(f"READ BINARY of file {fid:04X} failed ({sw:04X})", sw)

    def read(self, fid: int) -> bytes:
        """The whole file ``fid``, exactly as stored on the chip."""
        first = self._with_retry(lambda: self._read_header(fid), fid)
        size = _header_size(first)
        if size > _MAX_OFFSET + 1:
            raise CardDataError(f"file {fid:04X} is {size} bytes; files above 32 KiB "
                                "(odd-INS READ BINARY) are not supported")
        content = bytearray(first[:size])
        while len(content) < size:
            offset = len(content)
            chunk = self._with_retry(lambda at=offset: self._read_chunk(fid, at, size), fid)
            content += chunk
            if self.on_bytes:
                self.on_bytes(fid, len(content), size)
        return bytes(content)

    def _read_chunk(self, fid: int, offset: int, size: int) -> bytes:
        if self.session.selected != fid:
            self._select(fid)
        ne = min(size - offset, self.le)
        # Over 223 plain bytes the protected answer exceeds 256 bytes: extended length.
        extended = self.le > 223
        data, sw = self.session.send(
            CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, ne=ne), extended=extended)
        if sw != SW_OK:
            raise CommunicationError(f"READ BINARY answered {sw:04X} at offset {offset}", sw)
        if not data or len(data) > ne:
            raise CommunicationError(f"READ BINARY returned {len(data)} bytes for Le {ne}")
        return data

    def _with_retry(self, action: Callable[[], bytes], fid: int) -> bytes:
        while True:
            try:
                return action()
            except _FATAL:
                raise
            except (FileMissing, CardDataError):
                raise
            except CommunicationError as error:
                self._step_down(f"file {fid:04X}: {error.message}")
