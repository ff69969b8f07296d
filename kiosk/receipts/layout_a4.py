"""The A4 receipt, laid out like the official "giấy tiếp nhận hồ sơ và hẹn trả kết quả":
the issuing body and the national motto in the header, the title, the numbered particulars,
the dossier components, and the sealed QR with the key fields beside it.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.receipts import wording
from kiosk.receipts.document import PAYMENT_QR_SIZE_A4_MM, SealQr, escape, payment_qr, style
from kiosk.receipts.payment import FeeNotice
from kiosk.receipts.record import ReceiptData

MARGIN = 20 * mm
CONTENT_WIDTH = A4[0] - 2 * MARGIN - 2 * 6  # the document frame pads 6 pt on each side

HEAD = style("a4-head", 10, bold=True, centred=True, leading=13)
HEAD_PLAIN = style("a4-head-plain", 10, centred=True, leading=13)
TITLE = style("a4-title", 14, bold=True, centred=True, leading=18)
SUBTITLE = style("a4-subtitle", 10.5, centred=True, leading=14)
BODY = style("a4-body", 10.5, leading=14.5)
BODY_BOLD = style("a4-body-bold", 10.5, bold=True, leading=14.5)
SMALL = style("a4-small", 9, leading=12)
CODE = style("a4-code", 13, bold=True, leading=17)
PAY = style("a4-pay", 8.5, leading=11)


def _plain(rows: list[list[Flowable]], widths: list[float], extra: list | None = None) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)] + (extra or [])))
    return table


def _header(receipt: ReceiptData) -> Table:
    left = [Paragraph(escape(receipt.centre_name.upper()), HEAD),
            HRFlowable(width="40%", thickness=0.7, color=black, spaceBefore=2, spaceAfter=2),
            Paragraph(escape(f"Số: {receipt.receipt_number}"), HEAD_PLAIN)]
    right = [Paragraph(wording.NATION, HEAD), Paragraph(wording.MOTTO, HEAD),
             HRFlowable(width="45%", thickness=0.7, color=black, spaceBefore=2, spaceAfter=2)]
    return _plain([[left, right]], [CONTENT_WIDTH * 0.45, CONTENT_WIDTH * 0.55])


def _particulars(receipt: ReceiptData) -> Table:
    person = receipt.person
    rows = [
        (wording.LABELS["receiving_unit"], receipt.receiving_unit or receipt.centre_name),
        (wording.LABELS["person"], person.full_name),
        (wording.LABELS["id_number"], person.id_number),
        (wording.LABELS["address"], person.address),
        (wording.LABELS["phone"], person.phone),
        (wording.LABELS["email"], person.email),
        (wording.LABELS["representative"],
         receipt.representative.full_name if receipt.representative else ""),
        (wording.LABELS["procedure"], f"{receipt.procedure_name} ({receipt.procedure_code})"),
        (wording.LABELS["processing_time"], receipt.processing_time),
        (wording.LABELS["submitted_at"], wording.format_datetime(receipt.submitted_at)),
        (wording.LABELS["due_date"],
         wording.format_date(receipt.due_date) if receipt.due_date else ""),
        (wording.LABELS["collect_at"], receipt.collect_at),
        (wording.LABELS["fee"], wording.format_money(receipt.fee_vnd)),
    ]
    shown = [(label, value) for label, value in rows if value]
    return _plain([[Paragraph(f"{i}. {escape(label)}:", BODY), Paragraph(escape(value), BODY)]
                   for i, (label, value) in enumerate(shown, 1)],
                  [55 * mm, CONTENT_WIDTH - 55 * mm])


def _seal_block(receipt: ReceiptData, seal_text: str) -> Table:
    qr = SealQr(seal_text)
    code_label = wording.LABELS["ticket" if receipt.queued else "official_code"]
    beside: list[Flowable] = [Paragraph(escape(code_label), SMALL),
                              Paragraph(escape(receipt.lookup_code), CODE), Spacer(1, 2 * mm)]
    key_rows = [(wording.LABELS["status"], wording.status_text(receipt)),
                (wording.LABELS["procedure"], receipt.procedure_code),
                (wording.LABELS["submitted_at"], wording.format_datetime(receipt.submitted_at))]
    if receipt.due_date:
        key_rows.append((wording.LABELS["due_date"], wording.format_date(receipt.due_date)))
    key_rows.append((wording.LABELS["fee"], wording.format_money(receipt.fee_vnd)))
    beside += [Paragraph(f"{escape(label)}: <b>{escape(value)}</b>", SMALL)
               for label, value in key_rows]
    beside += [Spacer(1, 2 * mm), Paragraph(escape(wording.lookup_hint(receipt)), SMALL),
               Spacer(1, 1 * mm), Paragraph(escape(wording.SEAL_NOTE), SMALL)]
    width = qr.wrap(0, 0)[0]
    return _plain([[qr, beside]], [width + 4 * mm, CONTENT_WIDTH - width - 4 * mm],
                  [("BOX", (0, 0), (-1, -1), 0.7, black), ("LEFTPADDING", (1, 0), (1, 0), 2),
                   ("TOPPADDING", (1, 0), (1, 0), 8)])


def _one_line(pair: tuple[str, str]) -> str:
    """'Vietnamese · <i>English</i>' on one line: the A4 page has width, not height, to spare."""
    return f"{escape(pair[0])} · <i>{escape(pair[1])}</i>"


def _payment_block(notice: FeeNotice) -> Table:
    """The fee: the VietQR beside amount, words and reference; or the counter alone."""
    how = wording.PAY_BY_QR if notice.by_qr else wording.PAY_AT_COUNTER
    lines: list[Flowable] = [Paragraph(escape(wording.PAY_TITLE[0]) + " · "
                                       + escape(wording.PAY_TITLE[1]), BODY_BOLD),
                             Paragraph(f"<b>{_one_line(how)}</b>", PAY)]
    rows = [(wording.PAY_LABELS["amount"],
             f"{wording.format_money(notice.amount_vnd)} ({notice.amount_words})")]
    if notice.by_qr:
        rows += [(wording.PAY_LABELS["reference"], notice.reference),
                 (wording.PAY_LABELS["payee"], wording.payee_text(
                     notice.account_name, notice.bank_name, notice.account_number))]
    lines += [Paragraph(f"{escape(wording.bilingual(label))}: <b>{escape(value)}</b>", PAY)
              for label, value in rows]
    box = [("BOX", (0, 0), (-1, -1), 0.7, black), ("TOPPADDING", (-1, 0), (-1, 0), 4),
           ("BOTTOMPADDING", (-1, 0), (-1, 0), 4)]
    if not notice.by_qr:
        return _plain([[lines]], [CONTENT_WIDTH], box + [("LEFTPADDING", (0, 0), (-1, -1), 6)])
    lines += [Paragraph(_one_line(wording.PAY_CHECK_PAYEE), PAY),
              Paragraph(f"<b>{_one_line(wording.PAY_OR_COUNTER)}</b>", PAY)]
    qr = payment_qr(notice.qr_text or "", PAYMENT_QR_SIZE_A4_MM)
    width = qr.wrap(0, 0)[0]
    return _plain([[qr, lines]], [width + 4 * mm, CONTENT_WIDTH - width - 4 * mm],
                  box + [("LEFTPADDING", (1, 0), (1, 0), 2)])


def _boxed(text: str) -> Table:
    table = Table([[Paragraph(escape(text), BODY_BOLD)]], colWidths=[CONTENT_WIDTH])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.4, black),
                               ("LEFTPADDING", (0, 0), (-1, -1), 6),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                               ("TOPPADDING", (0, 0), (-1, -1), 5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return table


def render_a4(receipt: ReceiptData, seal_text: str, notice: FeeNotice | None = None) -> bytes:
    tight = notice is not None  # the fee block takes the room of the looser spacing
    story: list[Flowable] = [_header(receipt), Spacer(1, 4 * mm if tight else 8 * mm),
                             Paragraph(wording.TITLE_QUEUED if receipt.queued
                                       else wording.TITLE_RECEIVED, TITLE)]
    if receipt.queued:
        story += [Paragraph(wording.SUBTITLE_QUEUED, SUBTITLE), Spacer(1, 4 * mm),
                  _boxed(wording.QUEUED_STATEMENT)]
    else:
        story += [Paragraph(escape(f"Mã hồ sơ: {receipt.official_code}"), SUBTITLE)]
    story += [Spacer(1, 3 * mm if tight else 5 * mm), _particulars(receipt)]
    if receipt.components:
        story += [Spacer(1, 3 * mm),
                  Paragraph(f"{escape(wording.LABELS['components'])}:", BODY_BOLD)]
        story += [Paragraph(escape(f"– {name}"), BODY) for name in receipt.components]
    if notice is not None:
        story += [Spacer(1, 3 * mm), _payment_block(notice)]
    story += [Spacer(1, 3 * mm if tight else 6 * mm), _seal_block(receipt, seal_text)]
    footer = f"Kiosk {receipt.kiosk_id} · In lúc {wording.format_datetime(receipt.issued_at)}"

    def draw_footer(canvas: Canvas, _document: SimpleDocTemplate) -> None:
        # In the bottom margin, so the fee block and the seal still share one page.
        canvas.saveState()
        canvas.setFont(SMALL.fontName, SMALL.fontSize)
        canvas.drawString(MARGIN + 6, 9 * mm, footer)
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=11 * mm if tight else 15 * mm, bottomMargin=15 * mm,
                                 invariant=True, title=f"Phiếu {receipt.receipt_number}",
                                 author="kiosk")
    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
