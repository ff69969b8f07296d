"""The simulator's HTTP application: the portal integration contract over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI

from portal_sim import __version__
from portal_sim.residents import DEFAULT_RESIDENTS_FILE, load_seed


def create_app(residents_file: Path = DEFAULT_RESIDENTS_FILE) -> FastAPI:
    """Build the application with its seeded residents; one instance per server."""
    seed = load_seed(residents_file)
    app = FastAPI(
        title="National public service portal — kiosk integration endpoint (simulator)",
        version=__version__,
        description="Stands for the portal integration the kiosk talks to. See docs/portal-api.md.",
    )
    app.state.seed = seed

    @app.get("/health", tags=["operations"])
    def health() -> dict:
        """Liveness: the kiosk and fixtures wait for this before talking to the portal."""
        return {"status": "ok", "version": __version__, "residents": len(seed.residents),
                "time": datetime.now(UTC).isoformat()}

    return app
