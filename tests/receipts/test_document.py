"""Receipt PDFs: render → rasterize → decode → verify, QR size and version, fonts, wording."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.receipts.document import (
    QR_SIZE_MM,
    SealQr,
    qr_matrix,
    render_queue_ticket,
    render_receipt,
)
from kiosk.receipts.seal import seal_receipt
from kiosk.receipts.verify import read_seal_from_file, verify_seal

from .conftest import NOW

DPI = 200


@pytest.fixture(scope="module")
def rendered(signer, samples, tmp_path_factory) -> dict[tuple[str, str], tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("receipts")
    out = {}
    for name, receipt in samples.items():
        seal = seal_receipt(receipt, signer)
        for layout in ("80mm", "a4"):
            path = folder / f"{name}-{layout}.pdf"
            path.write_bytes(render_receipt(receipt, seal, layout))
            out[(name, layout)] = (path, seal)
    return out


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


def test_round_trip_through_pixels(rendered, trust) -> None:
    """Every layout's QR, rasterized by poppler and read by zxing, verifies."""
    for (name, _layout), (path, seal) in rendered.items():
        decoded = read_seal_from_file(path)
        assert decoded == seal
        assert verify_seal(decoded, trust, now=NOW).claims.status == (
            "queued" if name == "queued" else "received")


def test_qr_is_printed_40_to_45_mm_at_level_q(rendered, tmp_path) -> None:
    """The symbol measures 40-45 mm on paper, error correction Q, version ≤ 14."""
    for (_name, layout), (path, seal) in rendered.items():
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", str(path),
                        str(tmp_path / layout)], check=True)
        with Image.open(tmp_path / f"{layout}.png") as page:
            results = zxingcpp.read_barcodes(page)
        qr = [r for r in results if r.text == seal]
        assert len(qr) == 1
        position = qr[0].position
        width_px = abs(position.top_right.x - position.top_left.x)
        width_mm = width_px / DPI * 25.4
        assert 40.0 <= width_mm <= 45.5, width_mm
        assert qr[0].ec_level == "Q"
        _, version = qr_matrix(seal)
        extra = qr[0].extra if isinstance(qr[0].extra, dict) else json.loads(qr[0].extra)
        assert int(extra["Version"]) == version
        assert version <= 14  # REFERENCE §5: ~v13 at Q; v14 once the official code is added


def test_qr_flowable_size_constant() -> None:
    """The drawn symbol is QR_SIZE_MM wide plus a four-module quiet zone."""
    flowable = SealQr("VNK1:TEST")
    width, _ = flowable.wrap(0, 0)
    assert abs(flowable.size / 2.8346456693 - QR_SIZE_MM) < 0.01
    assert width == pytest.approx(flowable.size + 8 * flowable.module)


def test_font_is_embedded(rendered) -> None:
    """Noto Sans is embedded (subset) so diacritics print the same on any printer."""
    for path, _ in rendered.values():
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True
                               ).stdout.decode()
        lines = [line for line in fonts.splitlines() if "NotoSans" in line]
        assert lines and all(" yes " in line for line in lines), fonts


def test_queued_receipt_says_the_portal_has_not_received_it(rendered) -> None:
    """The offline receipt states plainly that the portal has not received the dossier."""
    for layout in ("80mm", "a4"):
        text = _text(rendered[("queued", layout)][0])
        assert "PHIẾU TIẾP NHẬN TẠI KIOSK" in text
        assert "CHƯA NHẬN" in " ".join(text.split())
        assert "K01-261122-0042" in text
        assert "GIẤY TIẾP NHẬN HỒ SƠ" not in text


def test_received_receipt_carries_the_official_fields(rendered) -> None:
    """REFERENCE §3: code, unit, person, procedure, components, times, place, fee."""
    text = " ".join(_text(rendered[("received", "a4")][0]).split())
    for expected in ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "000.00.12.H62-261122-0004",
                     "UBND phường Thanh Xuân", "Nguyễn Văn An", "001090012345",
                     "Đăng ký khai sinh", "Giấy chứng sinh", "14 giờ 05 phút, ngày 22/11/2026",
                     "23/11/2026", "Quầy trả kết quả số 3", "Miễn phí", "dichvucong.gov.vn",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert expected in text, expected
    assert "CHƯA NHẬN" not in text


def test_thermal_slip_masks_the_id_number(rendered) -> None:
    """The 80 mm slip (often left behind at the kiosk) shows only the ID's ends."""
    text = _text(rendered[("queued", "80mm")][0])
    assert "001090012345" not in text
    assert "001*****2345" in text


def test_thermal_page_is_80_mm_wide(rendered) -> None:
    """The roll layout's page is 80 mm wide; A4 is A4."""
    for (_, layout), (path, _) in rendered.items():
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True
                              ).stdout.decode()
        size = next(line for line in info.splitlines() if line.startswith("Page size"))
        width_pt = float(size.split()[2])
        assert width_pt == pytest.approx(226.77 if layout == "80mm" else 595.28, abs=0.1)


def test_rendering_is_deterministic(signer, samples) -> None:
    """Same receipt, same bytes: a reprint is the identical document."""
    receipt = samples["received"]
    seal = seal_receipt(receipt, signer)
    assert render_receipt(receipt, seal, "a4") == render_receipt(receipt, seal, "a4")


def test_unknown_layout_is_bad_input(signer, samples) -> None:
    """An unknown layout name is a typed BadInput error."""
    from kiosk.errors import BadInput

    with pytest.raises(BadInput):
        render_receipt(samples["queued"], "VNK1:X", "a5")


def test_queue_ticket_renders_its_number(tmp_path) -> None:
    """A counter queue ticket goes through the same 80 mm path and shows its number."""
    path = tmp_path / "ticket.pdf"
    path.write_bytes(render_queue_ticket("A-042", "Trung tâm PVHCC", "Quầy 2"))
    assert "A-042" in _text(path)
