"""A card session: the transport, the current secure channel, re-authentication and the
counters the kiosk reports (APDUs, bytes).

Any secure-messaging error poisons the channel; :meth:`CardSession.reauthenticate` runs
the access protocol again from scratch (ICAO 9303-11 §9.8.6), never continues with a
desynchronized counter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.devices.card.apdu import CommandApdu
from kiosk.devices.card.errors import CommunicationError, SecureMessagingError
from kiosk.devices.card.sm import SecureMessaging
from kiosk.devices.card.transport import Transport, split_sw

__all__ = ["CardSession"]

log = logging.getLogger(__name__)


class CountingTransport:
    """Wraps a transport to count APDUs and the bytes that crossed the link."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.apdus = 0
        self.bytes_sent = 0
        self.bytes_received = 0

    @property
    def supports_extended_apdus(self) -> bool:
        return bool(getattr(self.inner, "supports_extended_apdus", False))

    def transmit(self, apdu: bytes) -> bytes:
        self.apdus += 1
        self.bytes_sent += len(apdu)
        response = self.inner.transmit(apdu)
        self.bytes_received += len(response)
        return response

    def close(self) -> None:
        self.inner.close()


class CardSession:
    """Protected exchanges with one card; ``authenticate`` (re)builds the secure channel."""

    def __init__(self, transport: Transport,
                 authenticate: Callable[[Transport], SecureMessaging],
                 max_reauthentications: int = 4) -> None:
        self.link = transport if isinstance(transport, CountingTransport) \
            else CountingTransport(transport)
        self._authenticate = authenticate
        self._reauth_left = max_reauthentications
        self.channel: SecureMessaging | None = None
        self.reauthentications = 0
        self.selected: int | None = None
        self.after_reauthentication: list[Callable[[CardSession], None]] = []
        # False once the chip refused extended length (the Le ladder went below 256).
        self.extended_allowed = self.link.supports_extended_apdus

    @property
    def supports_extended_apdus(self) -> bool:
        return self.link.supports_extended_apdus

    def open(self) -> None:
        self.channel = self._authenticate(self.link)
        self.selected = None

    def reauthenticate(self, why: str) -> None:
        """Throw the channel away and authenticate again; bounded, so no retry storm."""
        if self._reauth_left <= 0:
            raise CommunicationError(f"giving up after repeated errors ({why})")
        self._reauth_left -= 1
        self.reauthentications += 1
        log.info("re-authenticating after: %s", why)
        if self.channel is not None:
            self.channel.wipe()
        self.open()
        for step in self.after_reauthentication:
            step(self)

    def send(self, command: CommandApdu, extended: bool = False) -> tuple[bytes, int]:
        """Wrap, transmit, verify and unwrap one command: (plain data, status word)."""
        if self.channel is None:
            raise CommunicationError("no secure channel: authenticate first")
        protected = self.channel.wrap(command, extended=extended)
        response = self.link.transmit(protected)
        return self.channel.unwrap(response)

    def replace_channel(self, channel: SecureMessaging) -> None:
        """Install new session keys (after Chip Authentication)."""
        if self.channel is not None:
            self.channel.wipe()
        self.channel = channel

    def close(self) -> None:
        if self.channel is not None:
            self.channel.wipe()
            self.channel = None


def plain_exchange(transport: Transport, command: CommandApdu) -> tuple[bytes, int]:
    """One unprotected exchange (EF.CardAccess, before access control)."""
    return split_sw(transport.transmit(command.encode()))


__all__ += ["CountingTransport", "plain_exchange", "SecureMessagingError"]
