"""The resident's session as a state machine, with no Qt: which screen shows, and when it ends.

The journey follows REFERENCE §6 and the journey issue: attract → identify (QR or typed
ID + date of birth) → consent (nothing is read before it) → reading the chip → welcome →
choose a service → [verify the holder, when the procedure needs a higher assurance level
than the card alone gives] → form → review → submitting → receipt → rating → end. Every way out —
the resident finishing, walking away (inactivity), declining consent, removing the card
for good — goes through ``end()``, which wipes the session's personal data and returns
to the attract screen. The UI renders ``screen`` and sends events; it never decides.

Time is injected (``clock``) so tests drive timeouts without sleeping.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Screen(enum.StrEnum):
    ATTRACT = "attract"
    IDENTIFY = "identify"
    CONSENT = "consent"
    READING = "reading"
    WELCOME = "welcome"
    CHOOSE = "choose"
    VERIFY = "verify"
    FORM = "form"
    REVIEW = "review"
    SUBMITTING = "submitting"
    RECEIPT = "receipt"
    RATE = "rate"
    END = "end"


class Event(enum.StrEnum):
    START = "start"                      # touch on the attract screen, or a card tapped
    ACCESS_KEY_ENTERED = "access_key_entered"
    CONSENT_GIVEN = "consent_given"
    CONSENT_DECLINED = "consent_declined"
    CARD_READ = "card_read"
    CARD_FAILED = "card_failed"
    CONTINUE = "continue"
    SERVICE_CHOSEN = "service_chosen"
    VERIFY_NEEDED = "verify_needed"      # the chosen procedure needs more than the card gives
    VERIFIED = "verified"
    FORM_COMPLETE = "form_complete"
    EDIT = "edit"
    CONFIRMED = "confirmed"
    SUBMITTED = "submitted"
    RATED = "rated"
    BACK = "back"
    FINISH = "finish"


# (from, event) -> to. Anything not listed is refused: the UI cannot skip consent.
TRANSITIONS: dict[tuple[Screen, Event], Screen] = {
    (Screen.ATTRACT, Event.START): Screen.IDENTIFY,
    (Screen.IDENTIFY, Event.ACCESS_KEY_ENTERED): Screen.CONSENT,
    (Screen.IDENTIFY, Event.BACK): Screen.ATTRACT,
    (Screen.CONSENT, Event.CONSENT_GIVEN): Screen.READING,
    (Screen.CONSENT, Event.BACK): Screen.IDENTIFY,
    (Screen.READING, Event.CARD_READ): Screen.WELCOME,
    (Screen.READING, Event.CARD_FAILED): Screen.IDENTIFY,
    (Screen.WELCOME, Event.CONTINUE): Screen.CHOOSE,
    (Screen.CHOOSE, Event.SERVICE_CHOSEN): Screen.FORM,
    (Screen.CHOOSE, Event.VERIFY_NEEDED): Screen.VERIFY,
    (Screen.VERIFY, Event.VERIFIED): Screen.FORM,
    (Screen.VERIFY, Event.BACK): Screen.CHOOSE,
    (Screen.FORM, Event.FORM_COMPLETE): Screen.REVIEW,
    (Screen.FORM, Event.BACK): Screen.CHOOSE,
    (Screen.REVIEW, Event.EDIT): Screen.FORM,
    (Screen.REVIEW, Event.CONFIRMED): Screen.SUBMITTING,
    (Screen.SUBMITTING, Event.SUBMITTED): Screen.RECEIPT,
    (Screen.RECEIPT, Event.CONTINUE): Screen.RATE,
    (Screen.RATE, Event.RATED): Screen.END,
    (Screen.RATE, Event.FINISH): Screen.END,
}

# Screens where a session holds nothing personal yet, so a timeout needs no warning.
_QUIET_SCREENS = {Screen.ATTRACT, Screen.END}
# While the kiosk works (reading, sending) the resident is waiting, not idle.
_BUSY_SCREENS = {Screen.READING, Screen.SUBMITTING}


class JourneyError(Exception):
    """An event that makes no sense on the current screen: a UI bug, never a resident's."""


