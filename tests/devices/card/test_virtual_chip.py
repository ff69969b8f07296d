"""The virtual CCCD behaves like the real card profile, end to end with a minimal terminal
built from the team's own primitives (pace.py, bac.py, sm.py, session.py, files.py)."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from virtual_cards import (
    AN,
    apdu,
    bac_session,
    base_card,
    card_with,
    pace_channel,
    pace_session,
    select_app,
)

from kiosk.devices.card import crypto
from kiosk.devices.card.apdu import CommandApdu
from kiosk.devices.card.errors import (
    AccessDenied,
    CardError,
    CardRemoved,
    SecureMessagingError,
)
from kiosk.devices.card.files import FileReader
from kiosk.devices.card.sm import SecureMessaging
from kiosk.devices.card.tlv import encode_tlv, expect_tlv
from kiosk.devices.card.virtual.chip import FILE_IDS, VirtualCard
from kiosk.devices.card.virtual.faults import Faults

READ_ORDER = ("COM", "DG1", "DG13", "SOD", "DG14", "DG15", "DG2")


def read_all(session, use_sfi: bool = True) -> dict[str, bytes]:
    reader = FileReader(session, use_sfi=use_sfi)
    return {name: reader.read(FILE_IDS[name]) for name in READ_ORDER}


@pytest.fixture
def chip() -> VirtualCard:
    return VirtualCard(base_card())


def test_select_mf_answers_6d00_and_card_access_is_plain(chip):
    """SELECT MF → 6D00 like the real card; EF.CardAccess is selectable and readable in
    plain by file id and by short file identifier 1C."""
    assert apdu(chip, CommandApdu(0x00, 0xA4, 0x00, 0x0C, b"\x3f\x00"))[1] == 0x6D00
    assert apdu(chip, CommandApdu(0x00, 0xA4, 0x02, 0x0C, b"\x01\x1c"))[1] == 0x9000
    data, sw = apdu(chip, CommandApdu(0x00, 0xB0, 0x00, 0x00, ne=256))
    card_access = chip.card.files["CardAccess"]
    assert (data, sw) == (card_access, 0x6282)  # fewer bytes than asked: ISO 7816-4
    data, sw = apdu(chip, CommandApdu(0x00, 0xB0, 0x9C, 0x00, ne=len(card_access)))
    assert (data, sw) == (card_access, 0x9000)


def test_lds_files_need_the_application_and_secure_messaging(chip):
    """Before SELECT of the LDS1 AID an LDS file is not found; after it, a plain SELECT or
    READ BINARY by SFI is refused with 69 82 (SM enforced); an unknown AID is 6A82."""
    assert apdu(chip, CommandApdu(0x00, 0xA4, 0x02, 0x0C, b"\x01\x01"))[1] == 0x6A82
    assert apdu(chip, CommandApdu(0x00, 0xA4, 0x04, 0x0C, bytes(7)))[1] == 0x6A82
    assert select_app(chip) == 0x9000
    assert apdu(chip, CommandApdu(0x00, 0xA4, 0x02, 0x0C, b"\x01\x01"))[1] == 0x6982
    assert apdu(chip, CommandApdu(0x00, 0xB0, 0x81, 0x00, ne=4))[1] == 0x6982
    assert apdu(chip, CommandApdu(0x00, 0x88, 0x00, 0x00, bytes(8), ne=256))[1] == 0x6982


def test_pace_with_can_reads_every_file_byte_exact(chip):
    """PACE-CAN (last 6 ID digits) then secure messaging reads each file exactly as
    personalized, with short file identifiers and extended Le."""
    session = pace_session(chip)
    assert chip.access == "PACE"
    files = read_all(session)
    for name, raw in files.items():
        assert raw == chip.card.files[name], name
    assert session.reauthentications == 0


def test_bac_reads_every_file_with_short_apdus():
    """BAC with the MRZ key and 3DES secure messaging on a short-APDU reader: every file is
    read whole in chunks of at most 223 bytes."""
    chip = VirtualCard(base_card(), Faults(reader_short_only=True))
    session = bac_session(chip)
    assert chip.access == "BAC"
    files = read_all(session, use_sfi=False)
    assert files == {name: chip.card.files[name] for name in READ_ORDER}
    dg2 = len(chip.card.files["DG2"])
    assert chip.apdus >= dg2 // 223


def test_dg3_is_eac_protected_and_dg11_absent(chip):
    """Under secure messaging DG3 answers 69 82 and DG11 6A 82, both protected (the channel
    survives)."""
    session = pace_session(chip)
    assert session.send(CommandApdu(0x00, 0xA4, 0x02, 0x0C, b"\x01\x03"))[1] == 0x6982
    assert session.send(CommandApdu(0x00, 0xA4, 0x02, 0x0C, b"\x01\x0b"))[1] == 0x6A82
    assert session.send(CommandApdu(0x00, 0xB0, 0x83, 0x00, ne=4))[1] == 0x6982
    assert session.send(CommandApdu(0x00, 0xB0, 0x81, 0x00, ne=4))[1] == 0x9000


def test_wrong_can_is_access_denied_and_counted_once(chip):
    """A wrong CAN fails at the token step: the terminal gets AccessDenied after exactly one
    attempt (63 00), the chip counts one failure and the right CAN still works."""
    with pytest.raises(AccessDenied):
        pace_channel(chip, "000000")
    assert chip.pace_failures == 1
    assert pace_channel(chip) is not None


def test_wrong_can_limit_blocks_pace():
    """With a failure limit the chip answers 69 83 once it is reached, even to the right
    CAN (a retry storm cannot succeed)."""
    chip = VirtualCard(base_card(), Faults(wrong_can_limit=2))
    for _ in range(2):
        with pytest.raises(AccessDenied):
            pace_channel(chip, "000000")
    with pytest.raises(CardError) as refused:
        pace_channel(chip)
    assert refused.value.sw == 0x6983 or isinstance(refused.value, AccessDenied)


def test_bac_only_card_has_no_card_access():
    """A card personalized without PACE answers 6A82 for EF.CardAccess and refuses
    MSE:Set AT, while BAC works."""
    chip = VirtualCard(card_with(pace=False))
    assert apdu(chip, CommandApdu(0x00, 0xA4, 0x02, 0x0C, b"\x01\x1c"))[1] == 0x6A82
    bac_session(chip)
    assert chip.access == "BAC"


@pytest.mark.parametrize("answer, expected", [
    ("6282", (True, 0x6282)), ("9000", (True, 0x9000)), ("6B00", (False, 0x6B00)),
    ("6Cxx", (False, None)), ("empty", (False, 0x9000))])
def test_end_of_file_answers(answer, expected):
    """Asking for more bytes than remain gets the configured end-of-file answer, protected;
    reading at the end is always 6B00."""
    chip = VirtualCard(base_card(), Faults(end_of_file=answer))
    session = pace_session(chip)
    com = chip.card.files["COM"]
    data, sw = session.send(CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=len(com) + 10))
    has_data, status = expected
    assert data == (com if has_data else b"")
    assert sw == (status if status is not None else 0x6C00 | len(com))
    assert session.send(CommandApdu(0x00, 0xB0, 0x00, len(com), ne=1))[1] == 0x6B00


def test_reject_extended_le_gives_6700_and_the_ladder_recovers():
    """A chip that rejects extended APDUs answers 67 00 in plain (SM ends); the reader's Le
    ladder re-authenticates and reads everything with short APDUs."""
    chip = VirtualCard(base_card(), Faults(reject_extended=True))
    session = pace_session(chip)
    with pytest.raises(SecureMessagingError):
        session.send(CommandApdu(0x00, 0xB0, 0x82, 0x00, ne=1000), extended=True)
    assert chip.channel is None
    session.reauthenticate("extended refused")
    session.send(CommandApdu(0x00, 0xA4, 0x04, 0x0C, bytes.fromhex("A0000002471001")))
    reader = FileReader(session, use_sfi=True)
    assert reader.read(FILE_IDS["DG2"]) == chip.card.files["DG2"]
    assert reader.le <= 256


@pytest.mark.parametrize("limit", [223, 192, 160])
def test_max_response_plaintext_exercises_the_le_ladder(limit):
    """A chip that returns at most ``limit`` plaintext bytes answers 67 00 to a bigger Le;
    a read of exactly ``limit`` bytes works."""
    chip = VirtualCard(base_card(), Faults(max_response_plaintext=limit, reader_short_only=True))
    session = pace_session(chip)
    data, sw = session.send(CommandApdu(0x00, 0xB0, 0x82, 0x00, ne=limit))
    assert sw == 0x9000 and data == chip.card.files["DG2"][:limit]
    with pytest.raises(SecureMessagingError):
        session.send(CommandApdu(0x00, 0xB0, 0x82, 0x00, ne=limit + 1))


def test_short_apdu_cannot_carry_256_protected_bytes():
    """On a short APDU the protected answer must fit 256 bytes: asking 256 plaintext bytes
    without extended length is refused with 67 00 (223 is the most that fits)."""
    chip = VirtualCard(base_card())
    session = pace_session(chip)
    data, sw = session.send(CommandApdu(0x00, 0xB0, 0x82, 0x00, ne=223))
    assert sw == 0x9000 and len(data) == 223
    protected = CommandApdu.parse(session.channel.wrap(CommandApdu(0x00, 0xB0, 0x82, 0x00, ne=256)))
    short = CommandApdu(protected.cla, protected.ins, protected.p1, protected.p2, protected.data, 256)
    assert chip.transmit(short.encode(extended=False)) == b"\x67\x00"
    assert chip.channel is None


@pytest.mark.parametrize("fault", ["bad_mac", "no_mac", "no_status", "no_data",
                                   "bad_cryptogram"])
def test_spoiled_protected_response_is_caught(fault):
    """Each response fault (wrong MAC, missing MAC / status / data, garbage cryptogram) on
    the 3rd protected answer makes the terminal's secure messaging refuse it or return no
    data for a read that asked for some."""
    chip = VirtualCard(base_card(), Faults(sm_response_fault_at=3, sm_response_fault=fault))
    session = pace_session(chip)  # protected answer 1: SELECT AID
    session.send(CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=4))  # 2
    if fault == "no_data":
        data, sw = session.send(CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=4))
        assert data == b"" and sw == 0x9000
        return
    with pytest.raises(SecureMessagingError):
        session.send(CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=4))


def test_card_removed_after_n_apdus():
    """remove_after_apdus=N: APDU N+1 raises CardRemoved (exit code 4) and so does the next."""
    chip = VirtualCard(base_card(), Faults(remove_after_apdus=3))
    for _ in range(3):
        select_app(chip)
    with pytest.raises(CardRemoved) as caught:
        select_app(chip)
    assert caught.value.exit_code == 4
    with pytest.raises(CardRemoved):
        select_app(chip)


def test_command_mac_errors_end_secure_messaging(chip):
    """A protected command with a wrong MAC is answered 69 88 in plain and the chip forgets
    its keys: the next protected command gets 69 88 too."""
    session = pace_session(chip)
    protected = bytearray(session.channel.wrap(CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=4)))
    protected[-3] ^= 0x01  # inside DO8E
    assert chip.transmit(bytes(protected)) == b"\x69\x88"
    assert chip.channel is None
    good = session.channel.wrap(CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=4))
    assert chip.transmit(good) == b"\x69\x88"


def test_unprotected_command_ends_secure_messaging(chip):
    """A plain command during secure messaging ends the session (ISO 7816-4)."""
    pace_session(chip)
    assert apdu(chip, CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=4))[1] == 0x6982
    assert chip.channel is None


def _chip_authentication_keys(chip: VirtualCard):
    terminal = ec.generate_private_key(ec.BrainpoolP256R1())
    point = terminal.public_key().public_bytes(serialization.Encoding.X962,
                                               serialization.PublicFormat.UncompressedPoint)
    secret = terminal.exchange(ec.ECDH(), chip.card.keys.chip_auth.public_key())
    new = SecureMessaging(crypto.kdf(secret, 1, "AES"), crypto.kdf(secret, 2, "AES"), bytes(16), "AES")
    return point, new


@pytest.mark.parametrize("style", ["set_at", "set_kat"])
def test_chip_authentication_restarts_secure_messaging(chip, style):
    """Chip Authentication (MSE:Set AT + GENERAL AUTHENTICATE, or MSE:Set KAT): the answer
    comes under the old keys, then only the keys from the DG14 key agreement work."""
    session = pace_session(chip)
    point, new = _chip_authentication_keys(chip)
    oid = bytes.fromhex("04007F00070202030202")  # id-CA-ECDH-AES-CBC-CMAC-128
    if style == "set_at":
        assert session.send(CommandApdu(0x00, 0x22, 0x41, 0xA4, encode_tlv(0x80, oid)))[1] == 0x9000
        data, sw = session.send(CommandApdu(0x00, 0x86, 0x00, 0x00,
                                            encode_tlv(0x7C, encode_tlv(0x80, point)), ne=256))
        assert (data, sw) == (b"\x7c\x00", 0x9000)
    else:
        assert session.send(CommandApdu(0x00, 0x22, 0x41, 0xA6, encode_tlv(0x91, point)))[1] == 0x9000
    session.replace_channel(new)
    data, sw = session.send(CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=4))
    assert (data, sw) == (chip.card.files["COM"][:4], 0x9000)


def test_response_fault_strikes_in_every_session_by_default():
    """By default the n-th protected answer of every session is spoiled, so a reader that
    re-authenticates meets the fault again (the bounded-retry case)."""
    chip = VirtualCard(base_card(), Faults(sm_response_fault_at=2))
    session = pace_session(chip)
    with pytest.raises(SecureMessagingError):
        session.send(CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=4))
    session.reauthenticate("bad MAC")  # answer 1 of the new session: none yet protected
    session.send(CommandApdu(0x00, 0xA4, 0x04, 0x0C, bytes.fromhex("A0000002471001")))
    with pytest.raises(SecureMessagingError):
        session.send(CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=4))


def test_chip_authentication_rejects_a_point_off_the_curve(chip):
    """A terminal key that is not on brainpoolP256r1 gets 6A80 and the keys stay."""
    session = pace_session(chip)
    bogus = b"\x04" + bytes(31) + b"\x01" + bytes(31) + b"\x01"
    assert session.send(CommandApdu(0x00, 0x22, 0x41, 0xA6, encode_tlv(0x91, bogus)))[1] == 0x6A80
    assert session.send(CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=4))[1] == 0x9000


def _rsa_recover(card, signature: bytes) -> bytes:
    key = serialization.load_der_public_key(expect_tlv(card.files["DG15"], 0x6F, "DG15"))
    numbers = key.public_numbers()
    size = (numbers.n.bit_length() + 7) // 8
    return pow(int.from_bytes(signature, "big"), numbers.e, numbers.n).to_bytes(size, "big")


@pytest.mark.parametrize("aa_hash", ["SHA-1", "SHA-256"])
def test_active_authentication_rsa_iso9796_2(aa_hash):
    """INTERNAL AUTHENTICATE with RSA: S^e mod n is 6A || M1 || H(M1 || challenge) ||
    trailer (BC for SHA-1, 34CC for SHA-256), ICAO 9303-11 §6.1 / Appendix F."""
    card = base_card(AN, "RSA", aa_hash)
    chip = VirtualCard(card)
    session = pace_session(chip)
    challenge = bytes.fromhex("F173589974BF40C6")
    signature, sw = session.send(CommandApdu(0x00, 0x88, 0x00, 0x00, challenge, ne=256))
    assert sw == 0x9000 and len(signature) == 128
    message = _rsa_recover(card, signature)
    digest_size, trailer = (20, b"\xbc") if aa_hash == "SHA-1" else (32, b"\x34\xcc")
    assert message[0] == 0x6A and message.endswith(trailer)
    m1 = message[1:len(message) - digest_size - len(trailer)]
    digest = message[len(message) - digest_size - len(trailer):-len(trailer)]
    assert digest == hashlib.new(aa_hash.replace("-", "").lower(), m1 + challenge).digest()


def test_active_authentication_ecdsa_plain_signature(chip):
    """INTERNAL AUTHENTICATE with an EC key returns r || s (64 bytes) that verifies with
    the DG15 key over the challenge (ECDSA-SHA256)."""
    session = pace_session(chip)
    challenge = bytes(range(8))
    signature, sw = session.send(CommandApdu(0x00, 0x88, 0x00, 0x00, challenge, ne=256))
    assert sw == 0x9000 and len(signature) == 64
    key = chip.card.keys.active_auth.public_key()
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"),
                               int.from_bytes(signature[32:], "big"))
    key.verify(der, challenge, ec.ECDSA(hashes.SHA256()))


def test_counters_and_close(chip):
    """The card counts APDUs and bytes both ways; after close() it answers no more."""
    session = pace_session(chip)
    FileReader(session, use_sfi=True).read(FILE_IDS["DG1"])
    assert chip.apdus >= 6 and chip.bytes_out > len(chip.card.files["DG1"])
    assert chip.bytes_in > 0
    chip.close()
    with pytest.raises(CardRemoved):
        select_app(chip)


def test_malformed_apdus_get_status_words_not_exceptions(chip):
    """Truncated or inconsistent APDUs, unknown INS and CLA get status words."""
    assert chip.transmit(b"\x00\xa4") == b"\x67\x00"
    assert chip.transmit(b"\x00\xa4\x04\x0c\x07\xa0") == b"\x67\x00"
    assert chip.transmit(b"\x00\xca\x00\x00\x00") == b"\x6d\x00"
    assert chip.transmit(b"\x80\xb0\x00\x00\x04") == b"\x6e\x00"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(min_size=0, max_size=300))
def test_fuzzed_apdus_always_get_a_status_word(chip, raw):
    """Whatever bytes arrive, in plain or with CLA 0C during secure messaging, the chip
    answers with at least a status word and never raises."""
    for command in (raw, b"\x0c" + raw[1:] if raw else raw):
        response = chip.transmit(command)
        assert len(response) >= 2


_FUZZ_SESSION: dict = {}


@settings(max_examples=200, deadline=None)
@given(ins=st.sampled_from([0xA4, 0xB0, 0x84, 0x82, 0x22, 0x86, 0x88, 0xCA]),
       p1=st.integers(0, 255), p2=st.integers(0, 255), data=st.binary(max_size=64),
       ne=st.one_of(st.none(), st.integers(1, 300)))
def test_fuzzed_protected_commands_get_verifiable_answers(ins, p1, p2, data, ne):
    """Any well-protected command, whatever its content, gets an answer the terminal can
    verify, or a plain status word that ends secure messaging; the chip never raises."""
    if _FUZZ_SESSION.get("chip") is None or _FUZZ_SESSION["chip"].channel is None:
        _FUZZ_SESSION["chip"] = VirtualCard(base_card())  # PACE costs ~60 ms: reuse it
        _FUZZ_SESSION["session"] = pace_session(_FUZZ_SESSION["chip"])
    chip, session = _FUZZ_SESSION["chip"], _FUZZ_SESSION["session"]
    command = CommandApdu(0x00, ins, p1, p2, data, ne)
    try:
        session.send(command, extended=ne is not None and ne > 223)
    except SecureMessagingError:
        assert chip.channel is None
        _FUZZ_SESSION.clear()


def test_response_fault_strikes_once_across_reauthentication():
    """With sm_response_fault_once the fault counts protected answers over the card's
    life: after the terminal re-authenticates, the same read succeeds."""
    chip = VirtualCard(base_card(), Faults(sm_response_fault_at=2, sm_response_fault_once=True))
    session = pace_session(chip)
    with pytest.raises(SecureMessagingError):
        session.send(CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=4))
    session.reauthenticate("bad MAC")
    data, sw = session.send(CommandApdu(0x00, 0xB0, 0x9E, 0x00, ne=4))
    assert (data, sw) == (chip.card.files["COM"][:4], 0x9000)
