"""A ReceiptData built from the store's outbox item (interface C) and the centre settings.

The payload's layout is the forms area's (docs/forms.md, format 1): this module reads only
the few top-level facts a receipt shows and, for the paper copy, the applicant's contact
fields wherever the procedure placed them.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from typing import Any

from kiosk.config import RESOURCES
from kiosk.receipts.record import STATUS_QUEUED, STATUS_RECEIVED, Person, ReceiptData

log = logging.getLogger(__name__)

# The applicant's block in the payload, by its portal name (resources/forms/procedures:
# nguoiYeuCau = requester, nguoiKhai = declarant), and each field's portal names.
APPLICANT_BLOCKS = ("nguoiYeuCau", "nguoiKhai", "requester", "applicant")
PERSON_FIELDS = {"full_name": ("hoTen", "full_name"), "id_number": ("soDinhDanh", "id_number"),
                 "address": ("noiCuTru", "residence", "address"),
                 "phone": ("soDienThoai", "phone"), "email": ("email",)}


def receipt_number_for(ticket: str, status: str) -> str:
    """One receipt per dossier and standing: reprints reuse it, acceptance makes a new one."""
    return f"{ticket}-{'R' if status == STATUS_RECEIVED else 'Q'}"


def procedure_name(code: str, version: str) -> str:
    """The procedure's Vietnamese title from its spec file, else the code itself."""
    try:
        from kiosk.forms.spec import load_spec

        spec = load_spec(RESOURCES / "forms" / "procedures" / code / f"{version}.yaml")
        return spec.title.vi if hasattr(spec.title, "vi") else code
    except Exception as error:  # a missing or retired spec must not stop a receipt
        log.warning("procedure title unavailable for %s@%s (%s)", code, version,
                    type(error).__name__)
        return code


def person_from_payload(payload: dict[str, Any]) -> Person:
    """The applicant as printed on the paper; only the applicant's block is read, never the
    child's, the deceased's or a spouse's, so the receipt cannot name the wrong person."""
    data = payload.get("data", {})
    block = next((data[name] for name in APPLICANT_BLOCKS
                  if isinstance(data, dict) and isinstance(data.get(name), dict)), {})
    found: dict[str, str] = {}
    for field_name, keys in PERSON_FIELDS.items():
        values = [block.get(key) for key in keys]
        found[field_name] = next((v for v in values if isinstance(v, str) and v), "")
    return Person(**found)


def receipt_from_item(item: Any, *, centre_code: str, centre_name: str, kiosk_id: str,
                      issued_at: datetime | None = None, lookup_url: str | None = None
                      ) -> ReceiptData:
    """The receipt for one outbox item; ``item`` is a kiosk.store OutboxItem."""
    payload: dict[str, Any] = {}
    if item.payload_bytes:
        try:
            payload = json.loads(item.payload_bytes)
        except ValueError:
            log.warning("dossier %s: payload unreadable for the receipt", item.submission_id)
    status = STATUS_RECEIVED if item.state == "accepted" and item.official_code else STATUS_QUEUED
    fee = payload.get("fee_vnd")
    days = payload.get("processing_working_days")
    due: date | None = None
    if item.due_date:
        try:
            due = date.fromisoformat(item.due_date[:10])
        except ValueError:
            due = None
    extra = {"lookup_url": lookup_url} if lookup_url else {}
    return ReceiptData(
        receipt_number=receipt_number_for(item.ticket, status), centre_code=centre_code,
        centre_name=centre_name, kiosk_id=kiosk_id, procedure_code=item.procedure_code,
        procedure_name=procedure_name(item.procedure_code, item.form_version), status=status,
        submitted_at=item.finalized_at, issued_at=issued_at or datetime.now(UTC),
        ticket=item.ticket, official_code=item.official_code if status == STATUS_RECEIVED else None,
        receiving_unit=item.receiving_unit or "", due_date=due,
        fee_vnd=fee if isinstance(fee, int) and not isinstance(fee, bool) else None,
        processing_time=f"{days:02d} ngày làm việc" if isinstance(days, int) and days > 0 else "",
        components=tuple(a.name for a in item.attachments),
        person=person_from_payload(payload), submission_id=item.submission_id, **extra)
