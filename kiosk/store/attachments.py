"""Attachments: size-checked before anything is written, stored encrypted with the database.

A scanned document of a few megabytes lives as a BLOB in the SQLCipher file, so it is
encrypted, committed and purged together with its dossier; its SHA-256 travels to the
portal with it (REFERENCE §4.7).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from kiosk.store.errors import (
    AttachmentTooLarge,
    InvalidDossier,
    StoreCorrupt,
    UnknownSubmission,
)
from kiosk.store.model import AttachmentRef, NewAttachment


def check(attachments: tuple[NewAttachment, ...], max_bytes: int) -> None:
    """Refuse an oversized or malformed attachment before finalization (REFERENCE §4.7)."""
    for position, item in enumerate(attachments, start=1):
        if not isinstance(item, NewAttachment):
            raise InvalidDossier(f"attachment {position} is not a NewAttachment")
        if not item.name or not item.media_type or "/" not in item.media_type:
            raise InvalidDossier(f"attachment {position} needs a name and a media type "
                                 "such as image/jpeg")
        if not isinstance(item.data, bytes | bytearray):
            raise InvalidDossier(f"attachment {position} data must be bytes")
        if len(item.data) > max_bytes:
            raise AttachmentTooLarge(
                f"attachment {position} is {len(item.data):,} bytes; the limit is "
                f"{max_bytes:,} bytes. Scan it at a lower resolution or split it.")


def insert(conn: Any, submission_id: str, attachments: tuple[NewAttachment, ...]) -> None:
    for position, item in enumerate(attachments):
        data = bytes(item.data)
        conn.execute(
            "INSERT INTO attachment(attachment_id, submission_id, position, name, media_type, "
            "size, sha256, data) VALUES (?,?,?,?,?,?,?,?)",
            (str(uuid.uuid4()), submission_id, position, item.name, item.media_type, len(data),
             hashlib.sha256(data).hexdigest(), data))


def refs(conn: Any, submission_id: str) -> tuple[AttachmentRef, ...]:
    rows = conn.execute("SELECT attachment_id, name, media_type, size, sha256 FROM attachment "
                        "WHERE submission_id = ? ORDER BY position", (submission_id,)).fetchall()
    return tuple(AttachmentRef(*row) for row in rows)


def read(conn: Any, attachment_id: str) -> bytes:
    row = conn.execute("SELECT data, sha256 FROM attachment WHERE attachment_id = ?",
                       (attachment_id,)).fetchone()
    if row is None:
        raise UnknownSubmission(f"no attachment {attachment_id} in the store")
    if row[0] is None:
        raise UnknownSubmission(f"attachment {attachment_id} was purged after retention")
    data = bytes(row[0])
    if hashlib.sha256(data).hexdigest() != row[1]:
        raise StoreCorrupt(f"attachment {attachment_id} does not match its SHA-256")
    return data
