"""A scripted transport for parser and protocol tests: expected APDUs and canned answers."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.devices.card.errors import CardRemoved

VECTORS = Path(__file__).resolve().parents[3].parent / "shared" / "testvectors"


def vector(name: str) -> dict:
    """One ICAO worked-example file from the shared test vectors (never copied here)."""
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def h(text: str) -> bytes:
    return bytes.fromhex(text)


class ScriptedTransport:
    """Answers each transmit() with the next scripted response, checking the command
    when one is given; ``remove_after`` simulates the card leaving."""

    def __init__(self, script: list[tuple[bytes | None, bytes]], extended: bool = False,
                 remove_after: int | None = None) -> None:
        self.script = list(script)
        self.sent: list[bytes] = []
        self.supports_extended_apdus = extended
        self.remove_after = remove_after
        self.closed = False

    def transmit(self, apdu: bytes) -> bytes:
        if self.remove_after is not None and len(self.sent) >= self.remove_after:
            raise CardRemoved("the card was removed")
        self.sent.append(bytes(apdu))
        assert self.script, f"unexpected extra APDU {apdu.hex()}"
        expected, response = self.script.pop(0)
        if expected is not None:
            assert apdu == expected, f"sent {apdu.hex().upper()}, expected {expected.hex().upper()}"
        return response

    def close(self) -> None:
        self.closed = True
