"""The simulator's HTTP application: the portal integration contract over real HTTP."""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from portal_sim import __version__, admin, api, vneid_api
from portal_sim.catalogue import DEFAULT_FORMS_DIR, Catalogue, load_catalogue
from portal_sim.db import Database
from portal_sim.faults import FaultMiddleware, FaultPlan, Faults
from portal_sim.identity import NotAuthenticated
from portal_sim.pki import Authority
from portal_sim.residents import DEFAULT_RESIDENTS_FILE, Seed, load_seed
from portal_sim.vneid import VneidSessions

CATALOGUE_TTL_S = 2.0


@dataclass
class PortalState:
    """Everything the routes share; one per application instance."""

    db: Database
    authority: Authority
    seed: Seed
    faults: Faults
    forms_dir: Path
    state_dir: Path
    admin_token: str | None = None
    accept_unenrolled: bool = False
    rules: dict[str, Any] = field(default_factory=dict)
    _catalogue: tuple[float, Catalogue] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def catalogue(self) -> Catalogue:
        """The forms folder as a catalogue, re-read at most every two seconds."""
        with self._lock:
            if self._catalogue is None or time.monotonic() - self._catalogue[0] > CATALOGUE_TTL_S:
                self._catalogue = (time.monotonic(), load_catalogue(self.forms_dir))
            return self._catalogue[1]

    def centre_name(self, centre_code: str) -> str:
        return f"Trung tâm Phục vụ hành chính công {centre_code}"


def _error(status: int, error: str, message: str, errors: list[dict] | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "message": message, "errors": errors or []}, status_code=status,
                        headers=headers)


def create_app(residents_file: Path = DEFAULT_RESIDENTS_FILE, *, state_dir: Path | None = None,
               forms_dir: Path = DEFAULT_FORMS_DIR, faults: str | None = None,
               admin_token: str | None = None, accept_unenrolled: bool = False,
               vneid_ttl_s: float = 120.0, vneid_auto_approve_after_s: float = 0.0) -> FastAPI:
    """Build the application; ``state_dir`` keeps its database and CA (a temporary folder if None).

    ``vneid_auto_approve_after_s`` > 0 makes the stand-in VNeID app approve every sign-in that
    names a known resident (``hint_id``) after that delay, at level 2 (the demo has no phone).
    """
    seed = load_seed(residents_file)
    folder = Path(state_dir) if state_dir else Path(tempfile.mkdtemp(prefix="portal-sim-"))
    folder.mkdir(parents=True, exist_ok=True)
    fault_state = Faults(FaultPlan.parse(faults))
    state = PortalState(db=Database(folder / "portal.db"), authority=Authority.load_or_create(folder / "pki"),
                        seed=seed, faults=fault_state, forms_dir=Path(forms_dir), state_dir=folder,
                        admin_token=admin_token, accept_unenrolled=accept_unenrolled)
    app = FastAPI(
        title="National public service portal — kiosk integration endpoint (simulator)",
        version=__version__,
        description="Stands for the portal integration the kiosk talks to. See docs/portal-api.md.",
    )
    app.state.seed = seed
    app.state.portal = state
    app.state.vneid = VneidSessions(
        state.db, seed, state.authority, lambda: datetime.now(UTC) + timedelta(
            seconds=state.rules.get("time_offset_s", 0.0)),
        ttl_s=vneid_ttl_s, auto_approve_after_s=vneid_auto_approve_after_s)

    @app.exception_handler(api.ApiError)
    async def api_error(request: Request, error: api.ApiError) -> JSONResponse:
        return _error(error.status, error.error, error.message, error.errors, error.headers)

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, error: NotAuthenticated) -> JSONResponse:
        return _error(error.status, error.error, error.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        fields = [{"field": ".".join(str(part) for part in item.get("loc", ())[1:]) or "body",
                   "reason": str(item.get("msg", "invalid"))} for item in error.errors()]
        return _error(422, "validation_failed", "the request does not match the contract", fields)

    @app.get("/health", tags=["operations"])
    def health() -> dict:
        """Liveness: the kiosk and fixtures wait for this before talking to the portal."""
        return {"status": "ok", "version": __version__, "residents": len(seed.residents),
                "time": datetime.now(UTC).isoformat()}

    app.include_router(api.router)
    app.include_router(admin.router)
    app.include_router(vneid_api.router)
    app.include_router(vneid_api.admin_router)
    app.add_middleware(FaultMiddleware, faults=fault_state)
    return app
