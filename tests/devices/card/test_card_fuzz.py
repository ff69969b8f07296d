"""Hypothesis fuzzing of the parsers that read bytes from a card or text from a QR code:
nothing but our typed errors may escape (REFERENCE §1, issue 3 "Bad input")."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.devices.card.dg13 import parse_dg13
from kiosk.devices.card.errors import AccessKeyError, CardDataError
from kiosk.devices.card.lds import parse_com, parse_dg1, parse_dg2
from kiosk.devices.card.mrz import parse_td1
from kiosk.devices.card.pace import pace_infos
from kiosk.devices.card.qr import parse_card_qr
from kiosk.devices.card.sod import parse_sod
from kiosk.devices.card.tlv import TlvError, decode_tlv, encode_tlv, iter_tlv

FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _demo_files() -> dict[str, bytes]:
    from kiosk.devices.card.virtual.personalize import load_resident, personalize

    return personalize(load_resident("001090012345"), rsa_bits=1024).files


FILES = _demo_files()


@st.composite
def _mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    """The real file with bytes flipped, cut or inserted: close enough to reach deep code."""
    out = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "insert"]))
        pos = draw(st.integers(0, max(0, len(out) - 1)))
        if kind == "flip" and out:
            out[pos] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del out[pos:pos + draw(st.integers(1, 8))]
        else:
            out[pos:pos] = draw(st.binary(min_size=1, max_size=4))
    return bytes(out)


@FUZZ
@given(st.binary(max_size=64))
def test_tlv_random_bytes(data: bytes) -> None:
    """Random bytes: TLV decoding returns or raises TlvError."""
    try:
        list(iter_tlv(data))
    except TlvError:
        pass


@FUZZ
@given(st.integers(0, 0xFFFF), st.binary(max_size=300))
def test_tlv_round_trip(tag: int, value: bytes) -> None:
    """encode then decode gives the tag and value back (for well-formed tag numbers)."""
    if tag > 0xFF and (tag >> 8) & 0x1F != 0x1F or tag <= 0xFF and tag & 0x1F == 0x1F:
        return
    if tag > 0xFF and tag & 0x80:
        return
    assert decode_tlv(encode_tlv(tag, value)) == (tag, value, len(encode_tlv(tag, value)))


@FUZZ
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<", min_size=0, max_size=95))
def test_td1_random_text(text: str) -> None:
    """Random MRZ-alphabet text: parse_td1 returns or raises CardDataError."""
    try:
        parse_td1(text)
    except CardDataError:
        pass


@FUZZ
@given(st.text(max_size=200))
def test_td1_any_text(text: str) -> None:
    """Any Unicode text: only CardDataError or AccessKeyError."""
    try:
        parse_td1(text)
    except (CardDataError, AccessKeyError):
        pass


@FUZZ
@given(st.one_of(st.text(max_size=200),
                 st.lists(st.text(alphabet=st.characters(blacklist_characters="|"), max_size=20),
                          min_size=6, max_size=10).map("|".join)))
def test_qr_random_text(text: str) -> None:
    """Random QR text: parse_card_qr returns or raises AccessKeyError."""
    try:
        parse_card_qr(text)
    except AccessKeyError:
        pass


@FUZZ
@given(_mutations(FILES["DG13"]))
def test_dg13_mutations(data: bytes) -> None:
    """A mutated DG13: parse_dg13 returns fields or raises CardDataError."""
    try:
        parse_dg13(data)
    except CardDataError:
        pass


@FUZZ
@given(st.binary(max_size=200))
def test_dg13_random_bytes(data: bytes) -> None:
    """Random bytes as DG13: CardDataError only."""
    try:
        parse_dg13(b"\x6d" + bytes([len(data)]) + data if len(data) < 128 else data)
    except CardDataError:
        pass


@FUZZ
@given(_mutations(FILES["SOD"]))
def test_sod_mutations(data: bytes) -> None:
    """A mutated EF.SOD: parse_sod returns or raises CardDataError."""
    try:
        parse_sod(data)
    except CardDataError:
        pass


@FUZZ
@given(_mutations(FILES["COM"] + b""), _mutations(FILES["DG1"]),
       _mutations(FILES["CardAccess"]))
def test_small_files_mutations(com: bytes, dg1: bytes, card_access: bytes) -> None:
    """Mutated COM, DG1 and EF.CardAccess: CardDataError only."""
    for parser, data in ((parse_com, com), (parse_dg1, dg1), (pace_infos, card_access)):
        try:
            parser(data)
        except CardDataError:
            pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutations(FILES["DG2"][:600]))
def test_dg2_header_mutations(data: bytes) -> None:
    """A mutated DG2 head: parse_dg2 returns bytes or raises CardDataError."""
    try:
        parse_dg2(data)
    except CardDataError:
        pass


def test_fuzz_inputs_are_real_files() -> None:
    """The mutation seeds parse when intact, so the fuzzing starts from valid files."""
    assert parse_dg13(FILES["DG13"])["id_number"] == "001090012345"
    assert parse_sod(FILES["SOD"]).hashes
    assert json.dumps(sorted(FILES))
