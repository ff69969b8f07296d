"""`kiosk receipt`: render, print and verify receipts; render samples without a store.

Exit codes: 0 ok / valid seal; 1 invalid seal (the reason is printed); 2 bad input
(unreadable file, no QR, bad trust list); 3 no receipt-signing key; 4 printer failure.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from kiosk.cli import load_settings_from
from kiosk.receipts.errors import ReceiptInputError, SealInvalid


def _signer(settings: Any):  # noqa: ANN202 - ReceiptSigner
    from kiosk.receipts.keys import load_signer

    return load_signer(settings.data_dir, demo=settings.kiosk.demo,
                       kiosk_id=settings.kiosk.kiosk_id, centre_code=settings.kiosk.centre_code,
                       centre_name=settings.kiosk.centre_name)


def _printer(settings: Any):  # noqa: ANN202 - Printer
    from kiosk.devices.printer import open_printer

    return open_printer(settings.printer.backend, settings.printer.queue,
                        settings.data_dir / "receipts" / "printed")


def _payment_account(settings: Any):  # noqa: ANN202 - BankAccount | None
    from kiosk.receipts.payment import collection_account

    return collection_account(settings)


def _receipt_for(settings: Any, store: Any, dossier_id: str):  # noqa: ANN202 - ReceiptData
    from kiosk.receipts.from_store import receipt_from_item

    item = store.get(dossier_id)
    return receipt_from_item(item, centre_code=settings.kiosk.centre_code,
                             centre_name=settings.kiosk.centre_name,
                             kiosk_id=settings.kiosk.kiosk_id)


@click.group()
def receipt() -> None:
    """Receipts: render, print, and verify their signed QR seal offline."""


@receipt.command()
@click.argument("dossier_id")
@click.option("--format", "layout", type=click.Choice(["80mm", "a4"]), default=None,
              help="Layout; default: printer.paper.")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="PDF file to write.")
@click.pass_context
def render(ctx: click.Context, dossier_id: str, layout: str | None, out_file: Path) -> None:
    """Render the receipt of a stored dossier (its submission id) to a PDF file."""
    from kiosk.receipts.issuing import ReceiptDesk
    from kiosk.store import open_configured_store

    settings = load_settings_from(ctx)
    with open_configured_store(settings) as store:
        desk = ReceiptDesk(_signer(settings), None, store, layout or settings.printer.paper,
                           _payment_account(settings))
        issued = desk.issue(_receipt_for(settings, store, dossier_id), print_it=False)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_bytes(issued.pdf)
    click.echo(f"{out_file} ({issued.receipt.receipt_number}, {issued.layout})")


@receipt.command("print")
@click.argument("dossier_id")
@click.option("--format", "layout", type=click.Choice(["80mm", "a4"]), default=None)
@click.pass_context
def print_receipt(ctx: click.Context, dossier_id: str, layout: str | None) -> None:
    """Print (or reprint) the receipt of a stored dossier on the configured printer."""
    from kiosk.receipts.issuing import ReceiptDesk
    from kiosk.store import open_configured_store

    settings = load_settings_from(ctx)
    with open_configured_store(settings) as store:
        desk = ReceiptDesk(_signer(settings), _printer(settings), store,
                           layout or settings.printer.paper, _payment_account(settings))
        issued = desk.issue(_receipt_for(settings, store, dossier_id))
    if issued.print_error is not None:
        raise issued.print_error
    click.echo(f"printed {issued.receipt.receipt_number} on {issued.job.printer} "
               f"(job {issued.job.job_id})")


def _trust(settings: Any, trust_list: Path | None, anchors: Path | None):  # noqa: ANN202
    from kiosk.receipts.keys import ReceiptPaths, ensure_demo_material, load_certificates
    from kiosk.receipts.trust_list import verify_trust_list

    paths = ReceiptPaths.under(settings.data_dir)
    if settings.kiosk.demo and (trust_list is None or anchors is None):
        ensure_demo_material(paths, settings.kiosk.kiosk_id, settings.kiosk.centre_code,
                             settings.kiosk.centre_name)
    list_file = trust_list or paths.trust_list
    anchor_file = anchors or paths.portal_ca
    for name, path in (("trust list", list_file), ("portal CA", anchor_file)):
        if not path.is_file():
            raise ReceiptInputError(f"{name} not found at {path}; pass it with "
                                    f"--{'trust-list' if name == 'trust list' else 'anchors'}")
    try:
        certificates = load_certificates(anchor_file)
    except ValueError:
        raise ReceiptInputError(f"{anchor_file}: not a PEM certificate bundle") from None
    return verify_trust_list(list_file.read_bytes(), certificates)


@receipt.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--text", "seal_text", help="The QR's text instead of a file.")
@click.option("--trust-list", type=click.Path(dir_okay=False, path_type=Path),
              help="Trust list (COSE) from the portal's GET /v1/trust-list; default: the kiosk's.")
@click.option("--anchors", type=click.Path(dir_okay=False, path_type=Path),
              help="PEM bundle: the portal CA (and, for lists without x5chain, the signer).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable verdict.")
@click.pass_context
def verify(ctx: click.Context, file: Path | None, seal_text: str | None, trust_list: Path | None,
           anchors: Path | None, as_json: bool) -> None:
    """Verify a receipt's seal offline, from a PDF, an image, or --text.

    Exit 0 valid, 1 invalid (with the reason), 2 bad input.
    """
    from kiosk.receipts.verify import read_seal_from_file, verify_seal

    if (file is None) == (seal_text is None):
        raise ReceiptInputError("give exactly one of FILE or --text SEAL")
    settings = load_settings_from(ctx)
    trust = _trust(settings, trust_list, anchors)
    try:
        text = seal_text if seal_text is not None else read_seal_from_file(file)
        verified = verify_seal(text, trust)
    except SealInvalid as error:
        if as_json:
            click.echo(json.dumps({"valid": False, "reason": error.reason,
                                   "detail": error.detail}))
        else:
            click.echo(f"INVALID: {error.reason}: {error.message}")
        ctx.exit(1)
        return
    shown = verified.claims.as_display()
    if as_json:
        click.echo(json.dumps({"valid": True, "claims": shown,
                               "kid": verified.entry.kid.hex()}, ensure_ascii=False))
        return
    click.echo(f"VALID: signed by kiosk {verified.entry.kiosk} of centre {verified.entry.centre} "
               f"(kid {verified.entry.kid.hex()})")
    for key, value in shown.items():
        click.echo(f"  {key}: {value}")


@receipt.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def demo(ctx: click.Context, out_dir: Path) -> None:
    """Render sample receipts (queued and received, 80 mm and A4) and a queue ticket."""
    from kiosk.receipts.document import render_queue_ticket, render_receipt
    from kiosk.receipts.payment import fee_notice
    from kiosk.receipts.samples import sample_receipts
    from kiosk.receipts.seal import seal_receipt
    from kiosk.receipts.spoken import spoken_receipt

    settings = load_settings_from(ctx)
    signer = _signer(settings)
    account = _payment_account(settings)
    out_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).replace(microsecond=0)
    for name, sample in sample_receipts(settings.kiosk.centre_code, settings.kiosk.centre_name,
                                        settings.kiosk.kiosk_id, now=now).items():
        seal = seal_receipt(sample, signer)
        for layout in ("80mm", "a4"):
            path = out_dir / f"receipt-{name}-{layout}.pdf"
            path.write_bytes(render_receipt(sample, seal, layout, account))
            click.echo(str(path))
        spoken = spoken_receipt(sample, fee_notice(sample, account))
        (out_dir / f"receipt-{name}.txt").write_text(spoken + "\n", encoding="utf-8")
    ticket = out_dir / "queue-ticket.pdf"
    ticket.write_bytes(render_queue_ticket("A-042", settings.kiosk.centre_name,
                                           "Mời ông/bà chờ gọi số tại quầy tiếp nhận"))
    click.echo(str(ticket))


@receipt.command()
@click.argument("number")
@click.option("--counter", default="", help="Line under the number, e.g. which counter to wait at.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the PDF here instead of printing it.")
@click.pass_context
def ticket(ctx: click.Context, number: str, counter: str, out_file: Path | None) -> None:
    """Print a counter queue ticket (a number to wait with) on the receipt printer."""
    from kiosk.receipts.document import render_queue_ticket
    from kiosk.receipts.wording import format_datetime

    settings = load_settings_from(ctx)
    pdf = render_queue_ticket(number, settings.kiosk.centre_name, counter,
                              format_datetime(datetime.now(UTC)))
    if out_file is not None:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_bytes(pdf)
        click.echo(str(out_file))
        return
    job = _printer(settings).print_pdf(pdf, f"So thu tu {number}")
    click.echo(f"printed ticket {number} on {job.printer} (job {job.job_id})")


@receipt.command("payment-qr")
@click.option("--amount", type=int, help="Fee in đồng (whole number).")
@click.option("--reference", help="Transfer reference: the dossier code or kiosk ticket "
              "(Vietnamese letters lose their marks; at most 25 characters).")
@click.option("--bin", "bank_bin", help="Bank BIN; default: payment.bank_bin.")
@click.option("--account", "account_number", help="Account; default: payment.account_number.")
@click.option("--parse", "parse_text", help="Read this VietQR text back instead of making one.")
@click.option("--png", "png_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the QR as a PNG image.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def payment_qr(ctx: click.Context, amount: int | None, reference: str | None,
               bank_bin: str | None, account_number: str | None, parse_text: str | None,
               png_file: Path | None, as_json: bool) -> None:
    """Make the VietQR payment text for a fee, or --parse one (exit 2 if malformed)."""
    from kiosk.receipts.payment import ascii_reference
    from kiosk.receipts.vietqr import BankAccount, PaymentRequest, parse_payment

    if parse_text is not None:
        if amount is not None or reference is not None:
            raise ReceiptInputError("give either --parse TEXT or --amount and --reference")
        request = parse_payment(parse_text)
        text = parse_text.strip()
    else:
        if amount is None or reference is None:
            raise ReceiptInputError("give --amount and --reference (or --parse TEXT)")
        settings = load_settings_from(ctx)
        configured = _payment_account(settings)
        bank = bank_bin or (configured.bank_bin if configured else "")
        number = account_number or (configured.account_number if configured else "")
        if not bank or not number:
            raise ReceiptInputError("no collection account: set payment.bank_bin and "
                                    "payment.account_number, or pass --bin and --account")
        request = PaymentRequest(amount, ascii_reference(reference), BankAccount(bank, number))
        text = request.payload()
    if png_file is not None:
        import qrcode
        import qrcode.constants

        png_file.parent.mkdir(parents=True, exist_ok=True)
        image = qrcode.make(text, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8)
        image.save(str(png_file))
    if as_json:
        click.echo(json.dumps({"text": text, "amount_vnd": request.amount_vnd,
                               "reference": request.reference,
                               "bank_bin": request.account.bank_bin,
                               "account_number": request.account.account_number},
                              ensure_ascii=False))
        return
    if parse_text is not None:
        click.echo(f"VietQR transfer: {request.amount_vnd} đồng to account "
                   f"{request.account.account_number} at bank {request.account.bank_bin}, "
                   f"reference {request.reference!r} (CRC ok)")
    else:
        click.echo(text)
