"""The Vietnamese keyboard and the scanners, in figures.

- typing cost: taps per character on the on-screen keyboard and Telex keys per character,
  over every demo resident's name and addresses, each plan checked to type back exactly;
- composition time per key press (it runs on the UI thread: it must stay far below a frame);
- word suggestions: time per key press to compute the chips (goal ≤ 2 ms, UI thread), the
  lexicons' build time, and the taps saved by the chips on the procedures' typical answers
  and the demo residents' names and addresses (each plan checked to type back exactly);
- keyboard-wedge detection: scans recognised among scanner-speed bursts with jitter, and
  false scans among person-speed typing, at the default 50 ms gap;
- serial scanner over a pty: latency from the last byte written to the scan callback.
"""

from __future__ import annotations

import os
import queue
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.demo_residents import demo_residents  # noqa: E402
from kiosk.devices.scanner import Scan, SerialScanner, WedgeAssembler  # noqa: E402
from kiosk.forms.stats import typical_typed_texts
from kiosk.keyboard import Edit, apply_tone, insert  # noqa: E402
from kiosk.keyboard.plan import (  # noqa: E402
    onscreen_taps,
    suggested_taps,
    telex_keys,
    type_onscreen,
)
from kiosk.keyboard.suggest import (  # noqa: E402
    SessionWords,
    Suggester,
    names_lexicon,
    places_lexicon,
)
from kiosk.keyboard.telex import Telex  # noqa: E402

FIELDS = ("full_name", "residence", "place_of_origin", "father_name", "mother_name")


def _typing() -> dict:
    texts = sorted({person[field] for person in demo_residents() for field in FIELDS
                    if person.get(field)})
    names = sorted({person["full_name"] for person in demo_residents()})
    chars = taps = keys = exact = name_chars = name_taps = 0
    for text in texts:
        plan = onscreen_taps(text)
        if plan is None:
            continue
        machine = Telex()
        for key in telex_keys(text):
            machine.press(key)
        exact += type_onscreen(plan) == text and machine.text == text
        chars += len(text)
        taps += len(plan)
        keys += len(telex_keys(text))
        if text in names:
            name_chars += len(text)
            name_taps += len(plan)
    return {
        "texts": len(texts),
        "texts_typed_back_exactly": exact,
        "onscreen_taps_per_char": round(taps / chars, 3),
        "onscreen_taps_per_char_names": round(name_taps / name_chars, 3),
        "telex_keys_per_char": round(keys / chars, 3),
    }


def _compose_time(quick: bool) -> dict:
    rounds = 200 if quick else 2000
    start = time.perf_counter()
    presses = 0
    for _ in range(rounds):
        edit = Edit("", 0)
        for key in "Nguyen Thi Hoa":
            edit = insert(*edit, key)
            presses += 1
        edit = apply_tone(*edit, "huyen")
        presses += 1
    elapsed = time.perf_counter() - start
    return {"compose_s_per_key": elapsed / presses, "compose_keys_timed": presses}


def _suggestions(quick: bool) -> dict:
    started = time.perf_counter()
    places_lexicon.cache_clear()
    names_lexicon.cache_clear()
    sizes = len(places_lexicon()) + len(names_lexicon())
    build_s = time.perf_counter() - started
    texts = typical_typed_texts()
    texts += [("name" if field.endswith("name") else "text", person[field])
              for person in demo_residents() for field in FIELDS if person.get(field)]
    texts = sorted(set(texts))
    plain = with_chips = exact = 0
    for kind, text in texts:
        suggester = Suggester.for_field(kind, (), SessionWords())
        taps = suggested_taps(text, suggester) or []
        exact += type_onscreen(taps, suggester=suggester) == text
        plain += len(onscreen_taps(text) or [])
        with_chips += len(taps)
    # Per key press, as the UI computes it: every prefix of every text, cold caches first.
    timings = []
    rounds = 1 if quick else 5
    for round_ in range(rounds):
        if round_ == 0:
            places_lexicon()._cache.clear()
            names_lexicon()._cache.clear()
        for kind, text in texts:
            suggester = Suggester.for_field(kind, ("Bổ sung hồ sơ xin việc", "Du học"),
                                            SessionWords())
            for end in range(1, len(text) + 1):
                began = time.perf_counter()
                suggester.suggest(text[:end])
                timings.append(time.perf_counter() - began)
    timings.sort()
    return {
        "suggest_lexicon_entries": sizes,
        "suggest_lexicon_build_s": round(build_s, 4),
        "suggest_texts": len(texts),
        "suggest_texts_typed_back_exactly": exact,
        "suggest_taps_without_chips": plain,
        "suggest_taps_with_chips": with_chips,
        "suggest_taps_ratio": round(with_chips / plain, 3),
        "suggest_s_per_key_median": round(statistics.median(timings), 6),
        "suggest_s_per_key_p99": round(timings[int(len(timings) * 0.99)], 6),
        "suggest_s_per_key_max": round(timings[-1], 6),
        "suggest_keys_timed": len(timings),
    }


def _wedge(quick: bool) -> dict:
    rng = random.Random(7)
    trials = 200 if quick else 2000
    text = "001090012345||Nguyen Van An|15021990|Nam|So 12 ngo 34|10052021"
    found = false_scans = 0
    for _ in range(trials):
        got: list[Scan] = []
        wedge = WedgeAssembler(got.append)
        now = 0.0
        for char in text + "\r":
            # USB HID scanners: a few ms per character, the odd 30 ms scheduling hiccup.
            now += rng.uniform(0.002, 0.012) if rng.random() > 0.01 else 0.03
            wedge.key(char, now)
        found += len(got) == 1 and got[0].text == text
        person: list[Scan] = []
        wedge = WedgeAssembler(person.append)
        now = 0.0
        for char in "001090012345\r":
            # A quick typist: log-normal gaps around 180 ms, some down to ~60 ms.
            now += max(0.04, rng.lognormvariate(-1.7, 0.45))
            wedge.key(char, now)
        false_scans += len(person)
    return {"wedge_trials": trials, "wedge_scans_recognised_ratio": found / trials,
            "wedge_false_scans_from_typing_ratio": false_scans / trials}


def _serial(quick: bool) -> dict:
    scans_wanted = 20 if quick else 200
    master, slave = os.openpty()
    got: queue.Queue[tuple[Scan, float]] = queue.Queue()
    scanner = SerialScanner(os.ttyname(slave), lambda scan: got.put((scan, time.perf_counter())),
                            frame_gap_s=0.2)
    scanner.start()
    latencies = []
    try:
        if not scanner.connected.wait(5):
            return {"serial_error": "pty did not open"}
        payload = "001090012345||Nguyễn Văn An|15021990|Nam|Số 12 ngõ 34|10052021\r\n".encode()
        for _ in range(scans_wanted):
            sent = time.perf_counter()
            os.write(master, payload)
            scan, at = got.get(timeout=5)
            latencies.append(at - sent)
    finally:
        scanner.stop()
        os.close(master)
        os.close(slave)
    return {"serial_scans": len(latencies),
            "serial_latency_s_median": round(statistics.median(latencies), 6),
            "serial_latency_s_max": round(max(latencies), 6)}


def run(quick: bool = False) -> dict:
    return {**_typing(), **_compose_time(quick), **_suggestions(quick), **_wedge(quick),
            **_serial(quick)}


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
