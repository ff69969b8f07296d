"""The store's typed errors: each says what happened and what a technician should do.

Messages never carry personal data (ID numbers, names, payloads): they name files,
submission ids and counts only, because the command line and the logs print them.
"""

from __future__ import annotations

from kiosk.errors import BadInput, KioskError


class StoreError(KioskError):
    """Something went wrong in the encrypted store; the message says what to do."""

    exit_code = 3


class KeyMissing(StoreError):
    """The database exists but this kiosk's sealed key cannot be found."""

    exit_code = 4


class WrongKey(StoreError):
    """The key does not open the database (or page 1 is damaged); the file is untouched."""

    exit_code = 4


class KeyUnsealFailed(StoreError):
    """The sealed key file exists but could not be unsealed (wrong passphrase, other host)."""

    exit_code = 4


class StoreCorrupt(StoreError):
    """The database opens but some of its pages fail their authentication check."""

    exit_code = 5


class StoreMissing(StoreError):
    """This kiosk has a key, so it had a database, but the file is gone."""

    exit_code = 5


class StoreFull(StoreError):
    """The disk (or the file-size limit) is full: nothing was written."""

    exit_code = 6


class StoreWriteFailed(StoreError):
    """The disk refused a write (I/O error); nothing was written."""

    exit_code = 6


class AttachmentTooLarge(BadInput):
    """An attachment exceeds the configured limit; checked before anything is written."""


class InvalidDossier(BadInput):
    """The dossier to capture is malformed (missing consent, unknown parent, bad payload)."""


class UnknownSubmission(BadInput):
    """No dossier with this submission id (or attachment id) is in the store."""


class LeaseLost(StoreError):
    """The caller no longer holds the lease on this item: another owner claimed it."""

    exit_code = 7


class InvalidTransition(BadInput):
    """The outbox item is not in a state that allows this action."""


class DossierBeingSent(InvalidTransition):
    """A dossier under an active send lease cannot be replaced or edited."""


class PersonalDataInAudit(BadInput):
    """An audit entry looked like it carried personal data; the audit log must not."""


class DemoOnly(BadInput):
    """The command creates invented data and refuses to run outside demo mode."""
