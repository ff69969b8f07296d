"""VNeID sign-in over HTTP: the kiosk's endpoints (docs/portal-api.md §15) and the operator's
stand-in for the VNeID app (approve / deny, hidden from the OpenAPI document)."""

from __future__ import annotations

import asyncio
import base64
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from portal_sim.admin import _admin_only
from portal_sim.api import ApiError, CallerDep, CommonErrors, errors
from portal_sim.vneid import SessionRefused, VneidSessions

MAX_WAIT_S = 25.0
POLL_STEP_S = 0.05

router = APIRouter(prefix="/v1/vneid", tags=["vneid"])
admin_router = APIRouter(prefix="/admin/vneid", include_in_schema=False, dependencies=[Depends(_admin_only)])


class SessionIn(BaseModel):
    nonce: str = Field(pattern=r"^[A-Za-z0-9_-]{16,128}$",
                       description="The kiosk's fresh random value; the assertion carries it back.")
    hint_id: str | None = Field(default=None, pattern=r"^\d{12}$",
                                description="ID number read from the chip, so the portal can push "
                                            "the request to that citizen's app.")


class SessionOut(BaseModel):
    session_id: str
    qr_text: str
    short_code: str
    expires_at: str
    expires_in_s: float


class PollOut(BaseModel):
    session_id: str
    status: str = Field(description="pending, approved, denied, cancelled or expired")
    assertion: str | None = Field(default=None, description="base64 COSE_Sign1, only with approved")


class ApproveIn(BaseModel):
    resident: str = Field(pattern=r"^\d{12}$")
    level: int = Field(default=2, ge=1, le=2)


def sessions(request: Request) -> VneidSessions:
    return request.app.state.vneid


def _refused(error: SessionRefused) -> ApiError:
    return ApiError(error.status, error.reason, error.message)


@router.post("/sessions", status_code=201, response_model=SessionOut, responses={**CommonErrors,
                                                                                 **errors(422)})
def open_session(body: SessionIn, request: Request, caller: CallerDep) -> dict[str, Any]:
    """Open a sign-in: show ``qr_text`` as a QR; it expires at ``expires_at`` (portal clock)."""
    return sessions(request).open(caller.kiosk_id, body.nonce, body.hint_id)


@router.get("/sessions/{session_id}", response_model=PollOut,
            responses={**CommonErrors, **errors(404, 409)})
async def poll_session(session_id: str, request: Request, caller: CallerDep,
                       wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S)] = 0.0) -> dict[str, Any]:
    """Long poll: answer as soon as the session is no longer pending, or after ``wait`` seconds.

    The answer that carries the assertion consumes the session; any later poll is
    ``409 already_consumed``.
    """
    store = sessions(request)
    deadline = time.monotonic() + wait
    try:
        while True:
            found = await run_in_threadpool(store.poll, caller.kiosk_id, session_id)
            if found.status != "pending" or time.monotonic() >= deadline:
                break
            await asyncio.sleep(min(POLL_STEP_S, max(0.0, deadline - time.monotonic())))
    except SessionRefused as error:
        raise _refused(error) from error
    assertion = base64.b64encode(found.assertion).decode("ascii") if found.assertion else None
    return {"session_id": session_id, "status": found.status, "assertion": assertion}


@router.delete("/sessions/{session_id}", status_code=204, responses={**CommonErrors, **errors(404, 409)})
def cancel_session(session_id: str, request: Request, caller: CallerDep) -> Response:
    """The kiosk abandons the sign-in (the resident left, or the kiosk stopped waiting)."""
    try:
        sessions(request).cancel(caller.kiosk_id, session_id)
    except SessionRefused as error:
        raise _refused(error) from error
    return Response(status_code=204)


def _admin(call, *args: Any) -> dict[str, str]:  # noqa: ANN001 - a VneidSessions method
    try:
        return {"status": call(*args)}
    except SessionRefused as error:
        raise HTTPException(status_code=error.status, detail=f"{error.reason}: {error.message}") from error


@admin_router.post("/sessions/{session_id}/approve")
def approve(session_id: str, body: ApproveIn, request: Request) -> dict[str, str]:
    """The resident approves in the VNeID app; an unknown ID number is refused (404)."""
    return _admin(sessions(request).approve, session_id, body.resident, body.level)


@admin_router.post("/sessions/{session_id}/deny")
def deny(session_id: str, request: Request) -> dict[str, str]:
    """The resident refuses in the VNeID app."""
    return _admin(sessions(request).deny, session_id)


@admin_router.get("/sessions")
def list_sessions(request: Request) -> list[dict[str, Any]]:
    """Every session's state (ids and times only)."""
    return sessions(request).sessions()
