"""Basic Access Control, terminal side (ICAO 9303-11 §4.3, worked example Appendix D).

A wrong key answers 63 00 or 69 82 to MUTUAL AUTHENTICATE: we stop at the first
refusal (no retry storm, never a guessed date of birth).
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Callable

from kiosk.devices.card import crypto
from kiosk.devices.card.apdu import SW_OK, CommandApdu
from kiosk.devices.card.errors import AccessDenied, CommunicationError
from kiosk.devices.card.mrz import MrzKey
from kiosk.devices.card.sm import SecureMessaging
from kiosk.devices.card.transport import Transport, split_sw

__all__ = ["establish_bac", "bac_keys"]

log = logging.getLogger(__name__)

_REFUSED = {0x6300, 0x6982, 0x6985, 0x6A80, 0x6988}


def bac_keys(key: MrzKey) -> tuple[bytes, bytes]:
    """(K_enc, K_mac) derived from the MRZ key seed (§9.7.2, D.1/D.2)."""
    seed = key.seed()
    return crypto.kdf(seed, crypto.KDF_ENC, "3DES"), crypto.kdf(seed, crypto.KDF_MAC, "3DES")


def establish_bac(transport: Transport, key: MrzKey,
                  random_bytes: Callable[[int], bytes] = os.urandom) -> SecureMessaging:
    """Run GET CHALLENGE + MUTUAL AUTHENTICATE and return the 3DES secure channel."""
    k_enc, k_mac = bac_keys(key)
    data, sw = split_sw(transport.transmit(CommandApdu(0x00, 0x84, 0x00, 0x00, ne=8).encode()))
    if sw != SW_OK or len(data) != 8:
        raise CommunicationError(f"GET CHALLENGE failed ({sw:04X})", sw)
    rnd_ic = data
    rnd_ifd = random_bytes(8)
    k_ifd = random_bytes(16)
    e_ifd = crypto.des3_encrypt(k_enc, rnd_ifd + rnd_ic + k_ifd)
    m_ifd = crypto.retail_mac(k_mac, e_ifd)
    command = CommandApdu(0x00, 0x82, 0x00, 0x00, e_ifd + m_ifd, ne=40)
    data, sw = split_sw(transport.transmit(command.encode()))
    if sw in _REFUSED:
        log.warning("BAC refused by the chip (%04X)", sw)
        raise AccessDenied("the card refused the access key: check the ID number, the date of "
                           "birth and the card's expiry (or issue) date")
    if sw != SW_OK or len(data) != 40:
        raise CommunicationError(f"MUTUAL AUTHENTICATE failed ({sw:04X})", sw)
    e_ic, m_ic = data[:32], data[32:]
    if not hmac.compare_digest(crypto.retail_mac(k_mac, e_ic), m_ic):
        raise AccessDenied("the card's authentication cryptogram does not verify: "
                           "wrong access key or not a genuine chip")
    plain = crypto.des3_decrypt(k_enc, e_ic)
    if plain[:8] != rnd_ic or plain[8:16] != rnd_ifd:
        raise AccessDenied("the card's answer does not match our challenge")
    k_ic = plain[16:32]
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
    ks_enc = crypto.kdf(seed, crypto.KDF_ENC, "3DES")
    ks_mac = crypto.kdf(seed, crypto.KDF_MAC, "3DES")
    ssc = rnd_ic[4:] + rnd_ifd[4:]
    log.info("BAC established")
    return SecureMessaging(ks_enc, ks_mac, ssc, "3DES")
