"""The operator's interface for tests: inspect dossiers, set faults and rules, issue enrolment codes.

Not part of the kiosk contract (hidden from the OpenAPI document). With ``--admin-token``
every call needs the ``X-Admin-Token`` header.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from portal_sim.db import STATUSES
from portal_sim.faults import FaultPlan, FaultSpecError


def _admin_only(request: Request) -> None:
    token = request.app.state.portal.admin_token
    if token and request.headers.get("x-admin-token") != token:
        raise HTTPException(status_code=401, detail="admin token required")


router = APIRouter(prefix="/admin", include_in_schema=False, dependencies=[Depends(_admin_only)])


class FaultsIn(BaseModel):
    spec: str = ""


class RulesIn(BaseModel):
    reject_procedures: list[str] = []
    time_offset_s: float = 0.0


class StatusIn(BaseModel):
    status: str


class EnrolmentCodeIn(BaseModel):
    kiosk_id: str
    centre_code: str = "DEMO-01001"
    centre_name: str = "Trung tâm Phục vụ hành chính công (mô phỏng)"
    valid_minutes: int = Field(default=60, ge=1)


@router.get("/submissions")
def submissions(request: Request) -> list[dict[str, Any]]:
    """Every received dossier with its payload hash and how often its answer was replayed."""
    rows = request.app.state.portal.db.submissions()
    return [{key: row[key] for key in ("submission_id", "kiosk_id", "official_code", "procedure_code",
                                       "form_version", "payload_sha256", "status", "due_date",
                                       "received_at", "replays", "depends_on", "ticket")} for row in rows]


@router.get("/submissions/{submission_id}")
def submission(submission_id: str, request: Request) -> dict[str, Any]:
    row = request.app.state.portal.db.submission(submission_id)
    if row is None:
        raise HTTPException(status_code=404, detail="not found")
    row["payload"] = json.loads(row["payload"])
    return row


@router.put("/submissions/{submission_id}/status")
def set_status(submission_id: str, body: StatusIn, request: Request) -> dict[str, str]:
    """Move a dossier through the back office (received → in_processing → result_ready…)."""
    if body.status not in STATUSES:
        raise HTTPException(status_code=422, detail=f"status must be one of {', '.join(STATUSES)}")
    if not request.app.state.portal.db.set_status(submission_id, body.status):
        raise HTTPException(status_code=404, detail="not found")
    return {"status": body.status}


@router.get("/faults")
def get_faults(request: Request) -> dict[str, Any]:
    faults = request.app.state.portal.faults
    return {"plan": faults.plan.as_dict(), "injected": faults.injected}


@router.put("/faults")
def set_faults(body: FaultsIn, request: Request) -> dict[str, Any]:
    try:
        plan = FaultPlan.parse(body.spec)
    except FaultSpecError as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    request.app.state.portal.faults.replace(plan)
    return {"plan": plan.as_dict()}


@router.put("/rules")
def set_rules(body: RulesIn, request: Request) -> dict[str, Any]:
    """Portal-side behaviour: procedures whose dossiers fail validation; the portal clock's offset."""
    request.app.state.portal.rules = body.model_dump()
    return request.app.state.portal.rules


@router.get("/stats")
def stats(request: Request, since: float = 0.0) -> dict[str, Any]:
    """Counts, injected faults and the request log (epoch seconds, endpoint, status) since ``since``."""
    state = request.app.state.portal
    log = [entry for entry in list(state.faults.requests) if entry[0] >= since]
    return {"counts": state.db.counts(), "injected": state.faults.injected, "requests": log}


@router.post("/stats/reset")
def reset_stats(request: Request) -> dict[str, str]:
    state = request.app.state.portal
    state.faults.requests.clear()
    state.faults.injected.clear()
    return {"status": "ok"}


@router.post("/enrolment-codes", status_code=201)
def new_enrolment_code(body: EnrolmentCodeIn, request: Request) -> dict[str, str]:
    """A one-time code a technician types into `kiosk provision`."""
    code = request.app.state.portal.db.new_enrolment_code(
        body.kiosk_id, body.centre_code, body.centre_name, timedelta(minutes=body.valid_minutes))
    return {"code": code, "kiosk_id": body.kiosk_id}


@router.post("/kiosks/{kiosk_id}/revoke")
def revoke(kiosk_id: str, request: Request) -> dict[str, str]:
    """Revoke a kiosk: its device certificate is refused and its receipt key is listed as revoked."""
    if not request.app.state.portal.db.set_kiosk_status(kiosk_id, "revoked"):
        raise HTTPException(status_code=404, detail="no such kiosk")
    return {"status": "revoked"}


@router.get("/kiosks")
def kiosks(request: Request) -> list[dict[str, Any]]:
    return [{"kiosk_id": k["kiosk_id"], "centre_code": k["centre_code"], "status": k["status"]}
            for k in request.app.state.portal.db.kiosks()]


@router.get("/ratings")
def ratings(request: Request) -> list[dict[str, Any]]:
    return request.app.state.portal.db.ratings()
