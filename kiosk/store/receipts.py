"""Issued receipts and their print jobs: which receipt went with which dossier, and
whether it printed. The seal text is the QR's content, which by design carries no ID
number or name (REFERENCE §5), so it survives the retention purge.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.store.errors import InvalidDossier, UnknownSubmission
from kiosk.store.model import IssuedReceipt, PrintJob, from_db, to_db

PRINT_STATUSES = ("queued", "printed", "failed", "cancelled")


def record_receipt(conn: Any, submission_id: str, receipt_number: str, seal_text: str,
                   layout: str, now: datetime) -> None:
    if conn.execute("SELECT 1 FROM dossier WHERE submission_id = ?",
                    (submission_id,)).fetchone() is None:
        raise UnknownSubmission(f"no committed dossier {submission_id}: a receipt is printed only "
                                "for a dossier already in the store")
    if not receipt_number:
        raise InvalidDossier("a receipt needs its number")
    existing = conn.execute("SELECT submission_id FROM receipt WHERE receipt_number = ?",
                            (receipt_number,)).fetchone()
    if existing is not None:
        if existing[0] != submission_id:
            raise InvalidDossier(f"receipt number {receipt_number} already belongs to another "
                                 "dossier")
        return  # reprinting the same receipt records only a new print job
    conn.execute("INSERT INTO receipt(receipt_number, submission_id, seal_text, layout, "
                 "issued_at) VALUES (?,?,?,?,?)",
                 (receipt_number, submission_id, seal_text, layout, to_db(now)))


def record_print_job(conn: Any, receipt_number: str, printer: str, status: str,
                     error: str | None, now: datetime) -> int:
    if status not in PRINT_STATUSES:
        raise InvalidDossier(f"print status must be one of {', '.join(PRINT_STATUSES)}")
    if conn.execute("SELECT 1 FROM receipt WHERE receipt_number = ?",
                    (receipt_number,)).fetchone() is None:
        raise UnknownSubmission(f"no receipt {receipt_number}; record the receipt first")
    cursor = conn.execute("INSERT INTO print_job(receipt_number, printer, status, error, at) "
                          "VALUES (?,?,?,?,?)",
                          (receipt_number, printer, status, error, to_db(now)))
    return int(cursor.lastrowid)


def receipts_for(conn: Any, submission_id: str) -> list[IssuedReceipt]:
    found = []
    for number, sid, seal, layout, issued in conn.execute(
            "SELECT receipt_number, submission_id, seal_text, layout, issued_at FROM receipt "
            "WHERE submission_id = ? ORDER BY issued_at", (submission_id,)).fetchall():
        jobs = tuple(PrintJob(r[0], r[1], r[2], r[3], r[4], from_db(r[5])) for r in conn.execute(
            "SELECT job_id, receipt_number, printer, status, error, at FROM print_job "
            "WHERE receipt_number = ? ORDER BY job_id", (number,)))
        found.append(IssuedReceipt(number, sid, seal, layout, from_db(issued), jobs))
    return found


def find_receipt(conn: Any, receipt_number: str) -> IssuedReceipt | None:
    row = conn.execute("SELECT submission_id FROM receipt WHERE receipt_number = ?",
                       (receipt_number,)).fetchone()
    if row is None:
        return None
    return next(r for r in receipts_for(conn, row[0]) if r.receipt_number == receipt_number)
