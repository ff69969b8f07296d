"""Interface A: the chip identity record handed to the rest of the kiosk (no Qt, no
card objects). Personal data lives here in memory only; :meth:`ChipIdentity.wipe` drops it
when the session ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SourcedValue", "Authenticity", "ChipIdentity", "FIELD_KEYS"]

FIELD_KEYS = ("id_number", "full_name", "date_of_birth", "sex", "nationality", "ethnicity",
              "religion", "place_of_origin", "residence", "identifying_marks", "date_of_issue",
              "date_of_expiry", "father_name", "mother_name", "spouse_name", "old_id_number",
              "dg13_field_16_raw", "mrz_document_number")


@dataclass
class SourcedValue:
    """One field: its value, where it came from ("DG13.2", "DG1") and whether it is
    verified (its group's hash matched a SOD chained to a trusted CSCA, and CA/AA passed)."""

    value: str
    source: str
    verified: bool


@dataclass
class Authenticity:
    """The card's verdict: "genuine" | "untrusted_issuer" | "failed", with the reason."""

    status: str
    reason: str
    checks: dict = field(default_factory=dict)


@dataclass
class ChipIdentity:
    fields: dict[str, SourcedValue]
    face_jpeg: bytes | None
    authenticity: Authenticity
    access: str  # "PACE" | "BAC"
    apdus: int
    bytes_read: int
    seconds: float = 0.0
    reauthentications: int = 0
    expired: bool = False
    warnings: list[str] = field(default_factory=list)

    def as_plain_record(self) -> dict[str, str]:
        """{key: value} for the form autofill, without sources."""
        return {key: item.value for key, item in self.fields.items()}

    def wipe(self) -> None:
        """Drop the personal data (Python strings are immutable: we release every reference
        we hold and overwrite the mutable copies)."""
        for item in self.fields.values():
            item.value = ""
        self.fields.clear()
        self.face_jpeg = None
        self.warnings.clear()

    def __repr__(self) -> str:  # never print people into logs or tracebacks
        return (f"ChipIdentity(access={self.access}, status={self.authenticity.status}, "
                f"fields={len(self.fields)}, apdus={self.apdus})")
