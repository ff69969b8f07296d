"""Card reading, terminal side: APDUs and bytes for a card with a ~20 KB DG2, with
extended and with short APDUs, against the minimum for that Le; wall time of a full
``read_identity`` (access + all groups + CA/AA + passive authentication) against the
virtual chip and, when pcscd and vsmartcard are installed and no other pcscd runs,
against vicc through pcscd with ``--quickack`` (BAC, short APDUs: vicc has no PACE,
no extended length, no CA/AA).

Two minima are reported for the READ BINARY count: ``min_informed`` = Σ ceil(size/Le)
(a reader that knew every file's size), and ``min_header_first`` = Σ (1 + ceil((size-4)/Le))
(a reader that must read the TLV header first so it never reads past the end — ours).
"""

from __future__ import annotations

import math
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

from kiosk.devices.card.access import AccessKey
from kiosk.devices.card.config_trust import demo_trust_store
from kiosk.devices.card.files import EXTENDED
from kiosk.devices.card.reader import read_identity
from kiosk.devices.card.virtual.chip import VirtualCard
from kiosk.devices.card.virtual.faults import Faults
from kiosk.devices.card.virtual.personalize import load_resident, personalize, write_card_files

RESIDENT = "001090012345"
GROUPS = ("COM", "DG1", "DG13", "SOD", "DG14", "DG15", "DG2")
VICC = Path(__file__).resolve().parents[1].parent / "shared" / "tools" / "vicc" / "vicc_epass.py"


class _Tap:
    """Counts READ BINARY commands and link bytes of one read."""

    def __init__(self, inner) -> None:  # noqa: ANN001
        self.inner = inner
        self.supports_extended_apdus = inner.supports_extended_apdus
        self.apdus = self.reads = self.sent = self.received = 0

    def transmit(self, apdu: bytes) -> bytes:
        response = self.inner.transmit(apdu)
        self.apdus += 1
        self.reads += apdu[1] == 0xB0
        self.sent += len(apdu)
        self.received += len(response)
        return response

    def close(self) -> None:
        self.inner.close()


def _key() -> AccessKey:
    return AccessKey.from_id(RESIDENT, date(1990, 2, 15), date(2021, 5, 10))


def _case(card, faults: Faults, le: int, repeats: int) -> dict:  # noqa: ANN001
    # EF.CardAccess is read too (in plain, before PACE)
    sizes = {name: len(card.files[name]) for name in (*GROUPS, "CardAccess")
             if name in card.files}
    trust = demo_trust_store()
    times = []
    for _ in range(repeats):
        tap = _Tap(VirtualCard(card, faults))
        started = time.perf_counter()
        identity = read_identity(tap, _key(), trust_store=trust)
        times.append(time.perf_counter() - started)
        status = identity.authenticity.status
        identity.wipe()
    informed = sum(math.ceil(size / le) for size in sizes.values())
    header_first = sum(1 + math.ceil(max(0, size - 4) / le) for size in sizes.values())
    return {
        "le": le, "apdus_total": tap.apdus, "read_binary_apdus": tap.reads,
        "bytes_on_link": tap.sent + tap.received, "file_bytes": sum(sizes.values()),
        "files_read": len(sizes),
        "min_informed": informed, "min_header_first": header_first,
        "ratio_vs_informed": round(tap.reads / informed, 3),
        "ratio_vs_header_first": round(tap.reads / header_first, 3),
        "full_read_seconds_median": round(statistics.median(times), 4),
        "verdict": status,
    }


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _vicc(repeats: int) -> dict:
    """Start pcscd + vicc (stopped by PID afterwards) and time full reads through PC/SC."""
    if shutil.which("pcscd") is None or not VICC.exists():
        return {"skipped": "pcscd / vsmartcard not installed"}
    if Path("/run/pcscd/pcscd.comm").exists():
        return {"skipped": "another pcscd owns /run/pcscd/pcscd.comm"}
    from kiosk.devices.card.pcsc import CardThread

    folder = Path(tempfile.mkdtemp(prefix="bench-vicc-"))
    processes: list[subprocess.Popen] = []
    thread = None
    try:
        write_card_files(RESIDENT, folder)
        processes.append(subprocess.Popen(["pcscd", "--foreground"], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + 15
        while not _port_open(35963):
            if time.monotonic() > deadline:
                return {"skipped": "pcscd did not open the vpcd port"}
            time.sleep(0.05)
        mrz = (folder / "MRZ.txt").read_text(encoding="ascii").strip()
        processes.append(subprocess.Popen(
            ["/usr/bin/python3", str(VICC), "--quickack", "--do99", "--mrz", mrz,
             "--dg-dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}))
        thread = CardThread().start()
        deadline = time.monotonic() + 20
        while not any(r.atr for r in _safe_readers(thread)):
            if time.monotonic() > deadline:
                return {"skipped": "vicc's card never appeared"}
            time.sleep(0.1)
        trust = demo_trust_store()
        times, tap, status = [], None, ""
        for _ in range(repeats):
            tap = _Tap(thread.connect())
            started = time.perf_counter()
            identity = read_identity(tap, _key(), trust_store=trust)
            times.append(time.perf_counter() - started)
            status = identity.authenticity.status
            identity.wipe()
            tap.close()
        return {"full_read_seconds_median": round(statistics.median(times), 4),
                "apdus_total": tap.apdus, "read_binary_apdus": tap.reads,
                "bytes_on_link": tap.sent + tap.received, "access": "BAC",
                "verdict": status, "note": "vicc --quickack; no CA/AA on vicc, so 'failed'",
                "goal_seconds": 0.5}
    finally:
        if thread is not None:
            thread.stop()
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)


def _safe_readers(thread) -> list:  # noqa: ANN001
    try:
        return thread.readers()
    except Exception:  # noqa: BLE001 - pcscd still starting
        return []


def run(quick: bool = False) -> dict:
    repeats = 1 if quick else 7
    card = personalize(load_resident(RESIDENT))
    result = {
        "dg2_bytes": len(card.files["DG2"]),
        "extended": _case(card, Faults(), EXTENDED, repeats),
        "short_223": _case(card, Faults(reader_short_only=True), 223, repeats),
        "short_128_after_ladder": _case(card, Faults(reader_short_only=True,
                                                     max_response_plaintext=160), 128, repeats),
        "goal_ratio": 1.05,
    }
    result["vicc"] = {"skipped": "quick run"} if quick else _vicc(repeats)
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=os.environ.get("QUICK") == "1"), indent=2))
