"""Secure messaging and file reading against scripted answers: every corrupt answer is a
SecureMessagingError that breaks the channel; the file reader never reads past the end,
walks down the Le ladder and re-authenticates after an error."""

from __future__ import annotations

import pytest
from card_fakes import ScriptedTransport, h, vector

from kiosk.devices.card.apdu import CommandApdu
from kiosk.devices.card.errors import CommunicationError, SecureMessagingError
from kiosk.devices.card.files import FileReader
from kiosk.devices.card.session import CardSession
from kiosk.devices.card.sm import SecureMessaging

D4 = vector("bac.json")["D4_secure_messaging"]
STEP = D4["steps"][1]  # READ BINARY of 4 bytes with its printed protected answer


def _channel() -> SecureMessaging:
    channel = SecureMessaging(h(D4["KSenc"]), h(D4["KSmac"]), h(D4["SSC_initial"]), "3DES")
    channel.wrap(CommandApdu.parse(h(D4["steps"][0]["unprotected_command_apdu"])))
    channel.unwrap(h(D4["steps"][0]["protected_response_apdu"]))
    channel.wrap(CommandApdu.parse(h(STEP["unprotected_command_apdu"])))
    return channel


def test_printed_answer_unwraps() -> None:
    """The control: the printed answer verifies with this channel state."""
    assert _channel().unwrap(h(STEP["protected_response_apdu"])) == (h("60145F01"), 0x9000)


@pytest.mark.parametrize("spoil, message", [
    (lambda r: r[:-3] + bytes([r[-3] ^ 1]) + r[-2:], "MAC is wrong"),
    (lambda r: r[:-12] + r[-2:], "no MAC"),
    (lambda r: r[:11] + r[15:], "no status"),
    (lambda r: h("6988"), "without secure messaging"),
    (lambda r: b"", "empty answer"),
    (lambda r: r[:3] + bytes([r[3] ^ 0x40]) + r[4:], "MAC is wrong"),
    (lambda r: h("87FF") + r[2:], "malformed"),
    (lambda r: h("5301") + r, "unexpected data object"),
])
def test_spoiled_answers_break_the_channel(spoil, message: str) -> None:  # noqa: ANN001
    """A wrong/missing MAC, missing status DO, plain error, empty answer, altered
    cryptogram or a bad length: SecureMessagingError, and the channel refuses further use."""
    channel = _channel()
    with pytest.raises(SecureMessagingError, match=message):
        channel.unwrap(spoil(h(STEP["protected_response_apdu"])))
    assert channel.broken
    with pytest.raises(SecureMessagingError, match="broken"):
        channel.wrap(CommandApdu(0, 0xB0, 0, 0, ne=4))


class _PlainChannel:
    """A stand-in channel (no crypto) so file-reading logic can be scripted in plain."""

    broken = False

    def wrap(self, command: CommandApdu, extended: bool = False) -> bytes:
        return command.encode(extended=extended or None)

    def unwrap(self, response: bytes) -> tuple[bytes, int]:
        if len(response) < 2:
            raise SecureMessagingError("empty answer")
        if len(response) == 2 and response != b"\x90\x00":
            sw = int.from_bytes(response, "big")
            raise SecureMessagingError(f"plain {sw:04X}", sw, unprotected=True)
        return response[:-2], int.from_bytes(response[-2:], "big")

    def wipe(self) -> None:
        pass


FILE = bytes([0x61, 0x82, 0x01, 0x2C]) + bytes(range(256)) + bytes(44)  # 304 bytes


def _session(script, extended: bool = False):  # noqa: ANN001, ANN202
    transport = ScriptedTransport(script, extended=extended)
    opened = []

    def authenticate(link):  # noqa: ANN001, ANN202
        opened.append(1)
        return _PlainChannel()
    session = CardSession(transport, authenticate)
    session.open()
    return session, transport, opened


def test_reads_exactly_to_the_end_of_the_file() -> None:
    """Header first, then chunks that stop exactly at the file's end (never past it)."""
    ok = b"\x90\x00"
    script = [
        (h("00A4020C020101"), ok),
        (h("00B0000004"), FILE[:4] + ok),
        (h("00B00004DF"), FILE[4:227] + ok),
        (h("00B000E34D"), FILE[227:] + ok),
    ]
    session, transport, _ = _session(script)
    assert FileReader(session, use_sfi=False).read(0x0101) == FILE
    assert not transport.script


