"""Sample dossiers and a settable clock shared by the store tests and their child processes."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.store import Consent, NewAttachment, NewDossier

# Distinctive invented personal data: the plaintext and purge tests search files for it.
SECRET_NAME = "Trịnh Thị Phượng Vỹ"
SECRET_ID = "079301987654"
SECRET_ADDRESS = "Số 77 hẻm Đồi Mồi, Phường Bến Nghé, Thành phố Hồ Chí Minh"


class FakeClock:
    """A settable clock, so leases and retention can be tested without sleeping."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def dossier(payload: dict | None = None, *, attachments: tuple[NewAttachment, ...] = (),
            depends_on: tuple[str, ...] = (), supersedes: str | None = None,
            assisted_by: str | None = None) -> NewDossier:
    return NewDossier(
        procedure_code="marital-status-confirmation", form_id="tp-xnhtxh", form_version="2025.1",
        payload=payload if payload is not None else {
            "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345"},
            "purpose": "Kết hôn"},
        provenance={"applicant.full_name": {"source": "DG13.2", "verified": True}},
        consent=Consent("consent-vi-2025.1", datetime(2026, 3, 2, 7, 59, tzinfo=UTC),
                        ("submit-to-portal",)),
        attachments=attachments, depends_on=depends_on, supersedes=supersedes,
        assisted_by=assisted_by)


def secret_dossier() -> NewDossier:
    return dossier({"applicant": {"full_name": SECRET_NAME, "id_number": SECRET_ID,
                                  "residence": SECRET_ADDRESS}},
                   attachments=(NewAttachment("giay-to.txt", "text/plain",
                                              f"{SECRET_NAME} {SECRET_ID}".encode()),))
