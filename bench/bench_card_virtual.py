"""Benchmark of the virtual CCCD: APDUs and bytes to read a card with a ~20 KB DG2, per Le.

For each reader/chip combination, a PACE session reads COM, DG1, DG13, SOD, DG14, DG15, DG2
with the team's FileReader (header first, then chunks at the Le of the ladder) and we
compare the READ BINARY count with the minimum for that Le: one header read per file plus
ceil((size - 4) / Le) chunks. Also: personalization, PACE and BAC time, and the wall time
of a full ``read_identity`` (access + all groups + authenticity) against the virtual chip.
Times are seconds on this machine, in-process (no reader, no air time).
"""

from __future__ import annotations

import math
import time

from bench.timing import median_seconds
from kiosk.devices.card.apdu import CommandApdu
from kiosk.devices.card.bac import establish_bac
from kiosk.devices.card.files import EXTENDED, FileReader
from kiosk.devices.card.mrz import MrzKey
from kiosk.devices.card.pace import establish_pace, pace_infos
from kiosk.devices.card.session import CardSession
from kiosk.devices.card.virtual.chip import FILE_IDS, LDS1_AID, VirtualCard
from kiosk.devices.card.virtual.faults import Faults
from kiosk.devices.card.virtual.personalize import load_resident, personalize

RESIDENT = "001090012345"
READ_ORDER = ("COM", "DG1", "DG13", "SOD", "DG14", "DG15", "DG2")
HEADER = 4


def _pace_session(chip: VirtualCard) -> CardSession:
    info = pace_infos(chip.card.files["CardAccess"])[0]
    session = CardSession(chip, lambda link: establish_pace(link, chip.card.can, info))
    session.open()
    session.send(CommandApdu(0x00, 0xA4, 0x04, 0x0C, LDS1_AID))
    return session


def _minimum(sizes: dict[str, int], le: int) -> int:
    return sum(1 + math.ceil(max(0, size - HEADER) / le) for size in sizes.values())


def _read_case(card, faults: Faults, expected_le: int) -> dict:
    chip = VirtualCard(card, faults)
    session = _pace_session(chip)
    before_apdus, before_in, before_out = chip.apdus, chip.bytes_in, chip.bytes_out
    started = time.perf_counter()
    reader = FileReader(session, use_sfi=True)
    files = {name: reader.read(FILE_IDS[name]) for name in READ_ORDER}
    seconds = time.perf_counter() - started
    assert all(files[name] == card.files[name] for name in READ_ORDER)
    sizes = {name: len(raw) for name, raw in files.items()}
    plain = sum(sizes.values())
    read_apdus = chip.apdus - before_apdus
    minimum = _minimum(sizes, expected_le)
    return {
        "final_le": reader.le, "read_apdus": read_apdus,
        "minimum_apdus_for_le": minimum,
        "apdu_ratio_to_minimum": round(read_apdus / minimum, 3),
        "reauthentications": session.reauthentications,
        "plaintext_bytes": plain,
        "link_bytes": (chip.bytes_in - before_in) + (chip.bytes_out - before_out),
        "link_overhead_ratio": round(((chip.bytes_in - before_in) + (chip.bytes_out - before_out))
                                     / plain, 3),
        "total_apdus_including_access": chip.apdus,
        "seconds": round(seconds, 4),
    }


def run(quick: bool = False) -> dict:
    repeats = 1 if quick else 7
    resident = load_resident(RESIDENT)
    card = personalize(resident, aa="RSA")
    results: dict = {
        "dg2_bytes": len(card.files["DG2"]),
        "card_bytes_total": sum(len(card.files[n]) for n in READ_ORDER),
        "personalize_seconds_rsa1024": round(median_seconds(lambda: personalize(resident, aa="RSA"), repeats), 4),
        "personalize_seconds_ec": round(median_seconds(lambda: personalize(resident, aa="EC"), repeats), 4),
    }
    cases = {
        "extended": (Faults(), EXTENDED),
        "short_223": (Faults(reader_short_only=True), 223),
        "chip_max_192": (Faults(reader_short_only=True, max_response_plaintext=192), 192),
        "chip_max_160": (Faults(reader_short_only=True, max_response_plaintext=160), 128),
    }
    if quick:
        cases = {k: cases[k] for k in ("extended", "short_223")}
    results["reads"] = {name: _read_case(card, faults, le) for name, (faults, le) in cases.items()}
    results["pace_seconds"] = round(median_seconds(lambda: _pace_session(VirtualCard(card)), repeats), 4)

    def bac() -> None:
        chip = VirtualCard(card)
        chip.transmit(CommandApdu(0x00, 0xA4, 0x04, 0x0C, LDS1_AID).encode())
        mrz = card.mrz
        establish_bac(chip, MrzKey(mrz[5:14], mrz[30:36], mrz[38:44]))

    results["bac_seconds"] = round(median_seconds(bac, repeats), 4)
    try:
        from datetime import date

        from kiosk.devices.card.access import AccessKey
        from kiosk.devices.card.reader import read_identity  # the terminal side
        from kiosk.devices.card.trust import TrustStore
        from kiosk.devices.card.virtual.test_pki import TRUST_DIR

        store = TrustStore.load(TRUST_DIR)

        def full_read() -> None:
            key = AccessKey.from_id(RESIDENT, date(1990, 2, 15), expiry=date(2030, 2, 15))
            identity = read_identity(VirtualCard(card), key, trust_store=store)
            results["read_identity_status"] = identity.authenticity.status
            results["read_identity_apdus"] = identity.apdus
            identity.wipe()

        results["read_identity_seconds"] = round(median_seconds(full_read, repeats), 4)
    except Exception as error:  # the reader's API is another engineer's: report, don't fail
        results["read_identity_seconds"] = None
        results["read_identity_error"] = f"{type(error).__name__}: {error}"[:200]
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=False), indent=2))
