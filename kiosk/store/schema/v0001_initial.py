"""Schema version 1 (released): dossiers, attachments, the outbox and the hash-chained audit log."""

SQL = """
-- Times are fixed-width UTC text (see kiosk/store/model.py), so text order is time order.

CREATE TABLE dossier (
    submission_id        TEXT PRIMARY KEY,            -- UUID4 minted at finalization
    ticket               TEXT NOT NULL UNIQUE,        -- the kiosk ticket printed offline
    procedure_code       TEXT NOT NULL,
    form_id              TEXT NOT NULL,
    form_version         TEXT NOT NULL,
    payload              BLOB,                        -- canonical JSON; NULL once purged
    payload_sha256       TEXT NOT NULL,
    payload_size         INTEGER NOT NULL,
    provenance           TEXT,                        -- JSON; NULL once purged
    consent_text_version TEXT NOT NULL,
    consented_at         TEXT NOT NULL,
    consent_purposes     TEXT NOT NULL,               -- JSON list
    assisted_by          TEXT,                        -- volunteer id, or NULL
    supersedes           TEXT REFERENCES dossier(submission_id),
    created_at           TEXT NOT NULL,
    finalized_at         TEXT NOT NULL,
    retention_until      TEXT,                        -- set once the portal accepted it
    purged_at            TEXT
);

CREATE TABLE dossier_dependency (
    child_id  TEXT NOT NULL REFERENCES dossier(submission_id),
    parent_id TEXT NOT NULL REFERENCES dossier(submission_id),
    PRIMARY KEY (child_id, parent_id)
) WITHOUT ROWID;
CREATE INDEX dossier_dependency_parent ON dossier_dependency(parent_id);

CREATE TABLE attachment (
    attachment_id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES dossier(submission_id),
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB                                -- NULL once purged
);
CREATE INDEX attachment_submission ON attachment(submission_id, position);

CREATE TABLE outbox (
    submission_id      TEXT PRIMARY KEY REFERENCES dossier(submission_id),
    state              TEXT NOT NULL CHECK (state IN
                           ('queued', 'sending', 'accepted', 'rejected', 'needs_attention')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at    TEXT,
    lease_owner        TEXT,
    lease_expires_at   TEXT,
    last_error         TEXT,
    official_code      TEXT,
    receiving_unit     TEXT,
    due_date           TEXT,
    portal_status      TEXT,
    portal_response    TEXT,                          -- JSON; NULL once purged
    accepted_at        TEXT,
    quarantine_reason  TEXT,
    quarantine_details TEXT,                          -- JSON
    resolved_at        TEXT,
    resolved_by        TEXT,
    updated_at         TEXT NOT NULL,
    CHECK ((state = 'sending') = (lease_owner IS NOT NULL))
);
CREATE INDEX outbox_sendable ON outbox(state, next_attempt_at);

-- Append-only: each entry's hash covers the previous entry's hash (a chain).
CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT,
    details    TEXT NOT NULL,                         -- canonical JSON
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"""
