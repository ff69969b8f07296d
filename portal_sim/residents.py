"""The simulator's seeded residents: the same invented people as the demo cards.

Read from one data file (resources/demo/residents.json by default) so that the card a
demo resident taps and the national-database answer the portal gives always agree.
Besides the residents who have a demo card, the file lists the ``population`` the
national database also knows (the residents' parents): their records answer for a
relative named in a resident's record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_RESIDENTS_FILE = Path(__file__).resolve().parent.parent / "resources" / "demo" / "residents.json"


@dataclass(frozen=True)
class Seed:
    residents: dict[str, dict[str, Any]]
    households: dict[str, dict[str, Any]]
    population: dict[str, dict[str, Any]] = field(default_factory=dict)

    def person(self, id_number: str) -> dict[str, Any] | None:
        """Anyone the national database knows: a card-holding resident or a relative."""
        return self.residents.get(id_number) or self.population.get(id_number)


def load_seed(path: Path = DEFAULT_RESIDENTS_FILE) -> Seed:
    """Load the invented residents and households, keyed by ID number and household id."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    residents = {person["id"]: person for person in data["residents"]}
    households = {household["id"]: household for household in data.get("households", [])}
    population = {person["id"]: person for person in data.get("population", [])}
    return Seed(residents=residents, households=households, population=population)
