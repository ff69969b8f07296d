"""`kiosk card read` and `kiosk card readers`.

Exit codes: 0 read (authenticity genuine or untrusted_issuer — the JSON says which);
2 bad input (QR, date, check digit); 3 access denied (wrong key); 4 card or reader gone,
communication failure; 5 authenticity failed (or the card's data is malformed or
inconsistent).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from kiosk.devices.card.errors import AccessKeyError

EXIT_AUTHENTICITY_FAILED = 5

_LABELS = {
    "id_number": "Số định danh / ID number", "full_name": "Họ và tên / Full name",
    "date_of_birth": "Ngày sinh / Date of birth", "sex": "Giới tính / Sex",
    "nationality": "Quốc tịch / Nationality", "ethnicity": "Dân tộc / Ethnicity",
    "religion": "Tôn giáo / Religion", "place_of_origin": "Quê quán / Place of origin",
    "residence": "Nơi thường trú / Residence", "identifying_marks": "Đặc điểm nhận dạng / Marks",
    "date_of_issue": "Ngày cấp / Issued", "date_of_expiry": "Có giá trị đến / Expires",
    "father_name": "Họ tên cha / Father", "mother_name": "Họ tên mẹ / Mother",
    "spouse_name": "Họ tên vợ/chồng / Spouse", "old_id_number": "Số CMND cũ / Old ID",
    "dg13_field_16_raw": "DG13 field 16", "mrz_document_number": "MRZ document number",
}


@click.group()
def card() -> None:
    """The chip ID card (CCCD / Căn cước): read it, list the readers."""


def _access_key(qr: str | None, id_number: str | None, dob: str | None, issued: str | None,
                expiry: str | None):  # noqa: ANN202 - AccessKey
    from kiosk.devices.card.access import AccessKey
    from kiosk.devices.card.qr import parse_ddmmyyyy

    if qr is not None:
        if id_number or dob or issued or expiry:
            raise AccessKeyError("give either --qr or --id/--dob, not both")
        return AccessKey.from_card_qr(qr)
    if not id_number or not dob:
        raise AccessKeyError("give the card's QR text (--qr) or --id and --dob")
    return AccessKey.from_id(
        id_number, parse_ddmmyyyy(dob, "--dob"),
        parse_ddmmyyyy(issued, "--issued") if issued else None,
        parse_ddmmyyyy(expiry, "--expiry") if expiry else None)


@card.command("read")
@click.option("--reader", "reader_name", metavar="NAME", help="PC/SC reader to use.")
@click.option("--virtual", "virtual_id", metavar="RESIDENT_ID",
              help="Read the virtual card of a demo resident instead of a reader.")
@click.option("--qr", metavar="TEXT", help="The text of the QR code printed on the card.")
@click.option("--id", "id_number", metavar="ID", help="The 12-digit personal ID number.")
@click.option("--dob", metavar="DD/MM/YYYY", help="Date of birth.")
@click.option("--issued", metavar="DD/MM/YYYY", help="Date of issue (finds the expiry).")
@click.option("--expiry", metavar="DD/MM/YYYY", help="Date of expiry, when known.")
@click.option("--trust-store", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of CSCA certificates and CRLs (default: the configured one).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--photo-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the chip's face photo (JPEG) to this file.")
@click.pass_context
def read(ctx: click.Context, reader_name: str | None, virtual_id: str | None, qr: str | None,
         id_number: str | None, dob: str | None, issued: str | None, expiry: str | None,
         trust_store: Path | None, as_json: bool, photo_out: Path | None) -> None:
    """Read, verify and print the identity on the chip.

    \b
    Exit codes: 0 read (genuine or issuer not trusted), 2 bad input, 3 access denied,
    4 card or reader gone, 5 authenticity failed.
    """
    from kiosk.cli import load_settings_from
    from kiosk.devices.card.config_trust import trust_store_for
    from kiosk.devices.card.reader import read_identity
    from kiosk.devices.card.trust import TrustStore

    if reader_name and virtual_id:
        raise AccessKeyError("give either --reader or --virtual, not both")
    key = _access_key(qr, id_number, dob, issued, expiry)
    settings = load_settings_from(ctx)
    trust = TrustStore.load(trust_store) if trust_store else trust_store_for(settings)
    thread = None
    if virtual_id is None and settings.card.backend == "virtual" and not reader_name:
        raise AccessKeyError("the card backend is 'virtual': give --virtual RESIDENT_ID "
                             "or --reader NAME")
    if virtual_id is not None:
        transport = _virtual_transport(virtual_id)
    else:
        from kiosk.devices.card.pcsc import CardThread

        thread = CardThread().start()
        try:
            transport = thread.connect(reader_name or settings.card.reader or None)
        except BaseException:
            thread.stop()
            raise
    try:
        identity = read_identity(transport, key, trust_store=trust)
    finally:
        key.wipe()
        transport.close()
        if thread is not None:
            thread.stop()
    try:
        if photo_out is not None and identity.face_jpeg:
            photo_out.write_bytes(identity.face_jpeg)
        _print(identity, as_json)
        failed = identity.authenticity.status == "failed"
    finally:
        identity.wipe()
    if failed:
        ctx.exit(EXIT_AUTHENTICITY_FAILED)


def _virtual_transport(resident_id: str):  # noqa: ANN202 - a Transport
    from kiosk.devices.card.virtual.chip import VirtualCard
    from kiosk.devices.card.virtual.personalize import load_resident, personalize

    return VirtualCard(personalize(load_resident(resident_id)))


def _print(identity, as_json: bool) -> None:  # noqa: ANN001 - ChipIdentity
    if as_json:
        document = {
            "fields": {key: {"value": item.value, "source": item.source,
                             "verified": item.verified}
                       for key, item in identity.fields.items()},
            "authenticity": {"status": identity.authenticity.status,
                             "reason": identity.authenticity.reason,
                             "checks": identity.authenticity.checks},
            "access": identity.access, "apdus": identity.apdus, "bytes": identity.bytes_read,
            "seconds": round(identity.seconds, 4), "expired": identity.expired,
            "warnings": list(identity.warnings),
            "photo_bytes": len(identity.face_jpeg or b""),
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    for key, item in identity.fields.items():
        mark = "✓" if item.verified else " "
        click.echo(f"{_LABELS.get(key, key):34} {item.value}  [{item.source} {mark}]")
    auth = identity.authenticity
    click.echo(f"\nAuthenticity: {auth.status} — {auth.reason}")
    click.echo(f"Access: {identity.access}; {identity.apdus} APDUs, {identity.bytes_read} bytes, "
               f"{identity.seconds:.3f} s" + ("; CARD EXPIRED" if identity.expired else ""))


@card.command("readers")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def readers(as_json: bool) -> None:
    """List the PC/SC readers and the ATR of the card in each (exit 4 without pcscd)."""
    from kiosk.devices.card.pcsc import CardThread

    thread = CardThread().start()
    try:
        infos = thread.readers()
    finally:
        thread.stop()
    if as_json:
        click.echo(json.dumps([{"name": i.name, "atr": i.atr.hex().upper() if i.atr else None}
                               for i in infos], indent=2))
        return
    if not infos:
        click.echo("no readers", err=True)
    for info in infos:
        click.echo(f"{info.name}\t{info.atr.hex(' ').upper() if info.atr else '(no card)'}")

