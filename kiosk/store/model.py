"""The records the store hands out and takes in: plain frozen dataclasses, no SQL.

All datetimes are timezone-aware UTC. In the database they are fixed-width ISO-8601
text (``2026-01-31T08:15:00.000000Z``) so that text order is time order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from kiosk.errors import BadInput

STATES = ("queued", "sending", "accepted", "rejected", "needs_attention")
SENDABLE_STATES = ("queued", "needs_attention")
_DB_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_db(moment: datetime) -> str:
    """Fixed-width UTC text; naive datetimes are refused (they hide a timezone bug)."""
    if moment.tzinfo is None:
        raise BadInput("a naive datetime was given to the store; pass a timezone-aware one "
                       "(datetime.now(UTC))")
    return moment.astimezone(UTC).strftime(_DB_FORMAT)


def from_db(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.fromisoformat(text)  # C-fast; reads the trailing "Z" as UTC (3.11+)


@dataclass(frozen=True)
class Consent:
    text_version: str
    consented_at: datetime
    purposes: tuple[str, ...]


@dataclass(frozen=True)
class NewAttachment:
    name: str
    media_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class NewDossier:
    procedure_code: str
    form_id: str
    form_version: str
    payload: dict = field(repr=False)
    provenance: dict = field(repr=False)
    consent: Consent
    assisted_by: str | None = None
    identification: dict | None = field(default=None, repr=False)
    attachments: tuple[NewAttachment, ...] = ()
    supersedes: str | None = None
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class CapturedDossier:
    submission_id: str
    ticket: str
    payload_bytes: bytes = field(repr=False)
    payload_sha256: str
    finalized_at: datetime


@dataclass(frozen=True)
class AttachmentRef:
    attachment_id: str
    name: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class OutboxItem:
    submission_id: str
    ticket: str
    procedure_code: str
    form_id: str
    form_version: str
    payload_bytes: bytes | None = field(repr=False)  # None once purged
    payload_sha256: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    depends_on: tuple[str, ...]
    supersedes: str | None
    attachments: tuple[AttachmentRef, ...]
    lease_owner: str | None
    lease_expires_at: datetime | None
    last_error: str | None
    official_code: str | None
    receiving_unit: str | None
    due_date: str | None
    portal_status: str | None
    created_at: datetime
    finalized_at: datetime
    assisted_by: str | None = None
    accepted_at: datetime | None = None
    retention_until: datetime | None = None
    purged_at: datetime | None = None
    quarantine_reason: str | None = None
    consent: Consent | None = None
    resolved_at: datetime | None = None
    identification: dict | None = field(default=None, repr=False)


@dataclass(frozen=True)
class QueueStats:
    queued: int
    sending: int
    accepted: int
    quarantined: int
    needs_attention: int
    oldest_queued_at: datetime | None


@dataclass(frozen=True)
class PrintJob:
    job_id: int
    receipt_number: str
    printer: str
    status: str
    error: str | None
    at: datetime


@dataclass(frozen=True)
class IssuedReceipt:
    receipt_number: str
    submission_id: str
    seal_text: str
    layout: str
    issued_at: datetime
    print_jobs: tuple[PrintJob, ...] = ()


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removed (or, on a dry run, would remove): ids and counts only."""

    submission_ids: tuple[str, ...]
    attachments: int
    bytes_freed: int
    vacuumed: bool
    dry_run: bool


@dataclass(frozen=True)
class AuditVerdict:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str | None = None
