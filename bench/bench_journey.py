"""Resident sessions back to back: memory after 500 sessions, and the walkthrough figures.

Each session goes the whole way through the real window and view-models (card read on the
virtual chip, lookup and submission to the simulator, receipt), driven at the view-model
level so hundreds fit in a bench run. RSS is read after session 100 (warm) and after the
last one; the goal (journey issue) is ≤ 300 MB with growth ≤ 5 %.
"""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = r'''
import gc, json, os, sys, tempfile, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication, QEvent
from kiosk.app import build_kiosk
from kiosk.config import load_settings
from kiosk.demo_residents import card_qr_text

sessions, warm = int(sys.argv[1]), int(sys.argv[2])
home = tempfile.mkdtemp()
settings = load_settings(demo=True, environ={}, overrides={
    "paths.data_dir": home + "/d", "paths.state_dir": home + "/s",
    "paths.config_dir": home + "/c", "paths.cache_dir": home + "/x"})
kiosk = build_kiosk(settings)
assert kiosk.services.ready.wait(60)
model, session = kiosk.window.model, kiosk.session

def pump(until, timeout=30.0):
    end = time.monotonic() + timeout
    while not until():
        QCoreApplication.processEvents()
        # As the real event loop does at top level: objects given to deleteLater go now.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        time.sleep(0.002)
        if time.monotonic() > end:
            raise RuntimeError(f"stuck on {model.screen}: {session.error}")

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

people = ["001090012345", "020088007890", "079301004567"]
samples, started = {}, time.perf_counter()
for n in range(1, sessions + 1):
    person = people[n % len(people)]
    model.start()
    kiosk.services.desk.reader.place(person)
    session.scanQr(card_qr_text(person))
    session.consentAndRead()
    pump(lambda: model.screen == "welcome")
    session.continueToServices()
    session.chooseService("permanent_residence")
    if model.screen == "verify":  # a volunteer confirms the holder: no camera, no waiting
        if kiosk.volunteer.code == "":
            kiosk.volunteer.signIn("1001", "246813")
        kiosk.verify.choose("volunteer_attested")
        kiosk.verify.attest("246813")
    while model.screen == "form":
        for field in session.page["fields"]:
            if field["value"] == "" and field["required"] and field["options"]:
                session.setField(field["key"], field["options"][0]["value"])
        session.nextPage()
    kiosk.outcome.submit()
    pump(lambda: model.screen == "receipt")
    kiosk.outcome.continueToRating()
    kiosk.outcome.rate(4)
    pump(lambda: model.screen == "attract")
    assert not session.holds_personal_data()
    if n in (warm, sessions):
        gc.collect()
        samples[n] = rss_mb()
print(json.dumps({"sessions": sessions, "rss_mb": samples,
                  "seconds_per_session": (time.perf_counter() - started) / sessions}))
kiosk.close()
'''


def run(quick: bool = False) -> dict:
    sessions, warm = (20, 5) if quick else (500, 100)
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(sessions), str(warm)],
                            capture_output=True, text=True, timeout=3600, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    rss = {int(k): v for k, v in report["rss_mb"].items()}
    growth = (rss[sessions] - rss[warm]) / rss[warm]
    return {
        "sessions": sessions,
        "rss_mb_after_warmup": round(rss[warm], 1),
        "rss_mb_after_all": round(rss[sessions], 1),
        "rss_growth_ratio": round(growth, 4),
        "goal_rss_mb": 300,
        "goal_growth_ratio": 0.05,
        "seconds_per_session": round(report["seconds_per_session"], 3),
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
