"""The plain receipt record every receipt output (PDF, print, speech, seal) is made from.

It is built from the store's outbox item plus the centre's settings, or directly by tests
and the demo. It holds the resident's details only for the printed paper; the seal carries
none of them, and :meth:`ReceiptData.without_person` drops them when a session ends.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from kiosk.receipts.errors import ReceiptInputError

STATUS_QUEUED = "queued"      # finalized and stored at the kiosk, not yet sent
STATUS_RECEIVED = "received"  # the portal accepted it and gave an official dossier code
STATUSES = (STATUS_QUEUED, STATUS_RECEIVED)
_CODE = re.compile(r"^[A-Za-z0-9.\-/_]{1,40}$")


@dataclass(frozen=True)
class Person:
    """The resident (or representative) as printed on the paper receipt only."""

    full_name: str = ""
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ReceiptData:
    """Everything a receipt shows (REFERENCE §3: the official receipt's content)."""

    receipt_number: str
    centre_code: str
    centre_name: str
    kiosk_id: str
    procedure_code: str
    procedure_name: str
    status: str
    submitted_at: datetime
    issued_at: datetime
    ticket: str | None = None
    official_code: str | None = None
    receiving_unit: str = ""
    due_date: date | None = None
    fee_vnd: int | None = None
    processing_time: str = ""
    collect_at: str = ""
    components: tuple[str, ...] = ()
    person: Person = field(default_factory=Person)
    representative: Person | None = None
    lookup_url: str = "https://dichvucong.gov.vn"
    submission_id: str = ""

    def __post_init__(self) -> None:
        problems = []
        if self.status not in STATUSES:
            problems.append(f"status must be one of {', '.join(STATUSES)}")
        if not self.ticket and not self.official_code:
            problems.append("a receipt needs a kiosk ticket or an official dossier code")
        if self.status == STATUS_RECEIVED and not self.official_code:
            problems.append("a dossier received by the portal must have its official code")
        for name in ("receipt_number", "centre_code", "kiosk_id", "procedure_code"):
            if not _CODE.match(getattr(self, name) or ""):
                problems.append(f"{name} must be 1-40 letters, digits or . - / _")
        for name in ("ticket", "official_code"):
            value = getattr(self, name)
            if value is not None and not _CODE.match(value):
                problems.append(f"{name} must be 1-40 letters, digits or . - / _")
        for name in ("submitted_at", "issued_at"):
            value = getattr(self, name)
            if not isinstance(value, datetime) or value.tzinfo is None:
                problems.append(f"{name} must be a timezone-aware datetime")
        if self.fee_vnd is not None and (not isinstance(self.fee_vnd, int) or self.fee_vnd < 0):
            problems.append("fee_vnd must be a whole number of đồng, 0 or more")
        if problems:
            raise ReceiptInputError("receipt record rejected: " + "; ".join(problems))

    @property
    def queued(self) -> bool:
        return self.status == STATUS_QUEUED

    @property
    def lookup_code(self) -> str:
        """The code a resident gives to look the dossier up: the official one once known."""
        return self.official_code or self.ticket or ""

    def without_person(self) -> ReceiptData:
        """The same receipt with the resident's details dropped (end of session, logs)."""
        return dataclasses.replace(self, person=Person(), representative=None)
