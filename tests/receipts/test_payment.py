"""Paying the fee: the collection account, the reference, the words, and the printed VietQR."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.receipts.document import render_receipt
from kiosk.receipts.errors import PaymentInputError, PaymentSettingsError
from kiosk.receipts.issuing import ReceiptDesk
from kiosk.receipts.payment import (
    amount_in_words,
    ascii_reference,
    collection_account,
    fee_notice,
    payment_reference,
    payment_text,
)
from kiosk.receipts.seal import seal_receipt
from kiosk.receipts.spoken import spoken_receipt
from kiosk.receipts.verify import verify_seal
from kiosk.receipts.vietqr import BankAccount, parse_payment

from .conftest import NOW

ACCOUNT = BankAccount("970415", "000000000000", "TAI KHOAN DEMO - KHONG CHUYEN TIEN",
                      "VietinBank (demo)")
LEGACY_CODE = "000.00.12.H62-261122-0004"  # 25 characters: exactly what 62-08 holds


def _qr_texts(pdf: Path, dpi: int = 200) -> list[str]:
    """Every QR on the page, read back from pixels (poppler → zxing-cpp)."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", str(pdf),
                    str(pdf.with_suffix(""))], check=True)
    with Image.open(pdf.with_suffix(".png")) as page:
        return [r.text for r in zxingcpp.read_barcodes(page)]


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout.decode()
    return int(next(line for line in info.splitlines() if line.startswith("Pages")).split()[1])


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
    return " ".join(out.decode("utf-8").split())


def test_demo_settings_give_the_demo_account(demo_settings) -> None:
    """Demo mode pays into an account named as a demo; nothing else in demo is invented."""
    account = collection_account(demo_settings)
    assert account is not None and account.bank_bin == "970415"
    assert "DEMO" in account.account_name


def test_no_account_outside_demo_means_counter_only(kiosk_home) -> None:
    """A real kiosk with no [payment] settings shows no QR: it never invents an account."""
    settings = load_settings(demo=False, overrides={"portal.url": "https://portal.example"})
    assert collection_account(settings) is None


def test_bad_account_settings_are_a_typed_error(kiosk_home) -> None:
    """A 5-digit BIN in the settings fails with a message naming the setting to fix."""
    settings = load_settings(demo=True, overrides={"payment.bank_bin": "97041"})
    with pytest.raises(PaymentSettingsError, match="payment.bank_bin"):
        collection_account(settings)


def test_reference_is_the_official_code_else_the_ticket() -> None:
    """The official code when it fits 25 characters, else the kiosk ticket, else none."""
    assert payment_reference(LEGACY_CODE, "T261122-ABC123") == LEGACY_CODE
    assert payment_reference(None, "T261122-ABC123") == "T261122-ABC123"
    assert payment_reference("H62.000.12-261122-00000004", "T261122-ABC123") == "T261122-ABC123"
    assert payment_reference(None, "T" * 26) is None


def test_non_ascii_reference_is_transliterated_or_refused() -> None:
    """Vietnamese letters lose their marks (Đ → D); other scripts are refused, not mangled."""
    assert ascii_reference("Lệ phí  Đăng ký thường trú") == "Le phi Dang ky thuong tru"
    with pytest.raises(PaymentInputError):
        ascii_reference("phí 日本")