@dataclass
class Session:
    """Everything the kiosk knows about the resident in front of it. Wiped at the end."""

    language: str = "vi"
    large_text: bool = False
    high_contrast: bool = False
    assisted_by: str | None = None
    access_key: Any = None
    consent: dict[str, Any] | None = None
    identity: Any = None
    identification: Any = None     # kiosk.identity.assurance.Identification
    procedure_code: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    last_error: str | None = None

    def wipe(self) -> None:
        """Drop every reference to personal data; objects that can scrub themselves do."""
        for value in (self.identity, self.access_key, self.identification):
            scrub = getattr(value, "wipe", None)
            if callable(scrub):
                scrub()
        self.access_key = self.consent = self.identity = self.result = None
        self.identification = None
        self.procedure_code = self.last_error = None
        self.answers.clear()


@dataclass(frozen=True)
class Timing:
    idle_timeout_s: float = 90.0
    warning_s: float = 30.0


class Journey:
    """One kiosk's sequence of sessions. Not thread-safe: drive it from one thread (the UI's)."""

    def __init__(self, timing: Timing = Timing(), default_language: str = "vi",
                 clock: Callable[[], float] = time.monotonic,
                 on_end: Callable[[str], None] | None = None) -> None:
        self.timing = timing
        self.default_language = default_language
        self.clock = clock
        self.on_end = on_end
        self.screen = Screen.ATTRACT
        self.session = Session(language=default_language)
        self._last_activity = clock()
        self._listeners: list[Callable[[Journey], None]] = []
        self.sessions_completed = 0

    # --- observation -------------------------------------------------------------------
    def subscribe(self, listener: Callable[[Journey], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    # --- events ------------------------------------------------------------------------
    def can(self, event: Event) -> bool:
        return (self.screen, event) in TRANSITIONS

    def send(self, event: Event) -> Screen:
        """Move to the next screen, or refuse loudly if the event does not fit here."""
        target = TRANSITIONS.get((self.screen, event))
        if target is None:
            raise JourneyError(f"event {event.value!r} is not allowed on screen {self.screen.value!r}")
        if event is Event.ACCESS_KEY_ENTERED and self.session.access_key is None:
            raise JourneyError("an access key must be set before leaving the identify screen")
        if target is Screen.READING and not self.session.consent:
            raise JourneyError("no chip read before consent")
        self.touch()
        if target is Screen.END:
            self.end("finished")
            return self.screen
        self.screen = target
        self._changed()
        return self.screen

    def give_consent(self, text_version: str, purposes: tuple[str, ...]) -> None:
        """Record what the resident agreed to, then allow the chip to be read."""
        self.session.consent = {"text_version": text_version, "purposes": list(purposes),
                                "at": time.time()}
        self.send(Event.CONSENT_GIVEN)

    def set_language(self, language: str) -> None:
        if language not in ("vi", "en"):
            raise JourneyError(f"unsupported language {language!r}")
        self.session.language = language
        self.touch()
        self._changed()

    def touch(self) -> None:
        """The resident did something: restart the inactivity clock."""
        self._last_activity = self.clock()

    # --- time --------------------------------------------------------------------------
    def idle_seconds(self) -> float:
        return self.clock() - self._last_activity

    def warning_remaining(self) -> float | None:
        """Seconds left on the timeout warning, or None when no warning should show."""
        if self.screen in _QUIET_SCREENS or self.screen in _BUSY_SCREENS:
            return None
        idle = self.idle_seconds()
        if idle < self.timing.idle_timeout_s:
            return None
        return max(0.0, self.timing.idle_timeout_s + self.timing.warning_s - idle)

    def tick(self) -> None:
        """Called about once a second by the UI: ends a session nobody is attending."""
        if self.screen in _BUSY_SCREENS:
            return
        if self.screen is Screen.ATTRACT:
            if self.session.language != self.default_language and self.idle_seconds() > \
                    self.timing.idle_timeout_s:
                self.session.language = self.default_language
                self._changed()
            return
        remaining = self.warning_remaining()
        if remaining is not None and remaining <= 0:
            self.end("timeout")
        elif remaining is not None:
            self._changed()

    # --- the end -------------------------------------------------------------------------
    def end(self, reason: str) -> None:
        """Wipe everything personal and return to the attract screen, whatever the reason."""
        had_session = self.screen is not Screen.ATTRACT
        self.session.wipe()
        self.session = Session(language=self.default_language)
        self.screen = Screen.ATTRACT
        self.touch()
        if had_session:
            self.sessions_completed += 1
            if self.on_end is not None:
                self.on_end(reason)
        self._changed()
