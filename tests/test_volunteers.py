"""Volunteer sign-in: right PIN, rate-limited wrong PINs, day-end sign-out, all audited."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from kiosk.volunteers import VolunteerDesk, VolunteerLocked, VolunteerSignInRefused, write_register


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def desk(tmp_path: Path):
    register = tmp_path / "volunteers.json"
    write_register(register, {"1001": "246813"}, os.urandom)
    audited: list[tuple] = []
    clock = Clock()
    day = {"today": date(2026, 11, 22)}
    volunteers = VolunteerDesk(register, audit=lambda *entry: audited.append(entry), clock=clock,
                               today=lambda: day["today"])
    return volunteers, audited, clock, day


def test_sign_in_and_out(desk) -> None:
    """The right code and PIN sign the volunteer in; sign-out is explicit and audited."""
    volunteers, audited, _, _ = desk
    assert volunteers.sign_in("1001", "246813").code == "1001"
    assert volunteers.current().code == "1001"
    volunteers.sign_out()
    assert volunteers.current() is None
    assert [entry[2] for entry in audited] == ["signed_in", "signed_out"]


def test_wrong_pin_and_unknown_code_look_the_same(desk) -> None:
    """No way to tell a wrong PIN from an unknown code (no enumeration of volunteers)."""
    volunteers, _, _, _ = desk
    with pytest.raises(VolunteerSignInRefused) as wrong:
        volunteers.sign_in("1001", "000000")
    with pytest.raises(VolunteerSignInRefused) as unknown:
        volunteers.sign_in("9999", "246813")
    assert wrong.value.message == unknown.value.message


def test_rate_limited_after_three_wrong_pins(desk) -> None:
    """After three wrong PINs even the right one is refused until the lockout passes, and
    the lockout doubles with further failures."""
    volunteers, audited, clock, _ = desk
    for _ in range(3):
        with pytest.raises(VolunteerSignInRefused):
            volunteers.sign_in("1001", "111111")
    with pytest.raises(VolunteerLocked):
        volunteers.sign_in("1001", "246813")
    clock.now += 61
    with pytest.raises(VolunteerSignInRefused):
        volunteers.sign_in("1001", "111111")
    clock.now += 61
    with pytest.raises(VolunteerLocked):  # 120 s this time
        volunteers.sign_in("1001", "246813")
    clock.now += 61
    assert volunteers.sign_in("1001", "246813").code == "1001"
    assert sum(1 for entry in audited if entry[2] == "sign_in_failed") == 4


def test_signed_out_at_day_end(desk) -> None:
    """A volunteer who forgets to sign out is signed out when the day changes."""
    volunteers, audited, _, day = desk
    volunteers.sign_in("1001", "246813")
    day["today"] += timedelta(days=1)
    assert volunteers.current() is None
    assert audited[-1][2] == "signed_out_day_end"
