"""Payment QR (VietQR): payload length and QR version, module size on paper, build/parse time,
the share of single-character alterations the CRC catches, the render cost of the fee block,
and how often the printed QR reads back from a 203 dpi raster (the thermal printer's)."""

from __future__ import annotations

import dataclasses
import random
import string
import subprocess
import tempfile
from pathlib import Path

from bench.timing import median_seconds


def run(quick: bool = False) -> dict:
    import qrcode.constants
    import zxingcpp
    from PIL import Image

    from kiosk.receipts.document import (
        PAYMENT_QR_SIZE_A4_MM,
        PAYMENT_QR_SIZE_MM,
        qr_matrix,
        register_fonts,
        render_receipt,
    )
    from kiosk.receipts.errors import VietQrInvalid
    from kiosk.receipts.keys import create_portal_pki, issue_receipt_signer
    from kiosk.receipts.samples import sample_receipts
    from kiosk.receipts.seal import seal_receipt
    from kiosk.receipts.vietqr import BankAccount, PaymentRequest, parse_payment

    account = BankAccount("970415", "000000000000", "TAI KHOAN DEMO - KHONG CHUYEN TIEN",
                          "VietinBank (demo)")
    figures: dict = {}
    cases = {"ticket": PaymentRequest(20_000, "T261122-ABC123", account),
             "official_code": PaymentRequest(200_000, "000.00.12.H62-261122-0004", account)}
    for name, request in cases.items():
        text = request.payload()
        matrix, version = qr_matrix(text, qrcode.constants.ERROR_CORRECT_M)
        figures[f"{name}_payload_chars"] = len(text)
        figures[f"{name}_qr_version_m"] = version
        figures[f"{name}_module_mm_80mm"] = round(PAYMENT_QR_SIZE_MM / len(matrix), 3)
        figures[f"{name}_module_mm_a4"] = round(PAYMENT_QR_SIZE_A4_MM / len(matrix), 3)
        figures[f"{name}_dots_per_module_203dpi"] = round(
            PAYMENT_QR_SIZE_MM / len(matrix) / 25.4 * 203, 2)

    repeats = 50 if quick else 2000
    request = cases["official_code"]
    text = request.payload()
    figures["build_s"] = median_seconds(request.payload, repeats)
    figures["parse_s"] = median_seconds(lambda: parse_payment(text), repeats)

    # Every position × a few replacement characters: how many altered texts still parse?
    replacements = "0123456789AZ.-" if quick else string.digits + string.ascii_uppercase + " .-/"
    altered = caught = 0
    for position in range(len(text)):
        for char in replacements:
            if text[position] == char:
                continue
            altered += 1
            try:
                parse_payment(text[:position] + char + text[position + 1:])
            except VietQrInvalid:
                caught += 1
    figures["single_char_alterations"] = altered
    figures["single_char_alterations_caught_ratio"] = caught / altered

    register_fonts()
    samples = sample_receipts()
    queued = samples["queued"]
    signer = issue_receipt_signer(create_portal_pki(), "KIOSK-DEMO-01", "DEMO-01001")
    seal = seal_receipt(queued, signer)  # render cost only: reused for every variant below
    render_repeats = 3 if quick else 20
    plain = median_seconds(lambda: render_receipt(queued, seal, "80mm", None), render_repeats)
    with_qr = median_seconds(lambda: render_receipt(queued, seal, "80mm", account),
                              render_repeats)
    figures["render_80mm_counter_only_s"] = plain
    figures["render_80mm_with_vietqr_s"] = with_qr
    figures["render_vietqr_overhead_ratio"] = with_qr / plain if plain else None

    # Print-and-scan stand-in: rasterize the slip at the printer's 203 dpi, decode with zxing.
    rng = random.Random(7)
    trials = 2 if quick else 20
    read = a4_one_page = 0
    with tempfile.TemporaryDirectory(prefix="bench-payment-") as folder:
        for index in range(trials):
            fee = rng.choice([2_000, 7_000, 15_000, 20_000, 100_000, 200_000,
                              rng.randrange(1_000, 10_000_000, 1_000)])
            ticket = f"T2611{rng.randrange(10, 99)}-" + "".join(
                rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(6))
            receipt = dataclasses.replace(queued, fee_vnd=fee, ticket=ticket)
            pdf = Path(folder) / f"r{index}.pdf"
            pdf.write_bytes(render_receipt(receipt, seal, "80mm", account))
            subprocess.run(["pdftoppm", "-r", "203", "-gray", "-png", "-singlefile", str(pdf),
                            str(pdf.with_suffix(""))], check=True, capture_output=True)
            with Image.open(pdf.with_suffix(".png")) as page:
                texts = [r.text for r in zxingcpp.read_barcodes(page)]
            for found in texts:
                try:
                    parsed = parse_payment(found)
                except VietQrInvalid:
                    continue
                if parsed.amount_vnd == fee and parsed.reference == ticket:
                    read += 1
                    break
            a4 = Path(folder) / f"r{index}-a4.pdf"
            a4.write_bytes(render_receipt(receipt, seal, "a4", account))
            info = subprocess.run(["pdfinfo", str(a4)], capture_output=True, check=True)
            a4_one_page += b"Pages:           1" in info.stdout
    figures["print_203dpi_trials"] = trials
    figures["print_203dpi_read_ratio"] = read / trials
    figures["a4_one_page_ratio"] = a4_one_page / trials
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=True), indent=2))
