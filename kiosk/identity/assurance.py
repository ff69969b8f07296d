"""How sure the kiosk is of who stands in front of it: methods that passed → one level.

A genuine card proves the card, not its holder. Each identification collects the methods
that passed (the card's verdict, the face check with liveness, VNeID, a volunteer's
attestation) and maps them to a level; each procedure spec declares the minimum level it
needs (``min_assurance``). The mapping, documented in docs/identity.md:

======================  =====================================================================
level                   methods that passed
======================  =====================================================================
high                    genuine card + face with liveness + (VNeID level 2 or volunteer)
substantial             genuine card + (face with liveness or volunteer attestation),
                        or VNeID level 2 (its enrolment bound the person; Decree 69/2024)
low                     a card read (genuine or not), or VNeID level 1
none                    nothing
======================  =====================================================================

A face check or an attestation against a card whose chip is *not* genuine binds the person
to a photo that may be forged, so it adds nothing. Only outcomes are kept here — method,
decision, score band, time, who attested — never a frame, a template or a distance.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["Level", "Method", "Evidence", "Identification", "level_of", "methods_reaching"]


class Level(enum.IntEnum):
    NONE = 0
    LOW = 1
    SUBSTANTIAL = 2
    HIGH = 3

    @classmethod
    def named(cls, name: str) -> Level:
        """The level a spec's ``min_assurance`` names ("low", "substantial", "high")."""
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown assurance level {name!r}") from None


class Method(enum.StrEnum):
    CARD_READ = "card_read"                  # chip read; no chain to a trusted CSCA
    CARD_GENUINE = "card_genuine"            # passive + chip/active authentication, trusted
    FACE_LIVENESS = "face_liveness"          # live face matched the chip photo, liveness passed
    VNEID_L1 = "vneid_l1"
    VNEID_L2 = "vneid_l2"
    VOLUNTEER = "volunteer_attested"         # a signed-in volunteer compared face and card


# The methods a resident can add at the verify step, in the order the kiosk offers them.
ADDABLE = (Method.FACE_LIVENESS, Method.VNEID_L2, Method.VOLUNTEER)


def level_of(methods: set[Method]) -> Level:
    """The assurance level of a set of passed methods (the table in the module docstring)."""
    genuine = Method.CARD_GENUINE in methods
    face = Method.FACE_LIVENESS in methods
    vneid2 = Method.VNEID_L2 in methods
    volunteer = Method.VOLUNTEER in methods
    if genuine and face and (vneid2 or volunteer):
        return Level.HIGH
    if vneid2 or (genuine and (face or volunteer)):
        return Level.SUBSTANTIAL
    if methods & {Method.CARD_READ, Method.CARD_GENUINE, Method.VNEID_L1}:
        return Level.LOW
    return Level.NONE


def methods_reaching(passed: set[Method], target: Level,
                     available: set[Method]) -> list[Method]:
    """The single added methods, among those available now, that lift ``passed`` to
    ``target`` — what the verify step offers. Empty: send the resident to the counter."""
    return [method for method in ADDABLE
            if method in available and method not in passed
            and level_of(passed | {method}) >= target]


@dataclass(frozen=True)
class Evidence:
    """One method's outcome, as it goes on the dossier."""

    method: Method
    passed: bool
    at: datetime
    band: str = ""           # face: the score band ("strong", "match", ...); never a distance
    by: str = ""             # volunteer code for an attestation
    detail: str = ""         # a reason code on failure ("no_face", "liveness_timeout", ...)

    def as_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"method": self.method.value,
                                  "decision": "passed" if self.passed else "failed",
                                  "at": self.at.astimezone(UTC).isoformat(timespec="seconds")}
        for key in ("band", "by", "detail"):
            if getattr(self, key):
                record[key] = getattr(self, key)
        return record


@dataclass
class Identification:
    """The evidence gathered in one session, in the order it came."""

    evidence: list[Evidence] = field(default_factory=list)

    def add(self, evidence: Evidence) -> Level:
        self.evidence.append(evidence)
        return self.level

    def passed(self) -> set[Method]:
        return {item.method for item in self.evidence if item.passed}

    @property
    def level(self) -> Level:
        return level_of(self.passed())

    def attempts(self, method: Method) -> int:
        return sum(1 for item in self.evidence if item.method is method)

    def as_record(self) -> dict[str, Any]:
        """What the dossier carries: the level reached and every method tried."""
        return {"level": self.level.name.lower(),
                "methods": [item.as_record() for item in self.evidence]}

    @classmethod
    def from_card(cls, authenticity_status: str, at: datetime | None = None) -> Identification:
        """The evidence of a card read: genuine, or merely read (untrusted issuer)."""
        at = at or datetime.now(UTC)
        method = Method.CARD_GENUINE if authenticity_status == "genuine" else Method.CARD_READ
        return cls([Evidence(method, True, at, detail="" if method is Method.CARD_GENUINE
                             else authenticity_status)])

    def wipe(self) -> None:
        self.evidence.clear()
