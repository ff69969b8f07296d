"""Typed card errors, each mapped to the exit code of `kiosk card read`.

Exit codes (issue 3): 2 bad input, 3 access denied, 4 card or reader gone /
communication failure, 5 authenticity failed or the card's data is unusable.
Messages never carry personal data: they name files, fields and status words only.
"""

from __future__ import annotations

from kiosk.errors import BadInput, KioskError


class CardError(KioskError):
    """A card or reader failure: the card left, the reader vanished, the link broke."""

    exit_code = 4


class CardRemoved(CardError):
    """The card was taken away (or lost power) during a session; start again with the card."""


class ReaderUnavailable(CardError):
    """No reader, the named reader is missing, or pcscd is not running."""


class CommunicationError(CardError):
    """An APDU exchange failed or the chip answered with an unexpected status word."""

    def __init__(self, message: str, sw: int | None = None) -> None:
        super().__init__(message)
        self.sw = sw


class SecureMessagingError(CommunicationError):
    """A protected response failed verification (MAC, cryptogram, status DO).

    Fatal for the session: the send sequence counters can no longer be trusted, so the
    reader must authenticate again (ICAO 9303-11 §9.8.6). ``unprotected`` marks a plain
    status-word answer (the chip refused the command) rather than a corrupt answer.
    """

    def __init__(self, message: str, sw: int | None = None, unprotected: bool = False) -> None:
        super().__init__(message, sw)
        self.unprotected = unprotected


class AccessDenied(CardError):
    """The chip refused the access key (BAC or PACE): a wrong ID, date or CAN."""

    exit_code = 3


class CardDataError(CardError):
    """A file on the card is malformed (bad TLV, wrong tag, bad check digit, bad UTF-8)."""

    exit_code = 5


class AuthenticityFailed(CardError):
    """Passive, chip or active authentication failed; the data must not be trusted."""

    exit_code = 5


class AccessKeyError(BadInput):
    """The access key input (QR text, ID, dates) is malformed; the message says which part."""
