"""Issuing a receipt: seal, render, record in the store, print — and never block on a printer.

The journey calls :meth:`ReceiptDesk.issue` after the store's durable commit (REFERENCE §4.1:
no receipt before the commit). A printer failure comes back in the result, with the seal
text, so the UI can show the QR on screen and offer a reprint later; the failed job is
recorded so staff see it.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.devices.printer import Printer, PrinterError, PrintJob
from kiosk.receipts.document import render_receipt
from kiosk.receipts.keys import ReceiptSigner
from kiosk.receipts.payment import FeeNotice, fee_notice
from kiosk.receipts.record import ReceiptData
from kiosk.receipts.seal import open_seal, seal_receipt
from kiosk.receipts.spoken import spoken_receipt
from kiosk.receipts.vietqr import BankAccount

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssuedReceipt:
    """What the UI needs after issuing: the seal for an on-screen QR, the speech, the outcome."""

    receipt: ReceiptData
    seal_text: str
    pdf: bytes
    layout: str
    spoken: str
    job: PrintJob | None = None
    print_error: PrinterError | None = None
    payment: FeeNotice | None = None  # the fee due and its VietQR text (None: free/unknown)

    @property
    def printed(self) -> bool:
        return self.job is not None


class ReceiptDesk:
    """Seals, renders, records and prints receipts for one kiosk."""

    def __init__(self, signer: ReceiptSigner, printer: Printer | None, store: Any = None,
                 layout: str = "80mm", payment_account: BankAccount | None = None) -> None:
        self.signer = signer
        self.printer = printer
        self.store = store
        self.layout = layout
        self.payment_account = payment_account  # None: fees are paid at the counter only

    def _seal(self, receipt: ReceiptData) -> tuple[ReceiptData, str]:
        """The seal for this receipt; a reprint reuses the recorded one (same QR, same time)."""
        if self.store is not None and receipt.submission_id:
            existing = self.store.find_receipt(receipt.receipt_number)
            if existing is not None:
                claims, _ = open_seal(existing.seal_text)
                issued = datetime.fromtimestamp(claims.issued_at, UTC)
                return dataclasses.replace(receipt, issued_at=issued), existing.seal_text
        return receipt, seal_receipt(receipt, self.signer)

    def issue(self, receipt: ReceiptData, *, layout: str | None = None,
              print_it: bool = True) -> IssuedReceipt:
        layout = layout or self.layout
        receipt, seal_text = self._seal(receipt)
        pdf = render_receipt(receipt, seal_text, layout, self.payment_account)
        if self.store is not None and receipt.submission_id:
            self.store.record_receipt(receipt.submission_id, receipt.receipt_number, seal_text,
                                      layout)
        payment = fee_notice(receipt, self.payment_account)
        result = IssuedReceipt(receipt=receipt, seal_text=seal_text, pdf=pdf, layout=layout,
                               spoken=spoken_receipt(receipt, payment), payment=payment)
        if not print_it or self.printer is None:
            return result
        return self.print(result)

    def print(self, issued: IssuedReceipt) -> IssuedReceipt:
        """Print (or reprint) an issued receipt; failures are returned, not raised."""
        number = issued.receipt.receipt_number
        printer_name = getattr(self.printer, "name", "none")
        try:
            if self.printer is None:
                raise PrinterError("no printer configured", "offline")
            job = self.printer.print_pdf(issued.pdf, f"Phieu {number}")
        except PrinterError as error:
            log.warning("receipt %s not printed on %s: %s", number, printer_name, error.state)
            self._record_job(issued, printer_name, "failed", f"{error.state}: {error.message}")
            return dataclasses.replace(issued, job=None, print_error=error)
        self._record_job(issued, printer_name, "printed", None)
        return dataclasses.replace(issued, job=job, print_error=None)

    def _record_job(self, issued: IssuedReceipt, printer: str, status: str,
                    error: str | None) -> None:
        if self.store is not None and issued.receipt.submission_id:
            self.store.record_print_job(issued.receipt.receipt_number, printer, status, error)