@pytest.mark.parametrize("bad", [h("6282"), h("6B00"), h("6C10"), h("6700"), b""])
def test_error_at_a_step_walks_down_the_ladder(bad: bytes) -> None:
    """6282 / 6B00 / 6Cxx / 6700 / an empty answer: re-authenticate, step down to 192
    and continue from the same offset."""
    ok = b"\x90\x00"
    script = [
        (h("00A4020C020101"), ok),
        (h("00B0000004"), FILE[:4] + ok),
        (h("00B00004DF"), bad),                      # 223 refused
        (h("00A4020C020101"), ok),                   # after re-authentication
        (h("00B00004C0"), FILE[4:196] + ok),         # 192
        (h("00B000C46C"), FILE[196:] + ok),
    ]
    session, transport, opened = _session(script)
    reader = FileReader(session, use_sfi=False)
    assert reader.read(0x0101) == FILE
    assert reader.le == 192 and len(opened) == 2 and not transport.script


def test_ladder_exhausted_is_a_communication_error() -> None:
    """When even Le 128 fails the read ends with CommunicationError (exit 4)."""
    ok = b"\x90\x00"
    script = [(h("00A4020C020101"), ok), (h("00B0000004"), FILE[:4] + ok)]
    for _ in range(4):
        script += [(None, h("6700")), (h("00A4020C020101"), ok)]
    script.append((None, h("6700")))
    session, _, _ = _session(script)
    with pytest.raises(CommunicationError):
        FileReader(session, use_sfi=False).read(0x0101)


def test_extended_reader_reads_in_one_apdu() -> None:
    """With extended length the body comes in one READ BINARY (Le = what remains)."""
    ok = b"\x90\x00"
    script = [
        (h("00A4020C020101"), ok),
        (h("00B0000004"), FILE[:4] + ok),
        (h("00B0000400012C"), FILE[4:] + ok),
    ]
    session, transport, _ = _session(script, extended=True)
    assert FileReader(session, use_sfi=False).read(0x0101) == FILE
    assert not transport.script


def test_sfi_refused_falls_back_to_select() -> None:
    """A chip without short file identifiers (plain 6A82): one re-authentication, then
    SELECT by file id for this and later files."""
    ok = b"\x90\x00"
    script = [
        (h("00B0810004"), h("6A82")),
        (h("00A4020C020101"), ok),
        (h("00B0000004"), FILE[:4] + ok),
        (h("00B00004DF"), FILE[4:227] + ok),
        (h("00B000E34D"), FILE[227:] + ok),
    ]
    session, _, opened = _session(script)
    reader = FileReader(session, use_sfi=True, read_past_end=False)
    assert reader.read(0x0101) == FILE
    assert not reader.use_sfi and len(opened) == 2


def test_read_past_end_fetches_a_short_file_in_one_apdu() -> None:
    """A PACE-style reader asks for a whole Le first; a chip answering the rest of a
    shorter file with 62 82 (ISO 7816-4) gives the whole file in one READ BINARY."""
    small = bytes([0x61, 0x10]) + bytes(range(16))  # 18 bytes
    script = [(h("00B08100DF"), small + b"\x62\x82")]
    session, transport, opened = _session(script)
    reader = FileReader(session, use_sfi=True, read_past_end=True)
    assert reader.read(0x0101) == small
    assert not transport.script and len(opened) == 1


def test_read_past_end_continues_when_the_file_is_longer() -> None:
    """When the file is longer than one Le, the first answer's header says how much is
    left and the rest is read exactly to the end."""
    ok = b"\x90\x00"
    script = [
        (h("00B08100DF"), FILE[:223] + ok),
        (h("00B000DF51"), FILE[223:] + ok),
    ]
    session, transport, _ = _session(script)
    assert FileReader(session, use_sfi=True, read_past_end=True).read(0x0101) == FILE
    assert not transport.script


def test_chip_refusing_reads_past_end_falls_back_to_headers() -> None:
    """A chip answering 6B00 to a read past the end: one re-authentication, then header
    first for this file and the next ones, never past the end again."""
    small = bytes([0x61, 0x10]) + bytes(range(16))
    ok = b"\x90\x00"
    script = [
        (h("00B08100DF"), h("6B00")),
        (h("00B0810004"), small[:4] + ok),
        (h("00B000040E"), small[4:] + ok),
    ]
    session, transport, opened = _session(script)
    reader = FileReader(session, use_sfi=True, read_past_end=True)
    assert reader.read(0x0101) == small
    assert not reader.read_past_end and len(opened) == 2
    assert not transport.script
