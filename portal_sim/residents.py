"""The simulator's seeded residents: the same invented people as the demo cards.

Read from one data file (resources/demo/residents.json by default) so that the card a
demo resident taps and the national-database answer the portal gives always agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_RESIDENTS_FILE = Path(__file__).resolve().parent.parent / "resources" / "demo" / "residents.json"


@dataclass(frozen=True)
class Seed:
    residents: dict[str, dict[str, Any]]
    households: dict[str, dict[str, Any]]


def load_seed(path: Path = DEFAULT_RESIDENTS_FILE) -> Seed:
    """Load the invented residents and households, keyed by ID number and household id."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    residents = {person["id"]: person for person in data["residents"]}
    households = {household["id"]: household for household in data.get("households", [])}
    return Seed(residents=residents, households=households)
