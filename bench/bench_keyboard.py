"""The Vietnamese keyboard and the scanners, in figures.

- typing cost: taps per character on the on-screen keyboard and Telex keys per character,
  over every demo resident's name and addresses, each plan checked to type back exactly;
- composition time per key press (it runs on the UI thread: it must stay far below a frame);
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
from kiosk.keyboard import Edit, apply_tone, insert  # noqa: E402
from kiosk.keyboard.plan import onscreen_taps, telex_keys, type_onscreen  # noqa: E402
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
    return {**_typing(), **_compose_time(quick), **_wedge(quick), **_serial(quick)}


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
