"""PC/SC transport on pyscard's low-level API, with every PC/SC call on one card thread.

pcsc-lite contexts and pyscard's helpers are not safe to share between threads
(ARCHITECTURE "Threads"), so :class:`CardThread` owns the context: it watches readers and
cards with SCardGetStatusChange, runs the jobs other threads submit (connect, transmit)
and, when pcscd is missing or restarts (SCARD_E_NO_SERVICE), reports it and builds a new
context without restarting the app. Events leave through a plain callback, on the card
thread: a UI must hop to its own thread before touching widgets.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from kiosk.devices.card.errors import CardRemoved, CommunicationError, ReaderUnavailable
from kiosk.devices.card.transport import ReaderInfo

__all__ = ["CardThread", "CardEvent", "PcscTransport", "atr_supports_extended"]

log = logging.getLogger(__name__)

_PNP = "\\\\?PnP?\\Notification"
_POLL_MS = 250
_RETRY_SERVICE_S = 1.0
_CALL_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class CardEvent:
    """kind: reader_added | reader_removed | card_inserted | card_removed | service_lost |
    service_restored."""

    kind: str
    reader: str = ""
    atr: bytes | None = None


def atr_supports_extended(atr: bytes) -> bool:
    """True when the ATR's card capabilities (ISO 7816-4 §12.1.1.9, compact-TLV tag 7 in
    the historical bytes) announce extended Lc/Le."""
    if len(atr) < 2:
        return False
    t0 = atr[1]
    historical = t0 & 0x0F
    index, y = 2, t0 >> 4
    while True:  # skip the interface bytes TAi TBi TCi TDi
        td = None
        for bit in range(4):
            if y & (1 << bit):
                if bit == 3:
                    td = atr[index] if index < len(atr) else None
                index += 1
        if td is None:
            break
        y = td >> 4
    hist = atr[index:index + historical]
    if not hist or hist[0] != 0x80:
        return False
    pos = 1
    while pos < len(hist):
        tag, length = hist[pos] >> 4, hist[pos] & 0x0F
        value = hist[pos + 1:pos + 1 + length]
        if tag == 7 and len(value) >= 3:
            return bool(value[2] & 0x40)
        pos += 1 + length
    return False


class CardThread:
    """The one thread that talks to pcscd. Start it, ask it for readers or a transport."""

    def __init__(self, on_event: Callable[[CardEvent], None] | None = None,
                 poll_ms: int = _POLL_MS) -> None:
        self._on_event = on_event or (lambda event: None)
        self._poll_ms = poll_ms
        self._jobs: queue.Queue[tuple[Callable[[], Any], Future] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="card-thread", daemon=True)
        self._stop = threading.Event()
        self._context: int | None = None
        self._states: dict[str, tuple[int, bytes | None]] = {}
        self.service_available = False
        self._first_attempt = threading.Event()

    # -- public API (any thread) -------------------------------------------------------
    def start(self) -> CardThread:
        """Start the thread and wait for its first attempt to reach pcscd."""
        self._thread.start()
        self._first_attempt.wait(timeout=5)
        return self

    def stop(self) -> None:
        self._stop.set()
        self._jobs.put(None)
        self._wake()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)

    def call(self, job: Callable[[], Any], timeout: float = _CALL_TIMEOUT_S) -> Any:
        """Run ``job`` on the card thread and return its result (or raise its error)."""
        if threading.current_thread() is self._thread:
            return job()
        if not self._thread.is_alive():
            raise ReaderUnavailable("the card thread is not running")
        future: Future = Future()
        self._jobs.put((job, future))
        self._wake()
        return future.result(timeout=timeout)

    def readers(self) -> list[ReaderInfo]:
        """The readers pcscd knows, with the ATR of the card in each (None when empty)."""
        return self.call(self._list_readers)

    def connect(self, reader: str | None = None) -> PcscTransport:
        """A transport to the card in ``reader``, or in the first reader holding a card."""
        return self.call(lambda: self._connect(reader))

    # -- card thread -----------------------------------------------------------------
    def _wake(self) -> None:
        context = self._context
        if context is not None:
            from smartcard import scard

            scard.SCardCancel(context)  # pcsc-lite: the one call meant for another thread

    def _run(self) -> None:
        while not self._stop.is_set():
            established = self._context is not None or self._establish()
            self._first_attempt.set()
            if not established:
                self._stop.wait(_RETRY_SERVICE_S)
                self._drain_jobs()
                continue
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                self._watch()
                continue
            if job is None:
                break
            self._execute(*job)
            while True:  # linger: the next APDU of a read arrives within microseconds
                try:
                    job = self._jobs.get(timeout=0.05)
                except queue.Empty:
                    break
                if job is None:
                    self._stop.set()
                    break
                self._execute(*job)
        self._release()

    def _execute(self, job: Callable[[], Any], future: Future) -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(job())
            except BaseException as error:  # noqa: BLE001 - handed to the caller
                future.set_exception(error)

    def _drain_jobs(self) -> None:
        """Without pcscd, answer queued jobs at once rather than leaving callers hanging."""
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is None:
                self._stop.set()
                return
            self._execute(*job)

    def _establish(self) -> bool:
        from smartcard import scard

        result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if result != scard.SCARD_S_SUCCESS:
            if self.service_available:
                self.service_available = False
                self._emit(CardEvent("service_lost"))
            return False
        self._context = context
        if not self.service_available:
            self.service_available = True
            log.info("PC/SC service available")
            self._emit(CardEvent("service_restored"))
        return True

    def _release(self) -> None:
        from smartcard import scard

        if self._context is not None:
            scard.SCardReleaseContext(self._context)
            self._context = None

    def _lost_service(self) -> None:
        log.warning("PC/SC service lost; re-establishing the context")
        self._release()
        self._states.clear()
        if self.service_available:
            self.service_available = False
            self._emit(CardEvent("service_lost"))

    def _emit(self, event: CardEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # noqa: BLE001 - a listener must not kill the card thread
            log.exception("card event listener failed")

    def _service_error(self, result: int) -> bool:
        from smartcard import scard

        return result in (scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED,
                          scard.SCARD_E_INVALID_HANDLE)

    def _reader_names(self) -> list[str]:
        from smartcard import scard

        if self._context is None:
            raise ReaderUnavailable("pcscd is not running: start it (systemctl start pcscd)")
        result, names = scard.SCardListReaders(self._context, [])
        if result == scard.SCARD_S_SUCCESS:
            return list(names)
        if self._service_error(result):
            self._lost_service()
            raise ReaderUnavailable("pcscd is not running: start it (systemctl start pcscd)")
        return []  # SCARD_E_NO_READERS_AVAILABLE

    def _watch(self) -> None:
        """One SCardGetStatusChange round over all readers plus the PnP pseudo-reader."""
        from smartcard import scard

        try:
            names = self._reader_names()
        except ReaderUnavailable:
            return
        for gone in set(self._states) - set(names):
            self._states.pop(gone)
            self._emit(CardEvent("reader_removed", gone))
        states = [(name, self._states.get(name, (scard.SCARD_STATE_UNAWARE, None))[0])
                  for name in names]
        states.append((_PNP, len(names) << 16))
        result, changed = scard.SCardGetStatusChange(self._context, self._poll_ms, states)
        if result in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED):
            return
        if result != scard.SCARD_S_SUCCESS:
            if self._service_error(result):
                self._lost_service()
            return
        for name, event_state, atr in changed:
            if name == _PNP:
                continue
            previous = self._states.get(name)
            present = bool(event_state & scard.SCARD_STATE_PRESENT)
            atr_bytes = bytes(atr) if present and atr else None
            self._states[name] = (event_state & ~scard.SCARD_STATE_CHANGED, atr_bytes)
            if previous is None:
                self._emit(CardEvent("reader_added", name))
                if present:
                    self._emit(CardEvent("card_inserted", name, atr_bytes))
                continue
            was_present = previous[1] is not None
            if present and not was_present:
                self._emit(CardEvent("card_inserted", name, atr_bytes))
            elif was_present and not present:
                self._emit(CardEvent("card_removed", name))

    def _list_readers(self) -> list[ReaderInfo]:
        from smartcard import scard

        names = self._reader_names()
        if not names:
            return []
        result, states = scard.SCardGetStatusChange(
            self._context, 0, [(name, scard.SCARD_STATE_UNAWARE) for name in names])
        if result != scard.SCARD_S_SUCCESS:
            return [ReaderInfo(name, None) for name in names]
        return [ReaderInfo(name, bytes(atr) if state & scard.SCARD_STATE_PRESENT and atr
                           else None) for name, state, atr in states]

    def _connect(self, reader: str | None) -> PcscTransport:
        from smartcard import scard

        readers = self._list_readers()
        if reader:
            chosen = [info for info in readers if info.name == reader]
            if not chosen:
                raise ReaderUnavailable(f"no reader named {reader!r}: see `kiosk card readers`")
        else:
            chosen = [info for info in readers if info.atr is not None]
            if not chosen:
                raise ReaderUnavailable("no card in any reader: place the ID card on the reader")
        info = chosen[0]
        if info.atr is None:
            raise CardRemoved(f"no card in reader {info.name!r}: place the ID card on it")
        result, handle, protocol = scard.SCardConnect(
            self._context, info.name, scard.SCARD_SHARE_EXCLUSIVE,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
        if result != scard.SCARD_S_SUCCESS:
            raise _error(result, "connecting to the card")
        log.info("connected to the card (protocol %d)", protocol)
        return PcscTransport(self, handle, protocol, info.name, info.atr)


def _error(result: int, doing: str) -> Exception:
    from smartcard import scard

    message = scard.SCardGetErrorMessage(result)
    if result in (scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD,
                  scard.SCARD_W_RESET_CARD, scard.SCARD_W_UNPOWERED_CARD):
        return CardRemoved(f"the card was removed while {doing}: place it again")
    if result in (scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED,
                  scard.SCARD_E_READER_UNAVAILABLE, scard.SCARD_E_UNKNOWN_READER,
                  scard.SCARD_E_INVALID_HANDLE):
        return ReaderUnavailable(f"the reader went away while {doing} ({message})")
    return CommunicationError(f"PC/SC error while {doing}: {message}")


class PcscTransport:
    """A connected card; every call is marshalled onto the card thread."""

    def __init__(self, thread: CardThread, handle: int, protocol: int, reader: str,
                 atr: bytes, extended: bool | None = None) -> None:
        self._thread = thread
        self._handle: int | None = handle
        self._protocol = protocol
        self.reader = reader
        self.atr = atr
        self.supports_extended_apdus = atr_supports_extended(atr) if extended is None \
            else extended

    def transmit(self, apdu: bytes) -> bytes:
        return self._thread.call(lambda: self._transmit(bytes(apdu)))

    def _transmit(self, apdu: bytes) -> bytes:
        from smartcard import scard

        if self._handle is None:
            raise CardRemoved("the card connection is closed")
        result, response = scard.SCardTransmit(self._handle, self._protocol, list(apdu))
        if result != scard.SCARD_S_SUCCESS:
            raise _error(result, "reading the card")
        return bytes(response)

    def close(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None

        def disconnect() -> None:
            from smartcard import scard

            scard.SCardDisconnect(handle, scard.SCARD_RESET_CARD)
        try:
            self._thread.call(disconnect, timeout=5)
        except Exception:  # noqa: BLE001 - closing must not raise
            log.debug("disconnect failed", exc_info=True)
