"""Sync benchmark (issue 5, ``make bench``): draining a 10,000-dossier backlog to the portal
simulator on loopback, and a 200-kiosk fleet reconnecting after an outage.

Figures: dossiers per second (goal ≥ 200) and HTTP requests per dossier (goal ≤ 1.02 on a
clean network, counted both by the kiosk's client and by the simulator's request log); the
fleet's peak/steady request-rate ratio with jitter (goal ≤ 2) and without (the herd).
``run(quick=True)`` is a smoke test of a few seconds. The simulator runs in its own process.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "sync"))  # the fleet harness lives with the tests

from fleet import SimulatorProcess, run_fleet  # noqa: E402
from sync_fixtures import dossier, sync_settings  # noqa: E402

from kiosk.store import open_store  # noqa: E402
from kiosk.sync import PortalClient, SyncEngine  # noqa: E402


class TimedStore:
    """The store, with the time spent in each call the sender makes added up (bench only)."""

    def __init__(self, store) -> None:  # noqa: ANN001
        self._store = store
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def __getattr__(self, name: str):  # noqa: ANN204
        method = getattr(self._store, name)
        if not callable(method):
            return method

        def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
                self.calls[name] = self.calls.get(name, 0) + 1

        return timed

    def mean_ms(self, name: str) -> float:
        return round(1000 * self.seconds.get(name, 0.0) / max(self.calls.get(name, 1), 1), 3)


def drain(folder: Path, count: int, workers: int = 2) -> dict:
    """Queue ``count`` dossiers, then time one sender draining them to the simulator."""
    store = open_store(folder / "kiosk.db", os.urandom(32))
    started = time.perf_counter()
    for number in range(count):
        store.capture(dossier(number))
    capture_s = time.perf_counter() - started
    portal = SimulatorProcess(folder / "portal")
    settings = sync_settings(**{"sync.workers": workers})
    client = PortalClient(portal.url, kiosk_id="KIOSK-BENCH", centre_code="HN-01001")
    timed = TimedStore(store)
    engine = SyncEngine(timed, client, settings)
    try:
        started = time.perf_counter()
        outcomes = engine.run_once(deadline_s=3600)
        drain_s = time.perf_counter() - started
        server_requests = len(portal.admin("GET", "/stats")["requests"])
        received = portal.admin("GET", "/stats")["counts"]["submissions"]
    finally:
        client.close()
        store.close()
        portal.stop()
    accepted = sum(1 for outcome in outcomes if outcome.result == "accepted")
    return {"dossiers": count, "sender_workers": workers, "accepted": accepted, "received_by_portal": received,
            "drain_s": round(drain_s, 3), "dossiers_per_s": round(accepted / drain_s, 1),
            "requests_per_dossier_client": round(client.requests_sent / count, 4),
            "requests_per_dossier_server": round(server_requests / count, 4),
            "capture_s": round(capture_s, 3),
            "store_claim_next_ms": timed.mean_ms("claim_next"),
            "store_mark_accepted_ms": timed.mean_ms("mark_accepted"),
            "store_share_of_drain": round(sum(timed.seconds.values()) / workers / drain_s, 3)}


def fleet(folder: Path, kiosks: int, outage_s: float, cap_s: float) -> dict:
    options = dict(kiosks=kiosks, dossiers_each=2, probe_base_s=cap_s / 20, probe_cap_s=cap_s,
                   outage_s=outage_s, bins=8, timeout_s=120)
    spread = run_fleet(folder / "jitter", jitter=True, **options)
    herd = run_fleet(folder / "herd", jitter=False, **options)
    return {"kiosks": kiosks, "dossiers": spread.dossiers, "outage_s": outage_s, "probe_cap_s": cap_s,
            "peak_ratio_jitter": round(spread.peak_ratio, 2), "peak_ratio_no_jitter": round(herd.peak_ratio, 2),
            "scheduled_peak_ratio_jitter": round(spread.scheduled_peak_ratio, 2),
            "scheduled_peak_ratio_no_jitter": round(herd.scheduled_peak_ratio, 2),
            "bins_jitter": list(spread.counts), "bins_no_jitter": list(herd.counts),
            "drained_jitter": spread.drained, "drained_no_jitter": herd.drained,
            "drain_s_jitter": round(spread.drain_s, 2), "drain_s_no_jitter": round(herd.drain_s, 2),
            "requests_per_dossier_jitter": round(spread.requests / spread.dossiers, 3),
            "definition": "steady = reconnection requests / window (window = max(probe cap, last "
                          "arrival)); peak = busiest of 8 equal bins; arrivals logged by the simulator. "
                          "scheduled_* = the same over the probe times the kiosks had planned when the "
                          "outage ended (offered load, not flattened by server or harness capacity)"}


def run(quick: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as temporary:
        folder = Path(temporary)
        figures = {"drain": drain(folder / "drain", 200 if quick else 10_000)}
        if not quick:  # the same with a backlog a tenth the size: how the rate depends on it
            figures["drain_1000"] = drain(folder / "drain-1000", 1_000)
        if quick:
            figures["fleet"] = fleet(folder / "fleet", kiosks=10, outage_s=1.0, cap_s=0.4)
        else:
            figures["fleet"] = fleet(folder / "fleet", kiosks=200, outage_s=12.0, cap_s=2.0)
    figures["goals"] = {"dossiers_per_s": 200, "requests_per_dossier": 1.02, "peak_ratio_jitter": 2.0}
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
