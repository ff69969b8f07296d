"""The resident's journey: the order of screens, consent before reading, timeouts and wipes."""

from __future__ import annotations

import pytest

from kiosk.journey import Event, Journey, JourneyError, Screen, Timing


class FakeClock:
    """A clock the test moves by hand, so timeouts are tested without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class SecretKey:
    def __init__(self) -> None:
        self.wiped = False

    def wipe(self) -> None:
        self.wiped = True


def started(clock: FakeClock | None = None, **kwargs) -> Journey:
    journey = Journey(Timing(idle_timeout_s=60, warning_s=20), clock=clock or FakeClock(), **kwargs)
    journey.send(Event.START)
    return journey


def test_happy_path_visits_every_screen_in_order() -> None:
    """A resident who finishes goes attract → … → rate and back to attract, wiped."""
    journey = started()
    journey.session.access_key = SecretKey()
    seen = [journey.screen]
    journey.send(Event.ACCESS_KEY_ENTERED)
    seen.append(journey.screen)
    journey.give_consent("consent-v1", ("read_chip", "lookup"))
    seen.append(journey.screen)
    for event in (Event.CARD_READ, Event.CONTINUE, Event.SERVICE_CHOSEN, Event.FORM_COMPLETE,
                  Event.CONFIRMED, Event.SUBMITTED, Event.CONTINUE):
        journey.send(event)
        seen.append(journey.screen)
    assert seen == [Screen.IDENTIFY, Screen.CONSENT, Screen.READING, Screen.WELCOME, Screen.CHOOSE,
                    Screen.FORM, Screen.REVIEW, Screen.SUBMITTING, Screen.RECEIPT, Screen.RATE]
    key = journey.session.access_key
    journey.send(Event.RATED)
    assert journey.screen is Screen.ATTRACT
    assert key.wiped and journey.session.access_key is None
    assert journey.sessions_completed == 1


def test_no_chip_read_before_consent() -> None:
    """The reading screen cannot be reached without a recorded consent."""
    journey = started()
    journey.session.access_key = SecretKey()
    journey.send(Event.ACCESS_KEY_ENTERED)
    with pytest.raises(JourneyError):
        journey.send(Event.CONSENT_GIVEN)
    assert journey.screen is Screen.CONSENT


def test_events_that_do_not_fit_are_refused() -> None:
    """The UI cannot skip screens: submitting from the identify screen is an error."""
    journey = started()
    with pytest.raises(JourneyError):
        journey.send(Event.SUBMITTED)
    with pytest.raises(JourneyError):
        journey.send(Event.ACCESS_KEY_ENTERED)  # no access key yet


def test_inactivity_warns_then_ends_and_wipes() -> None:
    """After the idle time a warning counts down (≥ 20 s); at zero the session is wiped."""
    clock = FakeClock()
    ended: list[str] = []
    journey = started(clock, on_end=ended.append)
    journey.session.answers["child_name"] = "Nguyễn Minh Khang"
    clock.now += 59
    journey.tick()
    assert journey.warning_remaining() is None
    clock.now += 2
    journey.tick()
    assert journey.warning_remaining() == pytest.approx(19)
    assert journey.screen is Screen.IDENTIFY
    clock.now += 19
    journey.tick()
    assert journey.screen is Screen.ATTRACT
    assert journey.session.answers == {}
    assert ended == ["timeout"]


def test_touch_during_warning_extends_the_session() -> None:
    """'I need more time' (any touch) restarts the idle clock."""
    clock = FakeClock()
    journey = started(clock)
    clock.now += 70
    assert journey.warning_remaining() is not None
    journey.touch()
    assert journey.warning_remaining() is None
    clock.now += 30
    journey.tick()
    assert journey.screen is Screen.IDENTIFY


def test_busy_screens_never_time_out() -> None:
    """While the kiosk reads the card or sends the dossier, the resident is not idle."""
    clock = FakeClock()
    journey = started(clock)
    journey.session.access_key = SecretKey()
    journey.send(Event.ACCESS_KEY_ENTERED)
    journey.give_consent("consent-v1", ("read_chip",))
    clock.now += 10_000
    journey.tick()
    assert journey.screen is Screen.READING


def test_language_resets_for_the_next_resident() -> None:
    """A resident who switched to English leaves; the next one is greeted in Vietnamese."""
    clock = FakeClock()
    journey = started(clock)
    journey.set_language("en")
    journey.end("walked away")
    assert journey.session.language == "vi"
    with pytest.raises(JourneyError):
        journey.set_language("fr")
