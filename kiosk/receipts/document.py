"""Receipt PDFs: the shared parts (font, styles, the seal's QR) and the entry points.

Layouts live in layout_80mm.py (thermal roll) and layout_a4.py (office printer). The font
is the bundled Noto Sans, embedded in every PDF so diacritics print the same everywhere.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import qrcode
import qrcode.constants
from reportlab.lib.colors import black, white
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable

from kiosk.config import RESOURCES
from kiosk.receipts.errors import ReceiptInputError
from kiosk.receipts.payment import fee_notice
from kiosk.receipts.record import ReceiptData
from kiosk.receipts.vietqr import BankAccount

FONT_DIR = RESOURCES / "fonts"
FONT = "NotoSans"
FONT_BOLD = "NotoSans-Bold"
LAYOUTS = ("80mm", "a4")
QR_SIZE_MM = 42.0       # REFERENCE §5: 40-45 mm reads reliably from a 203 dpi thermal print
QR_QUIET_MODULES = 4    # ISO/IEC 18004 §9.1 quiet zone
# The payment QR (~120 characters, version 5-6 at level M, the level bank QRs use) at 30 mm
# on the thermal slip keeps modules ≥ 0.7 mm and stays visibly different from the seal's;
# a laser-printed A4 page reads well at 26 mm.
PAYMENT_QR_SIZE_MM = 30.0
PAYMENT_QR_SIZE_A4_MM = 26.0


@cache
def register_fonts() -> None:
    """Register Noto Sans once per process (it is also what makes reportlab embed it)."""
    from reportlab.lib.fonts import addMapping

    for name, file in ((FONT, "NotoSans-Regular.ttf"), (FONT_BOLD, "NotoSans-Bold.ttf")):
        path = FONT_DIR / file
        if not path.exists():
            raise ReceiptInputError(f"bundled font missing: {path}; reinstall the kiosk")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)


def style(name: str, size: float, *, bold: bool = False, centred: bool = False,
          leading: float | None = None, space_after: float = 0) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT_BOLD if bold else FONT, fontSize=size,
                          leading=leading or size * 1.3, alignment=TA_CENTER if centred else TA_LEFT,
                          spaceAfter=space_after)


def escape(text: str) -> str:
    """Text for a reportlab Paragraph, which reads a small XML dialect."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def qr_matrix(text: str, error_correction: int = qrcode.constants.ERROR_CORRECT_Q
              ) -> tuple[list[list[bool]], int]:
    """QR modules; the seal uses level Q (about 25 % may be lost to smudges)."""
    code = qrcode.QRCode(error_correction=error_correction, border=0)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix(), code.version


class SealQr(Flowable):
    """The QR drawn as vector squares, ``size_mm`` wide without its quiet zone."""

    def __init__(self, text: str, size_mm: float = QR_SIZE_MM,
                 error_correction: int = qrcode.constants.ERROR_CORRECT_Q) -> None:
        super().__init__()
        self.matrix, self.version = qr_matrix(text, error_correction)
        self.size = size_mm * mm
        self.module = self.size / len(self.matrix)
        self.quiet = QR_QUIET_MODULES * self.module

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size + 2 * self.quiet, self.size + 2 * self.quiet

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(white)
        canvas.rect(0, 0, self.size + 2 * self.quiet, self.size + 2 * self.quiet, stroke=0, fill=1)
        canvas.setFillColor(black)
        count = len(self.matrix)
        for row_index, row in enumerate(self.matrix):
            y = self.quiet + (count - 1 - row_index) * self.module
            column = 0
            while column < count:  # one rectangle per run of dark modules: fewer seams
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < count and row[column]:
                    column += 1
                canvas.rect(self.quiet + start * self.module, y, (column - start) * self.module,
                            self.module, stroke=0, fill=1)


def mask_id(id_number: str) -> str:
    """A personal ID with its middle hidden, for slips that may be left at the kiosk."""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]


def payment_qr(text: str, size_mm: float = PAYMENT_QR_SIZE_MM) -> SealQr:
    """The VietQR drawn at level M, as the banks print theirs."""
    return SealQr(text, size_mm, qrcode.constants.ERROR_CORRECT_M)


def render_receipt(receipt: ReceiptData, seal_text: str, layout: str = "80mm",
                   payment_account: BankAccount | None = None) -> bytes:
    """The receipt as PDF bytes in the chosen layout ('80mm' thermal roll or 'a4').

    When a fee is due it gets a payment block: a VietQR to ``payment_account`` (the
    commune's collection account), or "pay at the counter" when there is none.
    """
    register_fonts()
    notice = fee_notice(receipt, payment_account)
    if layout == "80mm":
        from kiosk.receipts.layout_80mm import render_80mm

        return render_80mm(receipt, seal_text, notice)
    if layout == "a4":
        from kiosk.receipts.layout_a4 import render_a4

        return render_a4(receipt, seal_text, notice)
    raise ReceiptInputError(f"unknown receipt layout {layout!r}; use one of {', '.join(LAYOUTS)}")


def render_queue_ticket(number: str, centre_name: str, counter_hint: str = "",
                        issued_text: str = "") -> bytes:
    """A counter queue ticket (a number to wait with), on the same 80 mm path."""
    register_fonts()
    from kiosk.receipts.layout_80mm import render_ticket

    return render_ticket(number, centre_name, counter_hint, issued_text)


def write_pdf(data: bytes, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def new_buffer() -> io.BytesIO:
    return io.BytesIO()
