"""A fleet of kiosks reconnecting after a portal outage: the harness shared by the CI test and
bench/bench_sync.py. Each kiosk is a real SyncEngine with its own encrypted store and HTTP
session; the portal simulator runs in its own process and logs when each request arrived."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from sync_fixtures import dossier, sync_settings

from kiosk.store import open_store
from kiosk.sync import PortalClient, SyncEngine


@dataclass(frozen=True)
class FleetResult:
    kiosks: int
    dossiers: int
    requests: int
    window_s: float
    steady_rate: float  # requests/s if the reconnection load were spread evenly over the window
    peak_rate: float  # busiest bin of the window
    peak_ratio: float
    drain_s: float
    drained: bool
    counts: tuple[int, ...]
    scheduled_peak_ratio: float  # the same ratio for when kiosks *planned* to probe (offered load)


class SimulatorProcess:
    """``python -m portal_sim serve`` on a free port, in its own process (its own GIL)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        port_file = folder / "port"
        self.process = subprocess.Popen([sys.executable, "-m", "portal_sim", "serve", "--port", "0",
                                         "--port-file", str(port_file), "--state-dir", str(folder / "state"),
                                         "--forms", str(folder / "no-forms")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not port_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("portal simulator did not start")
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{int(port_file.read_text())}"

    def admin(self, method: str, path: str, **kwargs) -> dict:  # noqa: ANN003
        response = requests.request(method, self.url + "/admin" + path, timeout=30, **kwargs)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def run_fleet(folder: Path, *, kiosks: int, dossiers_each: int, jitter: bool, probe_base_s: float = 0.2,
              probe_cap_s: float = 2.0, outage_s: float = 3.0, bins: int = 8, timeout_s: float = 60.0
              ) -> FleetResult:
    """Queue dossiers on every kiosk during an outage, end the outage, measure the arrivals."""
    portal = SimulatorProcess(folder / "portal")
    stores, engines = [], []
    try:
        portal.admin("PUT", "/faults", json={"spec": "outage=1"})
        settings = sync_settings(**{"sync.offline_probe_base_s": probe_base_s,
                                    "sync.offline_probe_cap_s": probe_cap_s, "sync.interval_s": 0.5,
                                    "sync.status_poll_s": 3600, "sync.backoff_base_s": probe_base_s,
                                    "sync.backoff_cap_s": probe_cap_s})
        for number in range(kiosks):
            store = open_store(folder / f"kiosk-{number}.db", os.urandom(32))
            for item in range(dossiers_each):
                store.capture(dossier(item))
            stores.append(store)
            client = PortalClient(portal.url, kiosk_id=f"KIOSK-{number:04d}", centre_code="HN-01001",
                                  pool_size=1, connect_timeout=5, read_timeout=30)
            engines.append(SyncEngine(store, client, settings, jitter=jitter))
        # Start the fleet at once, as kiosks all hit by the same outage: without jitter they then
        # keep identical schedules; with it they drift apart.
        starters = [threading.Thread(target=engine.start) for engine in engines]
        for starter in starters:
            starter.start()
        for starter in starters:
            starter.join()
        time.sleep(outage_s)
        # When each kiosk planned its next probe, read before the outage ends: the offered load,
        # which neither the server's nor this harness's capacity can flatten.
        planned = [engine.connectivity.wait_s() for engine in engines]
        portal.admin("POST", "/stats/reset")
        ended = time.time()
        portal.admin("PUT", "/faults", json={"spec": ""})
        deadline = time.monotonic() + timeout_s
        drained = False
        while time.monotonic() < deadline:
            if all(store.queue_stats().accepted == dossiers_each for store in stores):
                drained = True
                break
            time.sleep(0.1)
        drain_s = time.time() - ended
        # Requests the outage itself reset (status 0: no answer) are not reconnection load.
        log = [entry for entry in portal.admin("GET", "/stats", params={"since": ended})["requests"]
               if entry[2] != 0]
    finally:
        for engine in engines:
            engine.stop(timeout=10)
            engine.client.close()
        for store in stores:
            store.close()
        portal.stop()
    window = max(probe_cap_s, max((entry[0] for entry in log), default=ended) - ended)
    width = window / bins
    counts = [0] * bins
    for arrival, _endpoint, _status in log:
        index = min(int((arrival - ended) / width), bins - 1)
        counts[index] += 1
    planned_counts = [0] * bins
    for wait in planned:
        planned_counts[min(int(wait / (probe_cap_s / bins)), bins - 1)] += 1
    scheduled_ratio = max(planned_counts) / (len(planned) / bins)
    steady = len(log) / window
    peak = max(counts) / width if log else 0.0
    return FleetResult(kiosks=kiosks, dossiers=kiosks * dossiers_each, requests=len(log), window_s=window,
                       steady_rate=steady, peak_rate=peak, peak_ratio=peak / steady if steady else 0.0,
                       drain_s=drain_s, drained=drained, counts=tuple(counts),
                       scheduled_peak_ratio=scheduled_ratio)
