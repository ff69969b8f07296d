"""Secure messaging, chip side (ICAO 9303-11 §9.8): verify and open protected commands,
protect responses.

The mirror image of the terminal's ``sm.py``: the chip increments the send sequence counter
before checking a command and again before protecting its answer. A command whose MAC or
data objects are wrong is answered in plain (6987 / 6988) and the session is over: the chip
forgets its keys, as §9.8.6 requires.
"""

from __future__ import annotations

import hmac

from kiosk.devices.card import crypto
from kiosk.devices.card.apdu import CommandApdu
from kiosk.devices.card.errors import SecureMessagingError
from kiosk.devices.card.tlv import TlvError, decode_tlv, encode_length, encode_tlv

__all__ = ["ChipChannel", "SmAbort", "SW_SM_MISSING", "SW_SM_WRONG"]

SW_SM_MISSING = 0x6987  # expected secure messaging data objects missing
SW_SM_WRONG = 0x6988  # secure messaging data objects incorrect


class SmAbort(Exception):  # noqa: N818 - a protocol outcome (a status word), not a bug
    """The protected command is not acceptable; answer ``sw`` in plain and drop the keys."""

    def __init__(self, sw: int) -> None:
        super().__init__(f"{sw:04X}")
        self.sw = sw


class ChipChannel:
    """The chip's half of one secure channel: session keys and the SSC."""

    def __init__(self, ks_enc: bytes, ks_mac: bytes, ssc: bytes, algorithm: str) -> None:
        self.algorithm = algorithm
        self.block = 8 if algorithm == "3DES" else 16
        self._ks_enc = bytes(ks_enc)
        self._ks_mac = bytes(ks_mac)
        self._ssc = int.from_bytes(ssc, "big")

    @property
    def ssc(self) -> bytes:
        return self._ssc.to_bytes(self.block, "big")

    def _next_ssc(self) -> bytes:
        self._ssc = (self._ssc + 1) % (1 << (8 * self.block))
        return self.ssc

    def _mac(self, data: bytes) -> bytes:
        if self.algorithm == "3DES":
            return crypto.retail_mac(self._ks_mac, data)
        return crypto.aes_cmac(self._ks_mac, crypto.pad(data, 16))[:8]

    def _iv(self, ssc: bytes) -> bytes:
        # §9.8.6.1: AES uses IV = E(KSenc, SSC); 3DES a zero IV.
        return bytes(8) if self.algorithm == "3DES" else crypto.aes_ecb_encrypt(self._ks_enc, ssc)

    def _encrypt(self, ssc: bytes, padded: bytes) -> bytes:
        if self.algorithm == "3DES":
            return crypto.des3_encrypt(self._ks_enc, padded)
        return crypto.aes_cbc_encrypt(self._ks_enc, padded, self._iv(ssc))

    def _decrypt(self, ssc: bytes, data: bytes) -> bytes:
        if self.algorithm == "3DES":
            return crypto.des3_decrypt(self._ks_enc, data)
        return crypto.aes_cbc_decrypt(self._ks_enc, data, self._iv(ssc))

    def unwrap_command(self, raw: bytes, command: CommandApdu) -> CommandApdu:
        """The plain command inside a protected one; raise SmAbort if it does not verify.

        ``raw`` is the APDU as received (its header is MACed with CLA as sent).
        """
        ssc = self._next_ssc()
        body = command.data
        offset = 0
        cryptogram: bytes | None = None
        le: bytes | None = None
        mac: bytes | None = None
        mac_input = b""
        try:
            while offset < len(body):
                start = offset
                tag, value, offset = decode_tlv(body, offset)
                if mac is not None:
                    raise SmAbort(SW_SM_WRONG)  # nothing may follow DO8E
                if tag in (0x87, 0x85) and cryptogram is None and le is None:
                    cryptogram = value if tag == 0x85 else value[1:]
                    if tag == 0x87 and (not value or value[0] != 0x01):
                        raise SmAbort(SW_SM_WRONG)
                elif tag == 0x97 and le is None:
                    le = value
                elif tag == 0x8E:
                    mac = value
                    continue
                else:
                    raise SmAbort(SW_SM_WRONG)
                mac_input += body[start:offset]
        except TlvError:
            raise SmAbort(SW_SM_WRONG) from None
        if mac is None:
            raise SmAbort(SW_SM_MISSING)
        header = bytes(raw[:4])
        expected = self._mac(ssc + crypto.pad(header, self.block) + mac_input)
        if not hmac.compare_digest(mac, expected):
            raise SmAbort(SW_SM_WRONG)
        data = b""
        if cryptogram is not None:
            if not cryptogram or len(cryptogram) % self.block:
                raise SmAbort(SW_SM_WRONG)
            try:
                data = crypto.unpad(self._decrypt(ssc, cryptogram))
            except SecureMessagingError:  # no ISO padding: a forged or corrupted cryptogram
                raise SmAbort(SW_SM_WRONG) from None
        ne: int | None = None
        if le is not None:
            if len(le) not in (1, 2):
                raise SmAbort(SW_SM_WRONG)
            ne = int.from_bytes(le, "big") or (256 if len(le) == 1 else 65536)
        return CommandApdu(command.cla & ~0x0C & 0xFF, command.ins, command.p1, command.p2,
                           data, ne)

    def protected_size(self, plain_length: int) -> int:
        """Bytes of the protected response data carrying ``plain_length`` plaintext bytes."""
        size = 4 + 10  # DO99, DO8E
        if plain_length:
            cryptogram = plain_length + self.block - plain_length % self.block + 1
            size += 1 + len(encode_length(cryptogram)) + cryptogram
        return size

    def wrap_response(self, data: bytes, sw: int, fault: str | None = None) -> bytes:
        """The protected response: DO87 (if data), DO99, DO8E, then SW1 SW2 in plain.

        ``fault`` spoils it on purpose (see Faults.sm_response_fault).
        """
        ssc = self._next_ssc()
        do87 = b""
        if data:
            padded = crypto.pad(data, self.block)
            if fault == "bad_cryptogram":
                padded = bytes(len(padded))  # decrypts fine, but carries no ISO padding
            do87 = encode_tlv(0x87, b"\x01" + self._encrypt(ssc, padded))
        do99 = encode_tlv(0x99, sw.to_bytes(2, "big"))
        if fault == "no_data":
            do87 = b""
        if fault == "no_status":
            do99 = b""
        mac = self._mac(ssc + do87 + do99)
        if fault == "bad_mac":
            mac = bytes([mac[0] ^ 0x01]) + mac[1:]
        do8e = b"" if fault == "no_mac" else encode_tlv(0x8E, mac)
        return do87 + do99 + do8e + sw.to_bytes(2, "big")