@pytest.mark.parametrize("amount, words", [
    (2_000, "Hai nghìn đồng"), (20_000, "Hai mươi nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"), (200_000, "Hai trăm nghìn đồng"),
    (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
])
def test_amount_in_words(amount: int, words: str) -> None:
    """Amounts read as Vietnamese payment slips write them, millions included."""
    assert amount_in_words(amount) == words


def test_no_fee_no_qr() -> None:
    """Free, unknown fee, or no account: no payment text at all."""
    assert payment_text(0, None, "T261122-ABC123", ACCOUNT) is None
    assert payment_text(None, None, "T261122-ABC123", ACCOUNT) is None
    assert payment_text(20_000, None, "T261122-ABC123", None) is None
    text = payment_text(20_000, LEGACY_CODE, "T261122-ABC123", ACCOUNT)
    parsed = parse_payment(text)
    assert (parsed.amount_vnd, parsed.reference) == (20_000, LEGACY_CODE)


def test_fee_notice(samples) -> None:
    """A free receipt has no fee block; a fee without an account is counter-only."""
    assert fee_notice(samples["received"], ACCOUNT) is None  # the sample birth is free
    counter = fee_notice(samples["queued"], None)
    assert counter is not None and not counter.by_qr and counter.amount_vnd == 20_000
    by_qr = fee_notice(samples["queued"], ACCOUNT)
    assert by_qr.by_qr and parse_payment(by_qr.qr_text).reference == "K01-261122-0042"


@pytest.fixture(scope="module")
def receipts_with_fee(samples) -> dict[str, object]:
    """The queued sample (fee 20,000 đ, ticket only) and a received one with a 200,000 đ fee."""
    return {"queued": samples["queued"],
            "received": dataclasses.replace(samples["received"], fee_vnd=200_000)}


@pytest.mark.parametrize("layout", ["80mm", "a4"])
def test_printed_vietqr_decodes_from_pixels(layout, receipts_with_fee, signer, trust,
                                            tmp_path) -> None:
    """With a fee due, the page carries a VietQR that a camera reads back to the right amount,
    account and reference; the seal beside it still verifies; A4 stays one page."""
    for name, receipt in receipts_with_fee.items():
        seal = seal_receipt(receipt, signer)
        pdf = tmp_path / f"{name}-{layout}.pdf"
        pdf.write_bytes(render_receipt(receipt, seal, layout, ACCOUNT))
        texts = _qr_texts(pdf)
        assert seal in texts
        assert verify_seal(seal, trust, now=NOW).claims.fee_vnd == receipt.fee_vnd
        payments = [parse_payment(t) for t in texts if t != seal]
        assert len(payments) == 1
        assert payments[0].amount_vnd == receipt.fee_vnd
        assert payments[0].account.account_number == ACCOUNT.account_number
        assert payments[0].reference == (receipt.official_code or receipt.ticket)
        assert _pages(pdf) == 1
        text = _text(pdf)
        for expected in ("VietQR", "Pay by bank app", "pay at the centre's counter",
                         amount_in_words(receipt.fee_vnd), "TAI KHOAN DEMO"):
            assert expected.casefold() in text.casefold(), expected


@pytest.mark.parametrize("layout", ["80mm", "a4"])
def test_no_vietqr_when_free_or_no_account(layout, samples, receipts_with_fee, signer,
                                           tmp_path) -> None:
    """A free dossier has only the seal and says 'Miễn phí'; without an account the fee
    block says 'pay at the counter' with the amount in words, and prints no payment QR."""
    free = samples["received"]
    seal = seal_receipt(free, signer)
    pdf = tmp_path / "free.pdf"
    pdf.write_bytes(render_receipt(free, seal, layout, ACCOUNT))
    assert _qr_texts(pdf) == [seal]
    assert "Miễn phí" in _text(pdf) and "VietQR" not in _text(pdf)

    due = receipts_with_fee["queued"]
    seal = seal_receipt(due, signer)
    pdf = tmp_path / "counter.pdf"
    pdf.write_bytes(render_receipt(due, seal, layout, None))
    assert _qr_texts(pdf) == [seal]
    text = _text(pdf)
    assert "Pay the fee at the centre's counter" in text and "VietQR" not in text
    assert amount_in_words(20_000) in text


def test_desk_hands_the_payment_to_the_screen(signer, receipts_with_fee) -> None:
    """ReceiptDesk.issue returns the fee notice (QR text for the screen) and says it aloud."""
    desk = ReceiptDesk(signer, None, None, payment_account=ACCOUNT)
    issued = desk.issue(receipts_with_fee["queued"], print_it=False)
    assert issued.payment is not None and issued.payment.by_qr
    assert parse_payment(issued.payment.qr_text).amount_vnd == 20_000
    assert "quét mã thanh toán VietQR" in issued.spoken
    counter = ReceiptDesk(signer, None, None).issue(receipts_with_fee["queued"], print_it=False)
    assert not counter.payment.by_qr
    assert "nộp phí tại quầy" in spoken_receipt(counter.receipt, counter.payment)


def test_cli_makes_and_parses(kiosk_home, tmp_path) -> None:
    """`kiosk receipt payment-qr` makes a VietQR from the settings' account, writes a PNG a
    camera reads, parses it back, and exits 2 on a tampered text."""
    runner = CliRunner()
    png = tmp_path / "pay.png"
    made = runner.invoke(main, ["--demo", "receipt", "payment-qr", "--amount", "15000",
                                "--reference", "Lệ phí T261122-ABC123", "--json",
                                "--png", str(png)])
    assert made.exit_code == 0, made.output
    answer = json.loads(made.output)
    assert answer["reference"] == "Le phi T261122-ABC123" and answer["bank_bin"] == "970415"
    with Image.open(png) as image:
        assert [r.text for r in zxingcpp.read_barcodes(image)] == [answer["text"]]
    parsed = runner.invoke(main, ["--demo", "receipt", "payment-qr", "--parse", answer["text"],
                                  "--json"])
    assert parsed.exit_code == 0 and json.loads(parsed.output)["amount_vnd"] == 15000
    tampered = answer["text"].replace("15000", "95000")
    bad = runner.invoke(main, ["--demo", "receipt", "payment-qr", "--parse", tampered])
    assert bad.exit_code == 2 and "CRC" in bad.output
    free = runner.invoke(main, ["--demo", "receipt", "payment-qr", "--amount", "0",
                                "--reference", "T1"])
    assert free.exit_code == 2


@pytest.mark.parametrize("layout, size_mm", [("80mm", 30.0), ("a4", 26.0)])
def test_payment_qr_size_and_level(layout, size_mm, samples, signer, tmp_path) -> None:
    """The printed VietQR measures its nominal width (30 mm slip, 26 mm A4) at level M, so
    each module is ≥ 0.7 mm: readable by a phone camera from a 203 dpi thermal print."""
    receipt = samples["queued"]
    seal = seal_receipt(receipt, signer)
    pdf = tmp_path / f"{layout}.pdf"
    pdf.write_bytes(render_receipt(receipt, seal, layout, ACCOUNT))
    dpi = 200
    _qr_texts(pdf, dpi)
    with Image.open(pdf.with_suffix(".png")) as page:
        found = [r for r in zxingcpp.read_barcodes(page) if r.text != seal]
    assert len(found) == 1 and found[0].ec_level == "M"
    width_mm = abs(found[0].position.top_right.x - found[0].position.top_left.x) / dpi * 25.4
    assert size_mm - 1.0 <= width_mm <= size_mm + 0.5, width_mm
