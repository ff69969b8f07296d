"""The contract's JSON bodies as pydantic models: they drive validation and the OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

HEX64 = r"^[0-9a-f]{64}$"
UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
CODE = r"^[A-Za-z0-9._-]{1,64}$"
# A form id names the spec and its version: "marital_status_confirmation@2025.10".
FORM_ID = r"^[A-Za-z0-9._-]{1,64}(@[A-Za-z0-9._-]{1,40})?$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldError(BaseModel):
    field: str
    reason: str


class ErrorBody(BaseModel):
    error: str = Field(description="Machine-readable code, e.g. validation_failed, idempotency_key_reused.")
    message: str
    errors: list[FieldError] = []


class AttachmentDecl(Strict):
    attachment_id: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=200)
    media_type: str = Field(min_length=3, max_length=100)
    size: int = Field(ge=0, le=50 * 1024 * 1024)
    sha256: str = Field(pattern=HEX64)


class MethodOutcome(Strict):
    method: Literal["card_read", "card_genuine", "face_liveness", "vneid_l1", "vneid_l2",
                    "volunteer_attested"]
    decision: Literal["passed", "failed"]
    at: datetime
    band: str = Field(default="", max_length=20, description="Face score band, never a distance.")
    by: str = Field(default="", max_length=40, description="The attesting volunteer's code.")
    detail: str = Field(default="", max_length=60, description="Reason code of a failure.")


class IdentificationIn(Strict):
    level: Literal["none", "low", "substantial", "high"]
    methods: list[MethodOutcome] = Field(max_length=20)


class SubmissionIn(Strict):
    submission_id: str = Field(pattern=UUID, description="Equals the Idempotency-Key header.")
    ticket: str = Field(min_length=1, max_length=40, description="The kiosk ticket printed offline.")
    procedure_code: str = Field(pattern=CODE)
    form_id: str = Field(pattern=FORM_ID)
    form_version: str = Field(min_length=1, max_length=40)
    payload: dict[str, Any] = Field(description="The frozen form payload.")
    payload_sha256: str = Field(pattern=HEX64, description="SHA-256 of the payload's canonical JSON.")
    attachments: list[AttachmentDecl] = Field(default=[], max_length=50)
    depends_on: list[str] = Field(default=[], max_length=10, description="Parents' submission ids.")
    supersedes: str | None = Field(default=None, pattern=UUID)
    finalized_at: datetime
    identification: IdentificationIn | None = Field(
        default=None, description="How the kiosk identified the resident: level and outcomes only.")


class SubmissionOut(BaseModel):
    submission_id: str
    official_code: str = Field(description="Circular 04/2025/TT-VPCP: MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX")
    status: Literal["received", "in_processing", "supplement_requested", "rejected", "result_ready"]
    receiving_unit: str
    due_date: str | None
    received_at: str
    updated_at: str
    payload_sha256: str
    procedure_code: str


class UploadIn(Strict):
    submission_id: str = Field(pattern=UUID)
    attachment_id: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=200)
    media_type: str = Field(min_length=3, max_length=100)
    size: int = Field(ge=0, le=50 * 1024 * 1024)
    sha256: str = Field(pattern=HEX64)


class UploadOut(BaseModel):
    upload_id: str
    offset: int
    size: int
    complete: bool


class Presence(Strict):
    chip_authenticity: Literal["genuine", "untrusted_issuer", "failed"] = Field(
        description="The chip's passive/active authentication verdict read at the kiosk.")
    access: Literal["PACE", "BAC"]
    consent_reference: str = Field(min_length=1, max_length=100)
    consented_at: datetime
    session_id: str = Field(min_length=1, max_length=100)


class LookupIn(Strict):
    id_number: str = Field(pattern=r"^\d{12}$")
    presence: Presence | None = Field(default=None, description="Evidence the resident is present.")


class RelativeLookupIn(Strict):
    id_number: str = Field(pattern=r"^\d{12}$", description="The resident present at the kiosk.")
    relation: Literal["father", "mother", "spouse"] = Field(
        description="Whose record: a relative the resident's own record links.")
    purpose: str = Field(pattern=CODE, description="The procedure it is needed for.")
    presence: Presence = Field(description="Evidence the requesting resident is present.")


class Member(BaseModel):
    id_number: str
    full_name: str
    date_of_birth: str
    sex: str
    relationship: str


class Household(BaseModel):
    id: str
    address: str
    head_id_number: str
    head_full_name: str
    relationship_to_head: str
    members: list[Member]


class Residence(BaseModel):
    street: str
    commune: str
    province: str


class Relative(BaseModel):
    id_number: str
    full_name: str
    date_of_birth: str = Field(description="ISO; partial (YYYY or YYYY-MM) when only that is known.")


class ResidencePeriod(BaseModel):
    kind: Literal["permanent", "temporary"]
    address: str
    from_: str = Field(alias="from", description="ISO partial date (YYYY-MM) registered.")
    to: str = Field(description="ISO partial date the registration ended; empty while current.")

    model_config = {"populate_by_name": True}


class LookupOut(BaseModel):
    id_number: str
    full_name: str
    date_of_birth: str
    sex: str
    nationality: str
    ethnicity: str
    religion: str
    place_of_origin: str
    place_of_birth: str = Field(description="Where the birth was registered (civil status database).")
    father: Relative | None
    mother: Relative | None
    household: Household
    marital_status: Literal["single", "married", "divorced", "widowed"]
    spouse: Relative | None
    marriage_certificate: dict[str, str] | None
    divorce_judgment: dict[str, str] | None
    late_spouse: dict[str, str] | None
    current_residence: Residence
    residence_history: list[ResidencePeriod] = Field(
        description="Registered permanent and temporary residences, oldest first.")
    phone: str
    email: str


class EnrolmentIn(Strict):
    enrolment_code: str = Field(min_length=4, max_length=64)
    kiosk_id: str = Field(pattern=CODE)
    device_csr: str = Field(min_length=1, max_length=10000, description="PEM CSR, EC P-256 (TLS client).")
    receipt_csr: str = Field(min_length=1, max_length=10000, description="PEM CSR, EC P-256 (receipts).")


class EnrolmentOut(BaseModel):
    kiosk_id: str
    centre_code: str
    centre_name: str
    device_certificate: str
    receipt_certificate: str
    ca_certificate: str
    signer_certificate: str


class RatingIn(Strict):
    ticket: str = Field(min_length=1, max_length=40)
    score: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=500)


class RatingOut(BaseModel):
    rating_id: int


class TimeOut(BaseModel):
    now: str
    epoch_ms: int


class HealthOut(BaseModel):
    status: str
    version: str
