"""The virtual CCCD: a software chip and a perfect reader behind the Transport interface.

It answers the APDUs a real Vietnamese ID card answers (REFERENCE §1): SELECT by AID, by
file id and READ BINARY by short file identifier; EF.CardAccess in plain; BAC (3DES) and
PACE-ECDH-GM (AES) followed by secure messaging that every LDS file requires; Chip and
Active Authentication; 6D00 to SELECT MF, 6982 for DG3, 6A82 for DG11. Faults from
:class:`Faults` make it misbehave the way TR-03105-5.1 asks readers to survive.

Status words for checking errors (file missing, end of file, wrong P1-P2) are sent
protected when secure messaging is on, as ICAO chips do; secure messaging errors are
answered in plain and end the session (§9.8.6).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable

from kiosk.devices.card import crypto
from kiosk.devices.card.apdu import CommandApdu
from kiosk.devices.card.ec import BRAINPOOL_P256R1
from kiosk.devices.card.errors import CardRemoved, CommunicationError
from kiosk.devices.card.virtual.chip_auth import ChipAuthentication, active_authentication_signature
from kiosk.devices.card.virtual.chip_pace import PaceChip
from kiosk.devices.card.virtual.chip_sm import ChipChannel, SmAbort
from kiosk.devices.card.virtual.faults import Faults
from kiosk.devices.card.virtual.personalize import PersonalizedCard

__all__ = ["VirtualCard", "LDS1_AID", "FILE_IDS", "SHORT_FILE_IDS"]

log = logging.getLogger(__name__)

LDS1_AID = bytes.fromhex("A0000002471001")
FILE_IDS = {"CardAccess": 0x011C, "COM": 0x011E, "SOD": 0x011D,
            **{f"DG{n}": 0x0100 + n for n in range(1, 17)}}
SHORT_FILE_IDS = {fid & 0x1F: name for name, fid in FILE_IDS.items()}
_EAC_PROTECTED = {"DG3", "DG4"}  # fingerprints / iris: Terminal Authentication only

SW_OK = 0x9000
SW_EOF = 0x6282
SW_WRONG_LENGTH = 0x6700
SW_AUTH_FAILED = 0x6300
SW_SECURITY = 0x6982
SW_NOT_SATISFIED = 0x6985
SW_WRONG_DATA = 0x6A80
SW_NOT_FOUND = 0x6A82
SW_WRONG_P1P2 = 0x6B00
SW_INS = 0x6D00
SW_CLA = 0x6E00


class VirtualCard:
    """One inserted virtual card with a reader that never drops a byte (unless told to).

    ``rng`` supplies every random byte the chip draws (challenges, nonces, keys), so tests
    can replay the ICAO worked examples. Counters: ``apdus``, ``bytes_in``, ``bytes_out``.
    """

    def __init__(self, card: PersonalizedCard, faults: Faults | None = None,
                 rng: Callable[[int], bytes] = os.urandom) -> None:
        self.card = card
        self.faults = faults or Faults()
        self._rng = rng
        self.supports_extended_apdus = not self.faults.reader_short_only
        self.apdus = 0
        self.bytes_in = 0
        self.bytes_out = 0
        self.sm_responses = 0
        self.closed = False
        mrz = card.mrz
        self._mrz_information = mrz[5:15] + mrz[30:37] + mrz[38:45]
        self._pace = PaceChip(self._mrz_information, card.can, self._scalar, lambda: self._rng(16),
                              self.faults.wrong_can_limit)
        self._reset_session()

    # -- session state ---------------------------------------------------------------
    def _reset_session(self) -> None:
        self.channel: ChipChannel | None = None
        self.access: str | None = None
        self._app_selected = False
        self._current: str | None = None
        self._challenge: bytes | None = None
        self._chip_auth = ChipAuthentication(self.card.keys.chip_auth)
        # Chip Authentication answers under the old keys; the new ones start after it.
        self._pending_channel: ChipChannel | None = None

    def reset(self) -> None:
        """Power the chip down and up (a new session, as after re-inserting the card)."""
        self._reset_session()

    @property
    def pace_failures(self) -> int:
        return self._pace.failures

    def _scalar(self) -> int:
        """A private scalar in [1, n) from the chip's random source (rejection sampling)."""
        order = BRAINPOOL_P256R1.n
        while True:
            value = int.from_bytes(self._rng(32), "big")
            if 1 <= value < order:
                return value

    # -- Transport -------------------------------------------------------------------
    def transmit(self, apdu: bytes) -> bytes:
        """Process one command APDU; the answer is response data followed by SW1 SW2."""
        if self.closed:
            raise CardRemoved("the virtual card session is closed")
        removal = self.faults.remove_after_apdus
        if removal is not None and self.apdus >= removal:
            self._reset_session()
            raise CardRemoved("the card was removed")
        self.apdus += 1
        self.bytes_in += len(apdu)
        response = self._process(bytes(apdu))
        self.bytes_out += len(response)
        return response

    def close(self) -> None:
        self._reset_session()
        self.closed = True

    # -- dispatch --------------------------------------------------------------------
    def _process(self, raw: bytes) -> bytes:
        try:
            command = CommandApdu.parse(raw)
        except CommunicationError:
            return self._plain(SW_WRONG_LENGTH)
        extended = len(raw) > 5 and raw[4] == 0
        if extended and (self.faults.reject_extended or not self.supports_extended_apdus):
            return self._plain(SW_WRONG_LENGTH)
        if command.cla & 0x0C:
            if self.channel is None:
                return self._plain(0x6988)
            try:
                inner = self.channel.unwrap_command(raw, command)
            except SmAbort as abort:
                return self._plain(abort.sw)
            data, sw = self._execute(inner, protected=True, outer_ne=command.ne or 0)
            if self.channel is None:  # the command ended secure messaging (Le refused)
                return self._plain(sw)
            return self._protect(data, sw)
        if self.channel is not None:
            # ISO 7816-4 §10.2: an unprotected command ends the secure session.
            self._end_sm()
        data, sw = self._execute(command, protected=False, outer_ne=command.ne or 0)
        return self._plain(sw, data)

    def _plain(self, sw: int, data: bytes = b"") -> bytes:
        if sw in (0x6987, 0x6988, SW_WRONG_LENGTH) and data == b"":
            self._end_sm()
        return data + sw.to_bytes(2, "big")

    def _end_sm(self) -> None:
        self.channel = None

    def _protect(self, data: bytes, sw: int) -> bytes:
        assert self.channel is not None
        self.sm_responses += 1
        fault = None
        if self.faults.sm_response_fault_at == self.sm_responses:
            fault = self.faults.sm_response_fault
        response = self.channel.wrap_response(data, sw, fault)
        if self._pending_channel is not None:  # Chip Authentication: new keys from now on
            self.channel, self._pending_channel = self._pending_channel, None
        return response

    def _execute(self, command: CommandApdu, protected: bool, outer_ne: int) -> tuple[bytes, int]:
        if command.cla & 0xE0:
            return b"", SW_CLA
        handlers = {
            0xA4: self._select, 0xB0: self._read_binary, 0x84: self._get_challenge,
            0x82: self._mutual_authenticate, 0x22: self._manage_security_environment,
            0x86: self._general_authenticate, 0x88: self._internal_authenticate,
        }
        handler = handlers.get(command.ins)
        if handler is None:
            return b"", SW_INS
        return handler(command, protected, outer_ne)

    # -- files -----------------------------------------------------------------------
    def _file_access(self, name: str | None, protected: bool) -> int:
        """The status of selecting/reading ``name`` now: 9000 or the refusal."""
        if name is None:
            return SW_NOT_FOUND
        if name == "CardAccess":
            return SW_OK if "CardAccess" in self.card.files else SW_NOT_FOUND
        if not self._app_selected:
            return SW_NOT_FOUND
        if name in _EAC_PROTECTED:
            return SW_SECURITY
        if name not in self.card.files:
            return SW_NOT_FOUND
        return SW_OK if protected else SW_SECURITY

    def _select(self, command: CommandApdu, protected: bool, outer_ne: int) -> tuple[bytes, int]:
        p1, data = command.p1, command.data
        if p1 == 0x04:  # by DF name
            if data == LDS1_AID:
                self._app_selected = True
                self._current = None
                return b"", SW_OK
            return b"", SW_NOT_FOUND
        if p1 in (0x00, 0x02) and (not data or data == b"\x3f\x00"):
            return b"", SW_INS  # the CCCD answers SELECT MF with 6D00 (REFERENCE §1)
        if p1 not in (0x00, 0x02) or len(data) != 2:
            return b"", 0x6A86
        fid = int.from_bytes(data, "big")
        name = next((n for n, f in FILE_IDS.items() if f == fid), None)
        sw = self._file_access(name, protected)
        if sw == SW_OK:
            self._current = name
        return b"", sw

    def _read_binary(self, command: CommandApdu, protected: bool, outer_ne: int) -> tuple[bytes, int]:
        if command.p1 & 0x80:  # b8 set: short file identifier in b5-b1, offset in P2
            name = SHORT_FILE_IDS.get(command.p1 & 0x1F)
            if command.p1 & 0x60:
                return b"", SW_WRONG_P1P2
            sw = self._file_access(name, protected)
            if sw != SW_OK:
                return b"", sw
            self._current = name
            offset = command.p2
        else:
            if self._current is None:
                return b"", 0x6986  # no current EF
            sw = self._file_access(self._current, protected)
            if sw != SW_OK:
                return b"", sw
            offset = (command.p1 << 8) | command.p2
        content = self.card.files[self._current]  # type: ignore[index]
        ne = command.ne or 0
        if ne == 0:
            return b"", SW_WRONG_LENGTH
        if offset >= len(content):
            return b"", SW_WRONG_P1P2
        limit = self.faults.max_response_plaintext
        if protected and self.channel is not None:
            plain_max = min(ne, len(content) - offset)
            if (limit is not None and ne > limit) or \
                    self.channel.protected_size(plain_max) > (outer_ne or 256):
                self._end_sm()  # this chip gives up on the session rather than truncate
                return b"", SW_WRONG_LENGTH
        chunk = content[offset:offset + ne]
        if len(chunk) == ne:
            return chunk, SW_OK
        remaining = len(chunk)
        answer = self.faults.end_of_file
        if answer == "6282":
            return chunk, SW_EOF
        if answer == "9000":
            return chunk, SW_OK
        if answer == "6B00":
            return b"", SW_WRONG_P1P2
        if answer == "6Cxx":
            return b"", 0x6C00 | (remaining & 0xFF)
        return b"", SW_OK  # "empty"

    # -- BAC -------------------------------------------------------------------------
    def _get_challenge(self, command: CommandApdu, protected: bool, outer_ne: int) -> tuple[bytes, int]:
        if command.ne != 8:
            return b"", SW_WRONG_LENGTH
        self._challenge = self._rng(8)
        return self._challenge, SW_OK

    def _mutual_authenticate(self, command: CommandApdu, protected: bool,
                             outer_ne: int) -> tuple[bytes, int]:
        """BAC (ICAO 9303-11 §4.3): check E_IFD/M_IFD, answer E_IC/M_IC, start 3DES SM."""
        if not self.card.supports_bac or protected:
            return b"", SW_NOT_SATISFIED
        challenge, self._challenge = self._challenge, None
        if challenge is None:
            return b"", SW_NOT_SATISFIED
        if len(command.data) != 40:
            return b"", SW_WRONG_LENGTH
        seed = _bac_seed(self._mrz_information)
        k_enc = crypto.kdf(seed, crypto.KDF_ENC, "3DES")
        k_mac = crypto.kdf(seed, crypto.KDF_MAC, "3DES")
        e_ifd, m_ifd = command.data[:32], command.data[32:]
        if crypto.retail_mac(k_mac, e_ifd) != m_ifd:
            log.info("BAC refused: MAC of the terminal's cryptogram is wrong")
            return b"", SW_AUTH_FAILED
        plain = crypto.des3_decrypt(k_enc, e_ifd)
        rnd_ifd, rnd_ic, k_ifd = plain[:8], plain[8:16], plain[16:32]
        if rnd_ic != challenge:
            return b"", SW_AUTH_FAILED
        k_ic = self._rng(16)
        e_ic = crypto.des3_encrypt(k_enc, rnd_ic + rnd_ifd + k_ic)
        session_seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
        self._start_sm(ChipChannel(crypto.kdf(session_seed, crypto.KDF_ENC, "3DES"),
                                   crypto.kdf(session_seed, crypto.KDF_MAC, "3DES"),
                                   rnd_ic[4:] + rnd_ifd[4:], "3DES"), "BAC")
        return e_ic + crypto.retail_mac(k_mac, e_ic), SW_OK

    def _start_sm(self, channel: ChipChannel, access: str) -> None:
        self.channel = channel
        self.access = access
        self._current = None
        if not self.faults.sm_response_fault_once:
            self.sm_responses = 0
        log.info("secure messaging started after %s", access)

    # -- PACE and Chip Authentication ------------------------------------------------
    def _manage_security_environment(self, command: CommandApdu, protected: bool,
                                     outer_ne: int) -> tuple[bytes, int]:
        p1p2 = (command.p1 << 8) | command.p2
        if p1p2 == 0xC1A4:  # MSE:Set AT for mutual authentication: PACE
            if not self.card.supports_pace:
                return b"", 0x6A80
            return b"", self._pace.set_at(command.data)
        if p1p2 == 0x41A4 and protected:  # MSE:Set AT for internal authentication: CA
            return b"", self._chip_auth.set_at(command.data)
        if p1p2 == 0x41A6 and protected:  # MSE:Set KAT: CA in one step
            sw, channel = self._chip_auth.set_kat(command.data)
            self._pending_channel = channel
            return b"", sw
        if p1p2 in (0x41A4, 0x41A6):
            return b"", SW_SECURITY
        return b"", 0x6A86

    def _general_authenticate(self, command: CommandApdu, protected: bool,
                              outer_ne: int) -> tuple[bytes, int]:
        if protected:
            data, sw, channel = self._chip_auth.general_authenticate(command.data)
            self._pending_channel = channel
            return data, sw
        outcome = self._pace.general_authenticate(command.data)
        if outcome.channel is not None:
            self._start_sm(outcome.channel, "PACE")
        return outcome.data, outcome.sw

    # -- Active Authentication -------------------------------------------------------
    def _internal_authenticate(self, command: CommandApdu, protected: bool,
                               outer_ne: int) -> tuple[bytes, int]:
        if not protected:
            return b"", SW_SECURITY
        if len(command.data) != 8:
            return b"", SW_WRONG_DATA
        keys = self.card.keys
        return active_authentication_signature(keys.active_auth, command.data, keys.aa_hash,
                                               self._rng), SW_OK


def _bac_seed(mrz_information: str) -> bytes:
    """K_seed: the first 16 bytes of SHA-1 of the MRZ information (§9.7.2)."""
    return hashlib.sha1(mrz_information.encode("ascii")).digest()[:16]
