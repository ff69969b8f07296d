"""Youth-union volunteers who help residents at the kiosk: sign-in, and who is helping now.

A volunteer signs in with their volunteer code and PIN (numeric, typed on the kiosk's
number pad). While signed in, every resident session is marked "assisted by" that
volunteer, on the dossier and in the audit log. Sign-out is explicit, and automatic when
the day ends. Wrong PINs are rate-limited per code (3 tries, then a lockout that doubles),
and every attempt is audited without personal data.

The register is a JSON file of ``{"code", "pin_sha": scrypt hash, "salt"}`` entries in the
kiosk's config folder; demo mode uses resources/demo/volunteers.json (invented people).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.errors import BadInput, KioskError

log = logging.getLogger(__name__)

FREE_TRIES = 3
FIRST_LOCKOUT_S = 60.0
MAX_LOCKOUT_S = 3600.0
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}

Audit = Callable[..., None]


# The demo register's invented volunteers and their PINs (README; resources/demo/volunteers.json
# holds only salted hashes): the walkthrough and tests sign in with them.
DEMO_VOLUNTEERS = {"1001": "246813", "1002": "972413"}


class VolunteerSignInRefused(BadInput):
    """Unknown code or wrong PIN: the message never says which (no code enumeration)."""


class VolunteerLocked(KioskError):
    """Too many wrong PINs for this code: wait, or ask the centre's staff."""


def pin_hash(pin: str, salt: bytes) -> str:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, **_SCRYPT).hex()


@dataclass(frozen=True)
class Volunteer:
    code: str
    signed_in_on: date


class VolunteerDesk:
    """Who is helping at this kiosk. Safe to call from the UI thread (scrypt ~50 ms)."""

    def __init__(self, register: Path, audit: Audit | None = None,
                 clock: Callable[[], float] = time.time,
                 today: Callable[[], date] = date.today) -> None:
        self.register = register
        self.audit = audit
        self.clock = clock
        self.today = today
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # code -> (failures, locked until)
        self._current: Volunteer | None = None

    def _entries(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.register.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {entry["code"]: entry for entry in data.get("volunteers", [])}

    def _record(self, action: str, code: str, **details: Any) -> None:
        if self.audit is not None:
            self.audit("volunteer", code, action, None, details or None)

    def sign_in(self, code: str, pin: str) -> Volunteer:
        code = code.strip()
        now = self.clock()
        with self._lock:
            failures, locked_until = self._failures.get(code, (0, 0.0))
            if now < locked_until:
                self._record("sign_in_refused_locked", code)
                raise VolunteerLocked(f"Tạm khoá đăng nhập {int(locked_until - now) + 1} giây. / "
                                      "Locked for a while after wrong PINs.")
            entry = self._entries().get(code)
            good = entry is not None and hmac.compare_digest(
                pin_hash(pin, bytes.fromhex(entry["salt"])), entry["pin_sha"])
            if not good:
                failures += 1
                lockout = 0.0
                if failures >= FREE_TRIES:
                    lockout = min(MAX_LOCKOUT_S, FIRST_LOCKOUT_S * 2 ** (failures - FREE_TRIES))
                self._failures[code] = (failures, now + lockout)
                self._record("sign_in_failed", code, failures=failures)
                raise VolunteerSignInRefused("Mã tình nguyện viên hoặc mã PIN không đúng. / "
                                             "Wrong volunteer code or PIN.")
            self._failures.pop(code, None)
            self._current = Volunteer(code, self.today())
        self._record("signed_in", code)
        log.info("volunteer signed in")
        return self._current

    def attest_holder(self, code: str, pin: str) -> Volunteer:
        """The volunteer signed in now confirms, with their PIN again, that they compared the
        resident's face with the card: a resident cannot press it for themselves, and a
        wrong PIN counts towards the same lock-out as a sign-in."""
        current = self.current()
        if current is None or current.code != code.strip():
            self._record("attest_refused_not_signed_in", code.strip())
            raise VolunteerSignInRefused("Chỉ tình nguyện viên đang đăng nhập mới xác nhận được. / "
                                         "Only the volunteer signed in here can confirm.")
        self.sign_in(code, pin)
        self._record("attested_holder", current.code)
        return current

    def current(self) -> Volunteer | None:
        """The volunteer helping now; none once the day they signed in on has ended."""
        with self._lock:
            volunteer = self._current
            if volunteer is not None and volunteer.signed_in_on != self.today():
                self._current = None
        if volunteer is not None and self._current is None:
            self._record("signed_out_day_end", volunteer.code)
            return None
        return self._current

    def sign_out(self) -> None:
        with self._lock:
            volunteer, self._current = self._current, None
        if volunteer is not None:
            self._record("signed_out", volunteer.code)


def write_register(path: Path, volunteers: dict[str, str], salt_source: Callable[[int], bytes]
                   ) -> None:
    """Write a register from {code: pin}; used by provisioning and the demo data."""
    entries = []
    for code, pin in volunteers.items():
        salt = salt_source(16)
        entries.append({"code": code, "salt": salt.hex(), "pin_sha": pin_hash(pin, salt)})
    path.write_text(json.dumps({"volunteers": entries}, indent=1) + "\n", encoding="utf-8")


def register_for(settings: Any) -> Path:
    """The register in force: the kiosk's own, or the demo one in demo mode."""
    own = Path(settings.config_dir) / "volunteers.json"
    if own.exists() or not settings.kiosk.demo:
        return own
    from kiosk.config import RESOURCES

    return RESOURCES / "demo" / "volunteers.json"
