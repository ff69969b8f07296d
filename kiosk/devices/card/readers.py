"""The card reader the kiosk was configured with, behind one small interface.

``PcscReader`` is a real reader through pcscd (all PC/SC calls on the card thread);
``VirtualReader`` is demo mode's reader, on which the journey places an invented
resident's virtual card (as a resident would place theirs). Both hand out a Transport
for one read and report card presence through a plain callback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from kiosk.devices.card.errors import CardError
from kiosk.devices.card.transport import ReaderInfo, Transport

log = logging.getLogger(__name__)


class NoCard(CardError):
    """No card is on the reader: ask the resident to place it."""


class CardReader(Protocol):
    def connect(self) -> Transport: ...
    def on_presence(self, callback: Callable[[bool], None]) -> None: ...
    def readers(self) -> list[ReaderInfo]: ...
    def close(self) -> None: ...


class VirtualReader:
    """Demo mode: a reader whose card is an invented resident's virtual CCCD."""

    def __init__(self, on_presence: Callable[[bool], None] | None = None) -> None:
        self._on_presence = on_presence or (lambda present: None)
        self._lock = threading.Lock()
        self._resident_id: str | None = None
        self._cards: dict[str, object] = {}

    def on_presence(self, callback: Callable[[bool], None]) -> None:
        """Tell ``callback`` (from any thread) when a card arrives or leaves."""
        self._on_presence = callback

    def place(self, resident_id: str) -> None:
        """Put a demo resident's card on the reader (personalized once, then kept)."""
        from kiosk.devices.card.virtual.personalize import load_resident, personalize

        with self._lock:
            if resident_id not in self._cards:
                self._cards[resident_id] = personalize(load_resident(resident_id))
            self._resident_id = resident_id
        self._on_presence(True)

    def remove(self) -> None:
        with self._lock:
            self._resident_id = None
        self._on_presence(False)

    @property
    def present(self) -> bool:
        return self._resident_id is not None

    def connect(self) -> Transport:
        from kiosk.devices.card.virtual.chip import VirtualCard

        with self._lock:
            if self._resident_id is None:
                raise NoCard("no card on the reader")
            return VirtualCard(self._cards[self._resident_id])

    def readers(self) -> list[ReaderInfo]:
        return [ReaderInfo(name="Virtual CCCD reader (demo)", atr=None)]

    def close(self) -> None:
        self._cards.clear()
        self._resident_id = None


class PcscReader:
    """A PC/SC reader; the card thread owns every pcsc-lite call."""

    def __init__(self, reader_name: str = "", on_presence: Callable[[bool], None] | None = None) -> None:
        from kiosk.devices.card.pcsc import CardThread

        self._reader_name = reader_name or None
        self._on_presence = on_presence or (lambda present: None)
        self._thread = CardThread(on_event=self._event).start()

    def on_presence(self, callback: Callable[[bool], None]) -> None:
        """Tell ``callback`` (on the card thread) when a card arrives or leaves."""
        self._on_presence = callback

    def _event(self, event) -> None:  # noqa: ANN001 - kiosk.devices.card.pcsc.CardEvent
        if event.kind in ("card_inserted", "card_removed"):
            self._on_presence(event.kind == "card_inserted")

    def connect(self) -> Transport:
        return self._thread.connect(self._reader_name)

    def readers(self) -> list[ReaderInfo]:
        return self._thread.readers()

    def close(self) -> None:
        self._thread.stop()


def open_reader(settings, on_presence: Callable[[bool], None] | None = None) -> CardReader:  # noqa: ANN001
    """The reader chosen by ``card.backend``: 'virtual' (demo only) or 'pcsc'."""
    if settings.card.backend == "virtual":
        return VirtualReader(on_presence)
    return PcscReader(settings.card.reader, on_presence)
