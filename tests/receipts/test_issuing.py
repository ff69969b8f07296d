"""ReceiptDesk: a printer failure never blocks, is recorded, and a reprint keeps the seal."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from kiosk.devices.printer import EscPosPrinter, PdfFilePrinter
from kiosk.receipts.from_store import receipt_from_item
from kiosk.receipts.issuing import ReceiptDesk
from kiosk.receipts.verify import verify_seal
from kiosk.store import Consent, NewDossier, open_store

from .conftest import NOW


@pytest.fixture
def stored(tmp_path):
    store = open_store(tmp_path / "kiosk.db", os.urandom(32))
    captured = store.capture(NewDossier(
        procedure_code="birth_registration", form_id="birth_registration@2025.10",
        form_version="2025.10", payload={"format": 1, "fee_vnd": 0, "data": {}}, provenance={},
        consent=Consent("v1", datetime.now(UTC), ("submit",))))
    yield store, store.get(captured.submission_id)
    store.close()


def _receipt(item):
    return receipt_from_item(item, centre_code="DEMO-01001", centre_name="Trung tâm (demo)",
                             kiosk_id="KIOSK-DEMO-01", issued_at=NOW)


def test_failed_print_returns_the_seal_and_records_the_failure(stored, signer, trust) -> None:
    """A printer that is not there: no exception, the seal is returned, the job is 'failed'."""
    store, item = stored
    desk = ReceiptDesk(signer, EscPosPrinter("/dev/no-such-printer"), store)
    issued = desk.issue(_receipt(item))
    assert not issued.printed
    assert issued.print_error.state == "offline"
    assert verify_seal(issued.seal_text, trust, now=NOW)
    jobs = store.receipts_for(item.submission_id)[0].print_jobs
    assert [(j.status, j.error.split(":")[0]) for j in jobs] == [("failed", "offline")]


def test_reprint_reuses_the_recorded_seal(stored, signer, tmp_path) -> None:
    """Reprinting later gives the same QR and adds a print job to the same receipt."""
    store, item = stored
    desk = ReceiptDesk(signer, PdfFilePrinter(tmp_path / "spool"), store)
    first = desk.issue(_receipt(item))
    later = desk.issue(receipt_from_item(item, centre_code="DEMO-01001",
                                         centre_name="Trung tâm (demo)", kiosk_id="KIOSK-DEMO-01"))
    assert first.seal_text == later.seal_text and first.pdf == later.pdf
    assert [j.status for j in store.receipts_for(item.submission_id)[0].print_jobs] == [
        "printed", "printed"]
    assert len(list((tmp_path / "spool").glob("*.pdf"))) == 2


def test_receipt_from_item_reads_the_payload(stored) -> None:
    """Status, procedure title, fee and ticket come from the outbox item and payload."""
    _, item = stored
    receipt = _receipt(item)
    assert receipt.status == "queued" and receipt.ticket == item.ticket
    assert receipt.procedure_name == "Đăng ký khai sinh"
    assert receipt.fee_vnd == 0
    assert receipt.receipt_number == f"{item.ticket}-Q"


def test_person_is_read_from_the_applicant_block_only() -> None:
    """The applicant's fields come from nguoiYeuCau/nguoiKhai, never from the child's block."""
    from kiosk.receipts.from_store import person_from_payload

    payload = {"data": {"treEm": {"hoTen": "Bé Na"},
                        "nguoiYeuCau": {"hoTen": "Trần Thị Bình", "soDinhDanh": "001190000001",
                                        "soDienThoai": "0900000001", "noiCuTru": "Hà Nội"}}}
    person = person_from_payload(payload)
    assert (person.full_name, person.id_number, person.phone, person.address) == (
        "Trần Thị Bình", "001190000001", "0900000001", "Hà Nội")
    assert person_from_payload({"data": {"treEm": {"hoTen": "Bé Na"}}}).full_name == ""
