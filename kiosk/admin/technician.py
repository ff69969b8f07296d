"""Technician sign-in: a PIN stored as a slow hash, lockout with growing delays, full audit.

The UI (the lead's technician screen) reaches this through a hidden gesture and uses
one :class:`TechnicianGate`::

    gate = TechnicianGate.for_settings(settings, audit=store.audit)
    session = gate.sign_in(pin)          # WrongPin / TechnicianLocked / NoTechnicianPin
    gate.touch()                          # on every technician tap
    if gate.leave_if_idle(): ...          # from a UI timer: True when it just left
    gate.leave()                          # the "exit technician mode" button

The PIN hash and the failure counter live in one 0600 file, so a reboot neither forgets
the lockout nor resets the counter. Every attempt, success or not, and every exit is
written to the store's audit log (no PIN, no personal data: only counts and reasons).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.admin.errors import NoTechnicianPin, TechnicianLocked
from kiosk.errors import BadInput

log = logging.getLogger(__name__)

# scrypt (RFC 7914) at n=2^15, r=8: about 32 MiB and tens of milliseconds per try, so a
# stolen PIN file cannot be brute-forced over the whole 6-digit space in seconds.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
FIRST_LOCKOUT_S = 30.0
MAX_LOCKOUT_S = 3600.0
PIN_LENGTHS = range(6, 13)

Audit = Callable[..., None]


class WrongPin(BadInput):
    """The PIN did not match; the message says how many tries remain before the lockout."""

    def __init__(self, message: str, remaining: int) -> None:
        super().__init__(message)
        self.remaining = remaining


def validate_pin(pin: str) -> None:
    """A technician PIN is 6–12 digits and not a repeated or sequential run."""
    if not pin.isdigit() or len(pin) not in PIN_LENGTHS or not pin.isascii():
        raise BadInput("the technician PIN must be 6 to 12 digits")
    if len(set(pin)) == 1 or pin in "01234567890123" or pin in "98765432109876":
        raise BadInput("choose a technician PIN that is not a repeated or sequential run")


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * 1024**2,
                          dklen=32)


@dataclass
class TechnicianSession:
    started_at: float
    last_activity: float


class TechnicianGate:
    """Guards technician mode on one kiosk; UI-free, safe to call from the UI thread."""

    def __init__(self, pin_file: Path, *, audit: Audit | None = None, max_failures: int = 5,
                 idle_timeout_s: float = 300.0, clock: Callable[[], float] = time.time) -> None:
        self.pin_file = Path(pin_file)
        self._audit = audit
        self.max_failures = max_failures
        self.idle_timeout_s = idle_timeout_s
        self._clock = clock
        self.session: TechnicianSession | None = None

    @classmethod
    def for_settings(cls, settings: Any, audit: Audit | None = None) -> TechnicianGate:
        return cls(settings.data_dir / "technician-pin.json", audit=audit,
                   max_failures=settings.admin.technician_max_failures,
                   idle_timeout_s=settings.admin.technician_idle_s)

    # -- state file -----------------------------------------------------------------------
    def _read(self) -> dict[str, Any]:
        try:
            return json.loads(self.pin_file.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise NoTechnicianPin("no technician PIN is set on this kiosk; set one with "
                                  "`kiosk provision --set-technician-pin`") from error
        except (OSError, ValueError) as error:
            raise NoTechnicianPin("the technician PIN file is unreadable; set the PIN again "
                                  "with `kiosk provision --set-technician-pin`") from error

    def _write(self, state: dict[str, Any]) -> None:
        self.pin_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.pin_file.with_name(self.pin_file.name + ".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(state, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.pin_file)

    def _record(self, action: str, **details: Any) -> None:
        if self._audit is not None:
            self._audit("technician", "technician", action, None, details or None)
        log.info("technician %s %s", action, details or "")

    # -- PIN ------------------------------------------------------------------------------
    @property
    def has_pin(self) -> bool:
        return self.pin_file.exists()

    def set_pin(self, pin: str) -> None:
        """Store a new PIN (6–12 digits) as a salted scrypt hash; clears any lockout."""
        validate_pin(pin)
        salt = secrets.token_bytes(16)
        self._write({"scheme": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                     "salt": base64.b64encode(salt).decode("ascii"),
                     "hash": base64.b64encode(_scrypt(pin, salt, SCRYPT_N, SCRYPT_R,
                                                      SCRYPT_P)).decode("ascii"),
                     "failures": 0, "locked_until": 0.0})
        self._record("technician.pin_set")

    def lockout_remaining_s(self) -> float:
        """Seconds until the next attempt is accepted (0 when not locked)."""
        return max(0.0, float(self._read().get("locked_until", 0.0)) - self._clock())

    def _lockout_for(self, failures: int) -> float:
        over = failures - self.max_failures
        if over < 0:
            return 0.0
        return min(MAX_LOCKOUT_S, FIRST_LOCKOUT_S * (2 ** over))

    def sign_in(self, pin: str) -> TechnicianSession:
        """Check the PIN; open a technician session or raise with what to do next."""
        state = self._read()
        now = self._clock()
        locked_until = float(state.get("locked_until", 0.0))
        if now < locked_until:
            wait = int(locked_until - now + 0.999)
            self._record("technician.sign_in_locked", wait_s=wait)
            raise TechnicianLocked(f"too many wrong PINs: try again in {wait} s")
        salt = base64.b64decode(state["salt"])
        candidate = _scrypt(pin, salt, int(state["n"]), int(state["r"]), int(state["p"]))
        if hmac.compare_digest(candidate, base64.b64decode(state["hash"])):
            state.update(failures=0, locked_until=0.0)
            self._write(state)
            self.session = TechnicianSession(started_at=now, last_activity=now)
            self._record("technician.sign_in")
            return self.session
        failures = int(state.get("failures", 0)) + 1
        lockout = self._lockout_for(failures)
        state.update(failures=failures, locked_until=now + lockout if lockout else 0.0)
        self._write(state)
        self._record("technician.sign_in_failed", failures=failures, lockout_s=int(lockout))
        if lockout:
            raise TechnicianLocked(f"wrong PIN; too many wrong PINs: try again in {int(lockout)} s")
        remaining = self.max_failures - failures
        raise WrongPin(f"wrong PIN; {remaining} tries left before a lockout", remaining)

    # -- the session ----------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.session is not None

    def touch(self) -> None:
        """A technician interaction: postpones the automatic exit."""
        if self.session is not None:
            self.session.last_activity = self._clock()

    def leave_if_idle(self) -> bool:
        """Leave technician mode after ``idle_timeout_s`` without activity; True if it left."""
        if self.session is None:
            return False
        if self._clock() - self.session.last_activity < self.idle_timeout_s:
            return False
        self._end("idle")
        return True

    def leave(self) -> None:
        if self.session is not None:
            self._end("exit")

    def _end(self, reason: str) -> None:
        assert self.session is not None
        minutes = round((self._clock() - self.session.started_at) / 60, 1)
        self.session = None
        self._record("technician.leave", reason=reason, minutes=minutes)
