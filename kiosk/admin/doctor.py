"""``kiosk doctor``: every check a technician needs, each with its verdict and its fix.

Each check is one small function taking a :class:`Probe` (the settings plus what the
checks share) and returning a :class:`Finding`: OK, warning or failure, one line of
what was found, one sentence of what to do, and impersonal details (versions, counts,
ages, reader names, ATRs). The report never holds personal data: checks read counts
and states, never dossiers, and the whole report is passed through the log redactor
before it is shown, as a second line of defence.

The exit code is the worst verdict: 0 OK, 1 warning, 10 failure.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)


class Verdict(StrEnum):
    OK = "ok"
    WARNING = "warning"
    FAILURE = "failure"

    @property
    def rank(self) -> int:
        return {"ok": 0, "warning": 1, "failure": 2}[self.value]

    @property
    def exit_code(self) -> int:
        return {"ok": 0, "warning": 1, "failure": 10}[self.value]


@dataclass(frozen=True)
class Finding:
    """The result of one check: what was found and, unless OK, what to do about it."""

    check: str
    verdict: Verdict
    summary: str
    fix: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def ok(check: str, summary: str, **details: Any) -> Finding:
    return Finding(check, Verdict.OK, summary, "", details)


def warning(check: str, summary: str, fix: str, **details: Any) -> Finding:
    return Finding(check, Verdict.WARNING, summary, fix, details)


def failure(check: str, summary: str, fix: str, **details: Any) -> Finding:
    return Finding(check, Verdict.FAILURE, summary, fix, details)


@dataclass
class Probe:
    """What the checks share: the settings, and the portal's answer fetched once."""

    settings: Any
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    portal_answer: dict[str, Any] | None = None
    portal_error: str | None = None


@dataclass(frozen=True)
class Report:
    generated_at: str
    findings: tuple[Finding, ...]

    @property
    def worst(self) -> Verdict:
        return max((f.verdict for f in self.findings), key=lambda v: v.rank, default=Verdict.OK)

    @property
    def exit_code(self) -> int:
        return self.worst.exit_code

    def as_dict(self) -> dict[str, Any]:
        return {"generated_at": self.generated_at, "worst": self.worst.value,
                "findings": [dict(asdict(f), verdict=f.verdict.value) for f in self.findings]}

    def as_json(self) -> str:
        return _redacted(json.dumps(self.as_dict(), ensure_ascii=False, indent=2, default=str))

    def as_text(self) -> str:
        marks = {Verdict.OK: "OK  ", Verdict.WARNING: "WARN", Verdict.FAILURE: "FAIL"}
        lines = []
        for finding in self.findings:
            lines.append(f"[{marks[finding.verdict]}] {finding.check}: {finding.summary}")
            if finding.fix:
                lines.append(f"       fix: {finding.fix}")
        lines.append(f"worst: {self.worst.value}")
        return _redacted("\n".join(lines))


def _redacted(text: str) -> str:
    """Second line of defence: the same redactor as the log files."""
    try:
        from kiosk.logs import redactor
    except ImportError:  # the foundation's logging not present: checks are impersonal anyway
        return text
    return redactor.redact(text)


Check = Callable[[Probe], Finding]


def all_checks() -> list[Check]:
    from kiosk.admin import host_checks, service_checks

    return [*host_checks.CHECKS, *service_checks.CHECKS]


def run(settings: Any, checks: list[Check] | None = None) -> Report:
    """Run every check; a check that crashes is itself reported as a failure."""
    probe = Probe(settings=settings)
    findings = []
    for check in checks if checks is not None else all_checks():
        name = check.__name__.removeprefix("check_").replace("_", " ")
        started = time.monotonic()
        try:
            finding = check(probe)
        except Exception as error:  # noqa: BLE001 - a broken check must not hide the others
            log.exception("doctor check %s crashed", name)
            finding = failure(name, f"the check itself failed ({type(error).__name__})",
                              "Export the logs with `kiosk logs export` and send them to support.")
        log.debug("doctor check %s: %s in %.2fs", name, finding.verdict.value,
                  time.monotonic() - started)
        findings.append(finding)
    return Report(generated_at=probe.now.isoformat(timespec="seconds"), findings=tuple(findings))
