"""Shared helpers for the virtual-chip tests: demo cards built once, scripted randomness,
and a minimal terminal made of the team's own primitives (bac.py, pace.py, sm.py)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from kiosk.devices.card.apdu import CommandApdu
from kiosk.devices.card.bac import establish_bac
from kiosk.devices.card.mrz import MrzKey
from kiosk.devices.card.pace import establish_pace, pace_infos
from kiosk.devices.card.session import CardSession
from kiosk.devices.card.sm import SecureMessaging
from kiosk.devices.card.transport import split_sw
from kiosk.devices.card.virtual.chip import LDS1_AID, VirtualCard
from kiosk.devices.card.virtual.faults import Faults
from kiosk.devices.card.virtual.personalize import (
    PersonalizedCard,
    load_resident,
    personalize,
)

VECTORS = Path(__file__).resolve().parents[3].parent / "shared" / "testvectors"
AN = "001090012345"


def vector(name: str) -> dict:
    return json.loads((VECTORS / name).read_text())


def h(text: str) -> bytes:
    return bytes.fromhex(text)


@cache
def base_card(resident_id: str = AN, aa: str = "EC", aa_hash: str = "SHA-1") -> PersonalizedCard:
    """A healthy card, built once per (resident, AA key type); RSA keys are 1024 bits."""
    return personalize(load_resident(resident_id), aa=aa, aa_hash=aa_hash, rsa_bits=1024)


def card_with(faults: Faults | None = None, resident_id: str = AN, **options) -> PersonalizedCard:
    """A card with file faults or options, reusing the cached card's keys (fast)."""
    base = base_card(resident_id)
    return personalize(load_resident(resident_id), aa="EC", keys=base.keys, faults=faults,
                       **options)


def specimen_card(mrz: str) -> PersonalizedCard:
    """A card whose MRZ is an ICAO specimen's, for the worked examples."""
    base = base_card()
    return PersonalizedCard(id_number=AN, mrz=mrz, files=dict(base.files), keys=base.keys,
                            pki=base.pki)


def scripted(*chunks: bytes):
    """A random source that returns the given values in order (then fails loudly)."""
    queue = list(chunks)

    def rng(n: int) -> bytes:
        value = queue.pop(0)
        assert len(value) == n, f"scripted random value of {len(value)} bytes, {n} asked"
        return value

    return rng


def apdu(card: VirtualCard, command: CommandApdu, extended: bool | None = None) -> tuple[bytes, int]:
    return split_sw(card.transmit(command.encode(extended)))


def select_app(card: VirtualCard) -> int:
    return apdu(card, CommandApdu(0x00, 0xA4, 0x04, 0x0C, LDS1_AID))[1]


def pace_channel(card: VirtualCard, can: str | None = None) -> SecureMessaging:
    info = pace_infos(card.card.files["CardAccess"])[0]
    return establish_pace(card, can or card.card.can, info)


def bac_key(card: PersonalizedCard) -> MrzKey:
    mrz = card.mrz
    return MrzKey(mrz[5:14], mrz[30:36], mrz[38:44])


def pace_session(card: VirtualCard, can: str | None = None) -> CardSession:
    """PACE with the CAN, then SELECT of the LDS1 application under secure messaging."""

    def authenticate(link):
        channel = establish_pace(link, can or card.card.can,
                                 pace_infos(card.card.files["CardAccess"])[0])
        return channel

    session = CardSession(card, authenticate)
    session.open()
    data, sw = session.send(CommandApdu(0x00, 0xA4, 0x04, 0x0C, LDS1_AID))
    assert sw == 0x9000
    return session


def bac_session(card: VirtualCard) -> CardSession:
    """SELECT of the application in plain, then BAC with the MRZ key."""
    assert select_app(card) == 0x9000
    session = CardSession(card, lambda link: establish_bac(link, bac_key(card.card)))
    session.open()
    return session
