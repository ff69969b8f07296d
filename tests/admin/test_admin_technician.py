"""Technician sign-in: slow hash, growing lockout that survives restarts, audit, idle exit."""

from __future__ import annotations

import json
import stat

import pytest

from kiosk.admin.errors import NoTechnicianPin, TechnicianLocked
from kiosk.admin.technician import FIRST_LOCKOUT_S, TechnicianGate, WrongPin
from kiosk.errors import BadInput

PIN = "730519"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(kiosk_home):
    from kiosk.config import load_settings
    from kiosk.store import open_configured_store

    store = open_configured_store(load_settings(demo=True,
                                                overrides={"store.key_backend": "keyfile"}))
    yield store
    store.close()


def gate(tmp_path, clock, audit=None, **kwargs) -> TechnicianGate:
    return TechnicianGate(tmp_path / "technician-pin.json", audit=audit, clock=clock,
                          max_failures=3, idle_timeout_s=300, **kwargs)


def test_pin_is_stored_as_a_salted_slow_hash(tmp_path):
    """The file holds an scrypt hash with its parameters, never the PIN, readable by owner only."""
    g = gate(tmp_path, Clock())
    g.set_pin(PIN)
    stored = json.loads(g.pin_file.read_text())
    assert stored["scheme"] == "scrypt" and stored["n"] >= 2**15
    assert PIN not in g.pin_file.read_text()
    assert stat.S_IMODE(g.pin_file.stat().st_mode) == 0o600
    other = gate(tmp_path / "b", Clock())
    other.set_pin(PIN)
    assert json.loads(other.pin_file.read_text())["hash"] != stored["hash"]  # salted


def test_weak_or_malformed_pins_are_refused(tmp_path):
    """Too short, non-digits, repeated or sequential PINs are refused with the rule."""
    g = gate(tmp_path, Clock())
    for bad in ("1234", "abcdef", "111111", "123456", "987654", "1234567890123"):
        with pytest.raises(BadInput):
            g.set_pin(bad)
    assert not g.has_pin


def test_no_pin_set_says_how_to_set_one(tmp_path):
    """Signing in on a kiosk without a PIN explains how to set it."""
    with pytest.raises(NoTechnicianPin, match="set-technician-pin"):
        gate(tmp_path, Clock()).sign_in(PIN)


def test_lockout_grows_and_survives_a_restart(tmp_path, store):
    """After 3 wrong PINs attempts are refused for 30 s, then 60 s, even from a new gate."""
    clock = Clock()
    g = gate(tmp_path, clock, audit=store.audit)
    g.set_pin(PIN)
    for remaining in (2, 1):
        with pytest.raises(WrongPin) as wrong:
            g.sign_in("000001")
        assert wrong.value.remaining == remaining
    with pytest.raises(TechnicianLocked, match="30 s"):
        g.sign_in("000002")
    restarted = gate(tmp_path, clock, audit=store.audit)  # a reboot does not reset it
    with pytest.raises(TechnicianLocked):
        restarted.sign_in(PIN)  # even the right PIN waits
    clock.now += FIRST_LOCKOUT_S
    with pytest.raises(TechnicianLocked, match="60 s"):
        restarted.sign_in("000003")
    clock.now += 2 * FIRST_LOCKOUT_S
    assert restarted.sign_in(PIN) is not None
    assert restarted.lockout_remaining_s() == 0
    actions = [e["action"] for e in store.audit_entries(limit=50)]
    assert actions.count("technician.sign_in_failed") == 4
    assert actions.count("technician.sign_in_locked") == 1
    assert actions.count("technician.sign_in") == 1
    assert PIN not in json.dumps(store.audit_entries(limit=50))


def test_right_pin_resets_the_failure_count(tmp_path):
    """A success clears earlier failures, so occasional typos never add up to a lockout."""
    clock = Clock()
    g = gate(tmp_path, clock)
    g.set_pin(PIN)
    for _ in range(2):
        with pytest.raises(WrongPin):
            g.sign_in("000001")
    g.sign_in(PIN)
    g.leave()
    with pytest.raises(WrongPin) as wrong:
        g.sign_in("000001")
    assert wrong.value.remaining == 2


def test_session_leaves_after_inactivity(tmp_path, store):
    """Technician mode ends by itself after the idle timeout; touches postpone it; audited."""
    clock = Clock()
    g = gate(tmp_path, clock, audit=store.audit)
    g.set_pin(PIN)
    g.sign_in(PIN)
    clock.now += 200
    g.touch()
    clock.now += 200
    assert not g.leave_if_idle() and g.active
    clock.now += 101
    assert g.leave_if_idle() and not g.active
    leave = [e for e in store.audit_entries(limit=10) if e["action"] == "technician.leave"]
    assert leave and "idle" in json.dumps(leave[0], ensure_ascii=False)
