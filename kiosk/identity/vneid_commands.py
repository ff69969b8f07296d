"""`kiosk vneid signin [--json] [--hint ID] [--wait S]`: a VNeID sign-in from the command line,
for technicians checking the portal link and for tests.

Exit codes: 0 approved; 1 denied, expired, timed out, replayed or forged; 2 bad input or
settings; 3 the portal could not be reached or refused the kiosk.

With ``--json`` the output is JSON Lines: first ``{"event": "session", ...}`` as soon as the QR
exists (a script can approve it), then one ``approved`` or ``refused`` line. Without it the
ID number is masked except its last four digits.
"""

from __future__ import annotations

import io
import json
from typing import Any

import click

from kiosk.cli import load_settings_from
from kiosk.identity.vneid import (
    VneidError,
    VneidIdentity,
    VneidSession,
    VneidTimeout,
    vneid_signin_for,
)


def _error_name(error: Exception) -> str:
    """VneidExpired → expired: the stable word scripts match on."""
    name = type(error).__name__
    return name.removeprefix("Vneid").lower()


def terminal_qr(text: str) -> str:
    """The QR as block characters for a terminal (the same `qrcode` package the receipts use)."""
    import qrcode

    code = qrcode.QRCode(border=2)
    code.add_data(text)
    code.make(fit=True)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()


def _session_line(session: VneidSession) -> dict[str, Any]:
    return {"event": "session", "session_id": session.session_id, "qr_text": session.qr_text,
            "short_code": session.short_code, "expires_at": session.expires_at.isoformat()}


def _identity_line(identity: VneidIdentity) -> dict[str, Any]:
    return {"event": "approved", "session_id": identity.session_id, "id_number": identity.id_number,
            "full_name": identity.full_name, "date_of_birth": identity.date_of_birth,
            "level": identity.level, "approved_at": identity.approved_at.isoformat()}


@click.group()
def vneid() -> None:
    """Sign a resident in with the VNeID app through the portal."""


@vneid.command("signin")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: the session, then the outcome.")
@click.option("--hint", "hint_id", metavar="ID",
              help="The card holder's 12-digit ID number, so the portal can push the request to their app.")
@click.option("--wait", "wait_s", type=click.FloatRange(min=0.1), default=120.0, show_default=True,
              help="Seconds to wait for the approval before giving up.")
@click.pass_context
def signin(ctx: click.Context, as_json: bool, hint_id: str | None, wait_s: float) -> None:
    """Show the sign-in QR, wait for the resident's approval and print who approved."""
    from kiosk.sync.client import PortalClient

    settings = load_settings_from(ctx)
    client = PortalClient.from_settings(settings)
    try:
        flow = vneid_signin_for(settings, client)
        session = flow.open(hint_id)
        if as_json:
            click.echo(json.dumps(_session_line(session), ensure_ascii=False))
        else:
            click.echo(terminal_qr(session.qr_text))
            click.echo(f"Scan with the VNeID app: {session.qr_text}")
            click.echo(f"Code {session.short_code}; expires at {session.expires_at:%H:%M:%S %Z}")
        try:
            identity = flow.wait(session, wait_s)
        except VneidError as error:
            if isinstance(error, VneidTimeout):
                flow.cancel(session)
            if as_json:
                click.echo(json.dumps({"event": "refused", "session_id": session.session_id,
                                       "error": _error_name(error), "message": error.message}))
            else:
                click.echo(f"not signed in ({_error_name(error)}): {error.message}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            flow.cancel(session)
            raise
        if as_json:
            click.echo(json.dumps(_identity_line(identity), ensure_ascii=False))
        else:
            click.echo(f"Signed in with VNeID level {identity.level}: {identity.full_name}, "
                       f"ID {identity.masked_id()}, born {identity.date_of_birth}")
    finally:
        client.close()
