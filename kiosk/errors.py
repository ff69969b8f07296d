"""The typed errors the core raises, each with the exit code the `kiosk` command uses.

Every module raises a subclass of :class:`KioskError` for a condition a user or a
technician can act on; the message says what happened and what to do. The command
line maps the class to its exit code, so scripts can tell failures apart.
"""

from __future__ import annotations


class KioskError(Exception):
    """A failure the kiosk understands and can explain; never a bare traceback."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(KioskError):
    """The user or the caller gave something malformed (exit code 2, like a usage error)."""

    exit_code = 2


class SettingsError(BadInput):
    """The configuration has one or more invalid values; the message lists each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("Invalid settings:\n" + "\n".join(f"  - {p}" for p in self.problems))
