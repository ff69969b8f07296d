"""Receipts: render time of a sealed receipt PDF (goal ≤ 100 ms), seal length, QR version,
verification time, and the fuzzing rate of the seal decoder."""

from __future__ import annotations

import os
import time
from datetime import timedelta

from bench.timing import median_seconds


def run(quick: bool = False) -> dict:
    import base45

    from kiosk.devices.printer import pdf_to_raster, raster_to_escpos
    from kiosk.receipts.document import QR_SIZE_MM, qr_matrix, register_fonts, render_receipt
    from kiosk.receipts.errors import SealInvalid
    from kiosk.receipts.keys import create_portal_pki, issue_receipt_signer
    from kiosk.receipts.samples import sample_receipts
    from kiosk.receipts.seal import PREFIX, seal_receipt
    from kiosk.receipts.trust_list import TrustEntry, build_trust_list, verify_trust_list
    from kiosk.receipts.verify import verify_seal

    repeats = 3 if quick else 30
    samples = sample_receipts()
    now = samples["queued"].issued_at
    pki = create_portal_pki(now=now - timedelta(days=1))
    signer = issue_receipt_signer(pki, "KIOSK-DEMO-01", "DEMO-01001", now=now - timedelta(days=1))
    trust = verify_trust_list(build_trust_list(
        [TrustEntry(signer.kid, signer.certificate_der, "KIOSK-DEMO-01", "DEMO-01001", "active")],
        pki.trust_list_signer, issued_at=now, expires_at=now + timedelta(days=30)),
        [pki.ca.certificate], now=now)
    register_fonts()  # once per process, as in the kiosk: not part of a receipt's time

    figures: dict = {"goal_render_s": 0.100, "qr_size_mm": QR_SIZE_MM}
    for name, receipt in samples.items():
        seal = seal_receipt(receipt, signer)
        _, version = qr_matrix(seal)
        figures[f"{name}_seal_chars"] = len(seal)
        figures[f"{name}_cose_bytes"] = len(base45.b45decode(seal[len(PREFIX):]))
        figures[f"{name}_qr_version"] = version
        figures[f"{name}_qr_module_mm"] = round(QR_SIZE_MM / (17 + 4 * version), 3)
        for layout in ("80mm", "a4"):
            figures[f"{name}_{layout}_render_with_seal_s"] = round(median_seconds(
                lambda r=receipt, layout=layout: render_receipt(r, seal_receipt(r, signer), layout),
                repeats), 4)
            figures[f"{name}_{layout}_pdf_bytes"] = len(render_receipt(receipt, seal, layout))
    seal = seal_receipt(samples["received"], signer)
    figures["seal_sign_s"] = round(median_seconds(lambda: seal_receipt(samples["received"],
                                                                        signer), repeats * 5), 6)
    figures["seal_verify_s"] = round(median_seconds(lambda: verify_seal(seal, trust, now=now),
                                                     repeats * 5), 6)
    pdf = render_receipt(samples["received"], seal, "80mm")
    figures["escpos_raster_s"] = round(median_seconds(
        lambda: raster_to_escpos(pdf_to_raster(pdf)), max(2, repeats // 5)), 4)
    figures["escpos_bytes"] = len(raster_to_escpos(pdf_to_raster(pdf)))

    trials = 500 if quick else 20_000
    start = time.perf_counter()
    rejected = 0
    for _ in range(trials):
        try:
            verify_seal(PREFIX + base45.b45encode(os.urandom(120)).decode(), trust, now=now)
        except SealInvalid:
            rejected += 1
    figures["fuzz_trials"] = trials
    figures["fuzz_rejected_ratio"] = rejected / trials
    figures["fuzz_per_s"] = round(trials / (time.perf_counter() - start))
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=True), indent=2))
