"""Assurance levels: the mapping from passed methods to a level, and what the verify step offers."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from kiosk.identity.assurance import (
    ADDABLE,
    Evidence,
    Identification,
    Level,
    Method,
    level_of,
    methods_reaching,
)

AT = datetime(2026, 11, 22, 8, 30, tzinfo=UTC)
M = Method


@pytest.mark.parametrize(("methods", "level"), [
    (set(), Level.NONE),
    ({M.CARD_READ}, Level.LOW),
    ({M.CARD_GENUINE}, Level.LOW),
    ({M.VNEID_L1}, Level.LOW),
    ({M.CARD_READ, M.FACE_LIVENESS}, Level.LOW),          # a face matched to a possibly forged photo
    ({M.CARD_READ, M.VOLUNTEER}, Level.LOW),
    ({M.CARD_GENUINE, M.FACE_LIVENESS}, Level.SUBSTANTIAL),
    ({M.CARD_GENUINE, M.VOLUNTEER}, Level.SUBSTANTIAL),
    ({M.VNEID_L2}, Level.SUBSTANTIAL),
    ({M.CARD_READ, M.VNEID_L2}, Level.SUBSTANTIAL),
    ({M.CARD_GENUINE, M.FACE_LIVENESS, M.VNEID_L2}, Level.HIGH),
    ({M.CARD_GENUINE, M.FACE_LIVENESS, M.VOLUNTEER}, Level.HIGH),
    ({M.CARD_GENUINE, M.VOLUNTEER, M.VNEID_L2}, Level.SUBSTANTIAL),   # no face: not high
    ({M.CARD_READ, M.FACE_LIVENESS, M.VNEID_L2}, Level.SUBSTANTIAL),
])
def test_each_path_maps_to_its_documented_level(methods: set[Method], level: Level) -> None:
    """The table in kiosk/identity/assurance.py and docs/identity.md, path by path."""
    assert level_of(methods) is level


def test_adding_a_method_never_lowers_the_level() -> None:
    """Monotone: more evidence can only help, over every subset of methods."""
    every = list(Method)
    for size in range(len(every) + 1):
        for combo in itertools.combinations(every, size):
            base = level_of(set(combo))
            for extra in every:
                assert level_of(set(combo) | {extra}) >= base


def test_verify_step_offers_only_methods_that_reach_the_procedure_level() -> None:
    """A genuine card needs one holder check for 'substantial'; a non-genuine card only VNeID."""
    everything = set(ADDABLE)
    assert methods_reaching({M.CARD_GENUINE}, Level.SUBSTANTIAL, everything) == [
        M.FACE_LIVENESS, M.VNEID_L2, M.VOLUNTEER]
    assert methods_reaching({M.CARD_READ}, Level.SUBSTANTIAL, everything) == [M.VNEID_L2]
    assert methods_reaching({M.CARD_GENUINE}, Level.SUBSTANTIAL, {M.VOLUNTEER}) == [M.VOLUNTEER]
    assert methods_reaching({M.CARD_GENUINE, M.FACE_LIVENESS}, Level.HIGH, everything) == [
        M.VNEID_L2, M.VOLUNTEER]


def test_a_procedure_refuses_a_too_low_level_when_nothing_available_reaches_it() -> None:
    """An untrusted card, no network (no VNeID), a volunteer present: nothing reaches
    'substantial', so the journey must send the resident to the counter."""
    assert methods_reaching({M.CARD_READ}, Level.SUBSTANTIAL, {M.FACE_LIVENESS, M.VOLUNTEER}) == []


def test_identification_record_holds_outcomes_only() -> None:
    """The dossier gets level, methods, decisions, bands and times — nothing biometric."""
    ident = Identification.from_card("genuine", AT)
    assert ident.level is Level.LOW
    ident.add(Evidence(M.FACE_LIVENESS, False, AT, detail="liveness_timeout"))
    assert ident.level is Level.LOW and ident.attempts(M.FACE_LIVENESS) == 1
    assert ident.add(Evidence(M.FACE_LIVENESS, True, AT, band="strong")) is Level.SUBSTANTIAL
    record = ident.as_record()
    assert record == {"level": "substantial", "methods": [
        {"method": "card_genuine", "decision": "passed", "at": "2026-11-22T08:30:00+00:00"},
        {"method": "face_liveness", "decision": "failed", "at": "2026-11-22T08:30:00+00:00",
         "detail": "liveness_timeout"},
        {"method": "face_liveness", "decision": "passed", "at": "2026-11-22T08:30:00+00:00",
         "band": "strong"}]}
    ident.wipe()
    assert ident.level is Level.NONE


def test_untrusted_card_is_recorded_as_a_plain_read() -> None:
    ident = Identification.from_card("untrusted_issuer", AT)
    assert ident.passed() == {M.CARD_READ}
    assert ident.as_record()["methods"][0]["detail"] == "untrusted_issuer"


def test_spec_level_names_parse_and_unknown_names_are_refused() -> None:
    assert Level.named("substantial") is Level.SUBSTANTIAL and Level.named("HIGH") is Level.HIGH
    with pytest.raises(ValueError):
        Level.named("medium")
