"""Invented, finalized demo dossiers from resources/demo/residents.json (``seed-demo``).

Deliberately small: one simple marital-status-confirmation payload per resident. The
forms area builds the real procedure payloads; this only fills a demo or benchmark queue.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from kiosk.store.model import Consent, NewDossier

PROCEDURE = "marital-status-confirmation"
FORM_ID = "demo-marital-status"
FORM_VERSION = "demo-1"
CONSENT_VERSION = "demo-consent-1"


def _iso(ddmmyyyy: str) -> str:
    day, month, year = ddmmyyyy.split("/")
    return f"{year}-{month}-{day}"


def load_residents(path: Path) -> list[dict]:
    return json.loads(path.read_text("utf-8"))["residents"]


def demo_dossier(resident: dict, number: int, now: datetime | None = None) -> NewDossier:
    """A finalized dossier for one invented resident; ``number`` keeps payloads distinct."""
    lookup = resident.get("lookup", {})
    payload = {
        "requester": {"id_number": resident["id"], "full_name": resident["full_name"],
                      "date_of_birth": _iso(resident["date_of_birth"]), "sex": resident["sex"],
                      "residence": resident["residence"]},
        "marital_status": lookup.get("marital_status", "single"),
        "purpose": "Bổ sung hồ sơ (demo)",
        "receive_result": "at-centre",
        "demo_sequence": number,
    }
    provenance = {
        "requester.id_number": {"source": "DG13.1", "verified": True},
        "requester.full_name": {"source": "DG13.2", "verified": True},
        "requester.date_of_birth": {"source": "DG13.3", "verified": True},
        "requester.sex": {"source": "DG13.4", "verified": True},
        "requester.residence": {"source": "DG13.9", "verified": True},
        "marital_status": {"source": "portal-lookup", "verified": False},
        "purpose": {"source": "typed", "verified": False},
    }
    consent = Consent(CONSENT_VERSION, now or datetime.now(UTC), ("submit-to-portal",))
    return NewDossier(PROCEDURE, FORM_ID, FORM_VERSION, payload, provenance, consent)


def demo_dossiers(residents_file: Path, count: int) -> list[NewDossier]:
    residents = load_residents(residents_file)
    return [demo_dossier(residents[n % len(residents)], n) for n in range(count)]
