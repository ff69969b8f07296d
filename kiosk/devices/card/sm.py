"""Secure messaging, terminal side (ICAO 9303-11 §9.8): wrap commands, verify and unwrap
responses.

Every response MAC is verified; any failure (missing or wrong MAC, missing status DO,
bad cryptogram, an unprotected error answer) raises SecureMessagingError and poisons
this session object, because the send sequence counter can no longer be trusted —
the caller must authenticate again (§9.8.6: "the session is aborted").
"""

from __future__ import annotations

import hmac

from kiosk.devices.card import crypto
from kiosk.devices.card.apdu import CommandApdu
from kiosk.devices.card.errors import SecureMessagingError
from kiosk.devices.card.tlv import TlvError, decode_tlv, encode_tlv

__all__ = ["SecureMessaging"]

_DO_CRYPTOGRAM = 0x87
_DO_LE = 0x97
_DO_STATUS = 0x99
_DO_MAC = 0x8E


class SecureMessaging:
    """One secure channel: session keys and the send sequence counter (SSC).

    3DES (BAC) uses an 8-byte SSC and retail MAC; AES (PACE) a 16-byte SSC, AES-CMAC
    truncated to 8 bytes and IV = E(KSenc, SSC) (§9.8.6.1, §9.8.6.2).
    """

    def __init__(self, ks_enc: bytes, ks_mac: bytes, ssc: bytes, algorithm: str) -> None:
        if algorithm not in ("3DES", "AES"):
            raise ValueError("secure messaging algorithm must be '3DES' or 'AES'")
        self.algorithm = algorithm
        self.block = 8 if algorithm == "3DES" else 16
        if len(ssc) != self.block:
            raise ValueError(f"{algorithm} secure messaging needs a {self.block}-byte SSC")
        self._ks_enc = bytearray(ks_enc)
        self._ks_mac = bytearray(ks_mac)
        self._ssc = int.from_bytes(ssc, "big")
        self.broken = False

    @property
    def ssc(self) -> bytes:
        return self._ssc.to_bytes(self.block, "big")

    def _next_ssc(self) -> bytes:
        self._ssc = (self._ssc + 1) % (1 << (8 * self.block))
        return self.ssc

    def _mac(self, data: bytes) -> bytes:
        if self.algorithm == "3DES":
            return crypto.retail_mac(bytes(self._ks_mac), data)
        return crypto.aes_cmac(bytes(self._ks_mac), crypto.pad(data, 16))[:8]

    def _iv(self, ssc: bytes) -> bytes:
        if self.algorithm == "3DES":
            return bytes(8)
        return crypto.aes_ecb_encrypt(bytes(self._ks_enc), ssc)

    def _encrypt(self, ssc: bytes, data: bytes) -> bytes:
        padded = crypto.pad(data, self.block)
        if self.algorithm == "3DES":
            return crypto.des3_encrypt(bytes(self._ks_enc), padded)
        return crypto.aes_cbc_encrypt(bytes(self._ks_enc), padded, self._iv(ssc))

    def _decrypt(self, ssc: bytes, data: bytes) -> bytes:
        if not data or len(data) % self.block:
            raise SecureMessagingError("the response cryptogram is not whole cipher blocks")
        if self.algorithm == "3DES":
            plain = crypto.des3_decrypt(bytes(self._ks_enc), data)
        else:
            plain = crypto.aes_cbc_decrypt(bytes(self._ks_enc), data, self._iv(ssc))
        return crypto.unpad(plain)

    def _fail(self, message: str, sw: int | None = None,
              unprotected: bool = False) -> SecureMessagingError:
        self.broken = True
        return SecureMessagingError(message, sw, unprotected)

    def wrap(self, command: CommandApdu, extended: bool = False) -> bytes:
        """The protected form of ``command``; ``extended`` forces extended length."""
        if self.broken:
            raise SecureMessagingError("secure messaging session is broken: authenticate again")
        if command.cla & 0x0C:
            raise ValueError("command is already protected")
        if command.ins & 1:
            raise ValueError("odd INS (DO85) is not supported by this reader")
        ssc = self._next_ssc()
        cla = command.cla | 0x0C
        header = bytes([cla, command.ins, command.p1, command.p2])
        body = b""
        if command.data:
            body += encode_tlv(_DO_CRYPTOGRAM, b"\x01" + self._encrypt(ssc, command.data))
        if command.ne is not None:
            # DO97 carries Le as the unprotected command would: 00 = 256, 0000 = 65536
            long_le = command.ne > 256 or extended
            le = (command.ne % (65536 if long_le else 256)).to_bytes(2 if long_le else 1, "big")
            body += encode_tlv(_DO_LE, le)
        mac = self._mac(ssc + crypto.pad(header, self.block) + body)
        body += encode_tlv(_DO_MAC, mac)
        # The caller asks for extended length when the protected answer will not fit in
        # 256 bytes (see FileReader); here only what the command itself forces.
        needs_extended = extended or len(body) > 255 or (
            command.ne is not None and command.ne > 256)
        protected = CommandApdu(cla, command.ins, command.p1, command.p2, body,
                                ne=65536 if needs_extended else 256)
        return protected.encode(extended=needs_extended)

    def unwrap(self, response: bytes) -> tuple[bytes, int]:
        """Verify and decrypt a protected response: (plain data, status word)."""
        if self.broken:
            raise SecureMessagingError("secure messaging session is broken: authenticate again")
        if len(response) < 2:
            raise self._fail("the card sent an empty answer (no status word)")
        outer_sw = int.from_bytes(response[-2:], "big")
        body = response[:-2]
        ssc = self._next_ssc()
        if not body:
            # ICAO 9303-11 §9.8.6: a chip that detects an SM error answers in plain.
            raise self._fail(f"the card answered {outer_sw:04X} without secure messaging",
                             outer_sw, unprotected=True)
        cryptogram = status = mac = None
        mac_input = b""
        offset = 0
        try:
            while offset < len(body):
                start = offset
                tag, value, offset = decode_tlv(body, offset)
                if mac is not None:
                    raise self._fail("data follows the response MAC", outer_sw)
                if tag == _DO_CRYPTOGRAM and cryptogram is None and status is None:
                    cryptogram = value
                elif tag == _DO_STATUS and status is None:
                    status = value
                elif tag == _DO_MAC:
                    mac = value
                    continue
                else:
                    raise self._fail(f"unexpected data object {tag:X} in a protected answer",
                                     outer_sw)
                mac_input += body[start:offset]
        except TlvError as error:
            raise self._fail(f"malformed protected answer: {error.message}", outer_sw) from error
        if mac is None:
            raise self._fail("the protected answer has no MAC", outer_sw)
        if status is None:
            raise self._fail("the protected answer has no status data object", outer_sw)
        expected = self._mac(ssc + mac_input)
        if len(mac) != 8 or not hmac.compare_digest(mac, expected):
            raise self._fail("the response MAC is wrong", outer_sw)
        if len(status) != 2:
            raise self._fail("the status data object is not 2 bytes", outer_sw)
        sw = int.from_bytes(status, "big")
        data = b""
        if cryptogram is not None:
            if not cryptogram or cryptogram[0] != 0x01:
                raise self._fail("the cryptogram lacks its padding indicator 01", sw)
            try:
                data = self._decrypt(ssc, cryptogram[1:])
            except SecureMessagingError as error:
                raise self._fail(error.message, sw) from error
        return data, sw

    def wipe(self) -> None:
        """Overwrite the session keys; the object is unusable afterwards."""
        for buffer in (self._ks_enc, self._ks_mac):
            buffer[:] = bytes(len(buffer))
        self.broken = True
