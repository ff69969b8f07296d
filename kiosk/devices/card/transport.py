"""The transport interface between the ICAO 9303 core and a card: raw APDUs in and out.

Two implementations stand behind it: :mod:`pcsc` (a PC/SC reader through pcscd) and the
virtual chip (``virtual/chip.py``). The core never imports either; it gets a Transport.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from kiosk.devices.card.errors import CardRemoved, ReaderUnavailable

__all__ = ["Transport", "ReaderInfo", "CardRemoved", "ReaderUnavailable", "split_sw"]


@runtime_checkable
class Transport(Protocol):
    """One card, one session. ``transmit`` returns the response data followed by SW1 SW2."""

    supports_extended_apdus: bool

    def transmit(self, apdu: bytes) -> bytes:
        """Send one command APDU; raise CardRemoved / CommunicationError on link failure."""
        ...

    def close(self) -> None:
        """Release the card; safe to call twice."""
        ...


@dataclass
class ReaderInfo:
    """A reader as PC/SC lists it; ``atr`` is None when no card is present."""

    name: str
    atr: bytes | None


def split_sw(response: bytes) -> tuple[bytes, int]:
    """Split a response APDU into (data, SW1SW2 as an int); a response is at least 2 bytes."""
    from kiosk.devices.card.errors import CommunicationError

    if len(response) < 2:
        raise CommunicationError("the card sent an empty answer (no status word)")
    return response[:-2], int.from_bytes(response[-2:], "big")
