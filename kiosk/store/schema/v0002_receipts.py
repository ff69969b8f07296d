"""Schema version 2 (released): issued receipts and their print jobs.

A receipt references a committed dossier (foreign key), so none can be recorded for an
uncommitted one.
"""

SQL = """

CREATE TABLE receipt (
    receipt_number TEXT PRIMARY KEY,
    submission_id  TEXT NOT NULL REFERENCES dossier(submission_id),
    seal_text      TEXT NOT NULL,                     -- the QR's text: no personal data
    layout         TEXT NOT NULL,
    issued_at      TEXT NOT NULL
);
CREATE INDEX receipt_submission ON receipt(submission_id);

CREATE TABLE print_job (
    job_id         INTEGER PRIMARY KEY,
    receipt_number TEXT NOT NULL REFERENCES receipt(receipt_number),
    printer        TEXT NOT NULL,
    status         TEXT NOT NULL,
    error          TEXT,
    at             TEXT NOT NULL
);
CREATE INDEX print_job_receipt ON print_job(receipt_number);"""
