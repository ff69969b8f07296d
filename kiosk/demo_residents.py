"""The invented demo residents (resources/demo/residents.json) for demo mode's quick cards.

Demo mode offers their cards on the identify screen, as if the resident had scanned the
QR code on the front of their card; the same file seeds the portal simulator.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from kiosk.config import RESOURCES

RESIDENTS_FILE = RESOURCES / "demo" / "residents.json"


@lru_cache(maxsize=1)
def _load(path: Path = RESIDENTS_FILE) -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(path.read_text(encoding="utf-8"))["residents"])


def demo_residents() -> list[dict[str, Any]]:
    return [dict(person) for person in _load()]


def card_qr_text(resident_id: str) -> str:
    """The QR text printed on the front of the 2021 card (REFERENCE §1): ID|CMND|name|DOB|sex|address|issued."""
    person = next((p for p in _load() if p["id"] == resident_id), None)
    if person is None:
        raise KeyError(resident_id)
    digits = lambda text: text.replace("/", "")  # noqa: E731 - dd/mm/yyyy -> ddmmyyyy
    return "|".join([person["id"], person.get("old_id", ""), person["full_name"],
                     digits(person["date_of_birth"]), person["sex"], person["residence"],
                     digits(person["date_of_issue"])])
