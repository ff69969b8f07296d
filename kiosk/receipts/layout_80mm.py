"""The 80 mm thermal-roll receipt: one column, the QR in the middle, as long as it needs.

The printable width of an 80 mm roll at 203 dpi is 72 mm (576 dots), so the margins are
4 mm and nothing is drawn outside the central 72 mm.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, HRFlowable, Paragraph, Spacer, Table, TableStyle

from kiosk.receipts import wording
from kiosk.receipts.document import SealQr, escape, mask_id, payment_qr, style
from kiosk.receipts.payment import FeeNotice
from kiosk.receipts.record import ReceiptData

PAGE_WIDTH = 80 * mm
MARGIN = 4 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LABEL_WIDTH = 27 * mm

SMALL = style("small", 7.2)
TINY = style("tiny", 6.4)
BODY = style("body", 8)
BODY_BOLD = style("body-bold", 8, bold=True)
CENTRE = style("centre", 8.6, bold=True, centred=True)
CENTRED_SMALL = style("centred-small", 7.2, centred=True)
CENTRED_TINY = style("centred-tiny", 6.4, centred=True)
BODY_BOLD_CENTRED = style("body-bold-centred", 8, bold=True, centred=True)
TITLE = style("title", 10.5, bold=True, centred=True, leading=13)
CODE = style("code", 12.5, bold=True, centred=True, leading=15)
BIG_NUMBER = style("big-number", 40, bold=True, centred=True, leading=46)


def _fields(rows: list[tuple[str, str]]) -> Table:
    table = Table([[Paragraph(escape(label), SMALL), Paragraph(escape(value), BODY)]
                   for label, value in rows if value],
                  colWidths=[LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def _boxed(paragraph: Paragraph) -> Table:
    table = Table([[paragraph]], colWidths=[CONTENT_WIDTH])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, black),
                               ("LEFTPADDING", (0, 0), (-1, -1), 4),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                               ("TOPPADDING", (0, 0), (-1, -1), 3),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return table


def _rule() -> HRFlowable:
    return HRFlowable(width="100%", thickness=0.6, color=black, spaceBefore=2, spaceAfter=3)


def _pair(pair: tuple[str, str], vi_style: ParagraphStyle = CENTRED_SMALL,
          en_style: ParagraphStyle | None = None) -> list[Flowable]:
    """A Vietnamese line with its English translation beneath, smaller."""
    return [Paragraph(escape(pair[0]), vi_style),
            Paragraph(f"<i>{escape(pair[1])}</i>", en_style or CENTRED_TINY)]


def _payment(notice: FeeNotice) -> list[Flowable]:
    """The fee block: the VietQR with amount, words and reference, or the counter alone."""
    story: list[Flowable] = [_rule(), *_pair(wording.PAY_TITLE, CENTRE), Spacer(1, 1 * mm)]
    rows = [(wording.bilingual(wording.PAY_LABELS["amount"]),
             wording.format_money(notice.amount_vnd)),
            (wording.bilingual(wording.PAY_LABELS["words"]), notice.amount_words)]
    if not notice.by_qr:
        return story + [_fields(rows), Spacer(1, 1 * mm),
                        *_pair(wording.PAY_AT_COUNTER, BODY_BOLD, TINY)]
    qr = payment_qr(notice.qr_text or "")
    qr.hAlign = "CENTER"
    rows += [(wording.bilingual(wording.PAY_LABELS["reference"]), notice.reference),
             (wording.bilingual(wording.PAY_LABELS["payee"]),
              wording.payee_text(notice.account_name, notice.bank_name, notice.account_number))]
    return story + [*_pair(wording.PAY_BY_QR, BODY_BOLD_CENTRED), qr, _fields(rows),
                    Spacer(1, 1 * mm), *_pair(wording.PAY_CHECK_PAYEE, SMALL, TINY),
                    Spacer(1, 1 * mm), *_pair(wording.PAY_OR_COUNTER, BODY_BOLD, TINY)]


def _story(receipt: ReceiptData, seal_text: str, notice: FeeNotice | None) -> list[Flowable]:
    person = receipt.person
    story: list[Flowable] = [
        Paragraph(escape(receipt.centre_name), CENTRE),
        Paragraph(escape(f"Kiosk tự phục vụ {receipt.kiosk_id}"), CENTRED_SMALL),
        _rule(),
        Paragraph(wording.TITLE_QUEUED if receipt.queued else wording.TITLE_RECEIVED, TITLE),
    ]
    if receipt.queued:
        story += [Paragraph(wording.SUBTITLE_QUEUED, CENTRED_SMALL), Spacer(1, 2 * mm),
                  _boxed(Paragraph(escape(wording.QUEUED_STATEMENT), BODY_BOLD))]
    story.append(Spacer(1, 1 * mm))
    qr = SealQr(seal_text)
    qr.hAlign = "CENTER"
    story += [qr,
              Paragraph(escape(wording.LABELS["ticket" if receipt.queued else "official_code"]),
                        CENTRED_SMALL),
              Paragraph(escape(receipt.lookup_code), CODE), Spacer(1, 1.5 * mm), _rule()]
    rows = [
        (wording.LABELS["procedure"], receipt.procedure_name),
        (wording.LABELS["status"], wording.status_text(receipt)),
        (wording.LABELS["ticket"], "" if receipt.queued else (receipt.ticket or "")),
        (wording.LABELS["receiving_unit"], receipt.receiving_unit),
        (wording.LABELS["person"], person.full_name),
        (wording.LABELS["id_number"], mask_id(person.id_number) if person.id_number else ""),
        (wording.LABELS["representative"],
         receipt.representative.full_name if receipt.representative else ""),
        (wording.LABELS["submitted_at"], wording.format_datetime(receipt.submitted_at)),
        (wording.LABELS["processing_time"], receipt.processing_time),
        (wording.LABELS["due_date"],
         wording.format_date(receipt.due_date) if receipt.due_date else ""),
        (wording.LABELS["collect_at"], receipt.collect_at),
        (wording.LABELS["fee"], wording.format_money(receipt.fee_vnd)),
    ]
    story.append(_fields(rows))
    if receipt.components:
        story += [Spacer(1, 1 * mm), Paragraph(wording.LABELS["components"] + ":", SMALL)]
        story += [Paragraph(escape(f"{i}. {name}"), SMALL)
                  for i, name in enumerate(receipt.components, 1)]
    if notice is not None:
        story += _payment(notice)
    story += [_rule(), Paragraph(escape(wording.lookup_hint(receipt)), SMALL), Spacer(1, 1 * mm),
              Paragraph(escape(wording.SEAL_NOTE), TINY), Spacer(1, 1 * mm),
              Paragraph(escape(f"{wording.LABELS['receipt_number']}: {receipt.receipt_number} · "
                               f"In lúc {wording.format_datetime(receipt.issued_at)}"), TINY)]
    return story


def _draw(story: list[Flowable], title: str) -> bytes:
    """Draw a one-page PDF whose height fits the story (a roll has no fixed page length)."""
    height = 2 * MARGIN + 4 * mm
    for flowable in story:
        _, h = flowable.wrap(CONTENT_WIDTH, 10_000)
        height += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, height), invariant=True)
    canvas.setTitle(title)
    canvas.setAuthor("kiosk")
    frame = Frame(MARGIN, MARGIN, CONTENT_WIDTH, height - 2 * MARGIN,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, showBoundary=0)
    frame.addFromList(list(story), canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_80mm(receipt: ReceiptData, seal_text: str, notice: FeeNotice | None = None) -> bytes:
    return _draw(_story(receipt, seal_text, notice), f"Phiếu {receipt.receipt_number}")


def render_ticket(number: str, centre_name: str, counter_hint: str, issued_text: str) -> bytes:
    story: list[Flowable] = [Paragraph(escape(centre_name), CENTRE), _rule(),
                             Paragraph("SỐ THỨ TỰ", TITLE), Paragraph(escape(number), BIG_NUMBER)]
    if counter_hint:
        story.append(Paragraph(escape(counter_hint), CENTRED_SMALL))
    if issued_text:
        story.append(Paragraph(escape(issued_text), CENTRED_SMALL))
    return _draw(story, f"Số thứ tự {number}")
