"""The encrypted offline store and outbox: the only code that opens the database.

Interface C (docs/store.md): ``open_store`` gives a ``Store``; the journey captures
finalized dossiers, the sync engine claims them under a lease and records the portal's
answer, receipts record what was issued and printed.
"""

from kiosk.store.errors import (
    AttachmentTooLarge,
    DossierBeingSent,
    InvalidDossier,
    InvalidTransition,
    KeyMissing,
    LeaseLost,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreMissing,
    StoreWriteFailed,
    UnknownSubmission,
    WrongKey,
)
from kiosk.store.model import (
    AttachmentRef,
    AuditVerdict,
    CapturedDossier,
    Consent,
    IssuedReceipt,
    NewAttachment,
    NewDossier,
    OutboxItem,
    PrintJob,
    PurgeReport,
    QueueStats,
)
from kiosk.store.store import Store, open_configured_store, open_store

__all__ = [
    "AttachmentRef", "AttachmentTooLarge", "AuditVerdict", "CapturedDossier", "Consent",
    "DossierBeingSent", "InvalidDossier", "InvalidTransition", "IssuedReceipt", "KeyMissing",
    "LeaseLost", "NewAttachment", "NewDossier", "OutboxItem", "PrintJob", "PurgeReport",
    "QueueStats", "Store", "StoreCorrupt", "StoreError", "StoreFull", "StoreMissing",
    "StoreWriteFailed", "UnknownSubmission", "WrongKey", "open_configured_store", "open_store",
]
