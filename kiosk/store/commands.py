"""``kiosk outbox``: the technician's view of the offline queue (REFERENCE §4.11).

Personal data is redacted everywhere except ``show --reveal``, which is itself audited.
Every command takes ``--json`` for scripts. Exit codes: 0 ok, 2 bad input (unknown id,
wrong state), 3–7 store failures (see kiosk/store/errors.py).
"""

from __future__ import annotations

import getpass
import json
import re
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from kiosk.store.errors import DemoOnly
from kiosk.store.model import OutboxItem

REDACTED = "•••"
_DIGITS = re.compile(r"\d{9,}")


def _settings(ctx: click.Context) -> Any:
    from kiosk.cli import load_settings_from

    return load_settings_from(ctx)


def _open(ctx: click.Context) -> Any:
    from kiosk.store.store import open_configured_store

    return open_configured_store(_settings(ctx))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _mask(text: str | None) -> str | None:
    """Portal messages may echo an ID or phone number: mask long digit runs."""
    return None if text is None else _DIGITS.sub(REDACTED, text)


def _redact(value: Any) -> Any:
    """Keep a payload's shape (keys, list lengths), hide every value."""
    if isinstance(value, dict):
        return {k: _redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value]
    return REDACTED


def _summary(item: OutboxItem) -> dict[str, Any]:
    return _plain({
        "submission_id": item.submission_id, "ticket": item.ticket,
        "procedure_code": item.procedure_code, "form": f"{item.form_id}@{item.form_version}",
        "state": item.state, "attempts": item.attempts, "next_attempt_at": item.next_attempt_at,
        "last_error": _mask(item.last_error), "official_code": item.official_code,
        "due_date": item.due_date, "portal_status": item.portal_status,
        "finalized_at": item.finalized_at, "purged": item.purged_at is not None})


def _emit(as_json: bool, data: Any, lines: list[str]) -> None:
    if as_json:
        click.echo(json.dumps(_plain(data), ensure_ascii=False, indent=2))
    else:
        for line in lines:
            click.echo(line)


def _table(items: list[OutboxItem]) -> list[str]:
    if not items:
        return ["(no dossiers)"]
    lines = [f"{'SUBMISSION ID':36}  {'TICKET':14}  {'STATE':15}  {'TRIES':>5}  "
             f"{'NEXT TRY (UTC)':16}  PROCEDURE / WHY IT WAITS"]
    for item in items:
        due = f"{item.next_attempt_at:%Y-%m-%d %H:%M}" if item.next_attempt_at else "-"
        why = _mask(item.last_error or item.quarantine_reason) or ""
        lines.append(f"{item.submission_id:36}  {item.ticket:14}  {item.state:15}  "
                     f"{item.attempts:>5}  {due:16}  {item.procedure_code}"
                     + (f" / {why[:60]}" if why else ""))
    return lines


json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
by_option = click.option("--by", "technician", default=lambda: getpass.getuser(),
                         show_default="the current user",
                         help="Technician id recorded in the audit log.")


@click.group()
def outbox() -> None:
    """The encrypted offline queue: see it, send now, review quarantine, purge, export."""


@outbox.command("list")
@click.option("--state", "states", multiple=True,
              type=click.Choice(["queued", "sending", "accepted", "rejected", "needs_attention"]),
              help="Only items in this state; repeatable.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many, oldest first.")
@json_option
@click.pass_context
def list_command(ctx: click.Context, states: tuple[str, ...], limit: int | None,
                 as_json: bool) -> None:
    """Dossiers in the store, oldest first (no personal data)."""
    with _open(ctx) as store:
        items = store.list_items(states or None, limit)
    _emit(as_json, [_summary(i) for i in items], _table(items))


@outbox.command()
@click.argument("submission_id")
@click.option("--reveal", is_flag=True,
              help="Show the personal data too (recorded in the audit log).")
@by_option
@json_option
@click.pass_context
def show(ctx: click.Context, submission_id: str, reveal: bool, technician: str,
         as_json: bool) -> None:
    """One dossier: state, history, attachments; the payload redacted unless --reveal."""
    with _open(ctx) as store:
        item = store.get(submission_id)
        if reveal:
            store.audit("technician", technician, "outbox.revealed", submission_id)
        provenance = store.provenance(submission_id)
        history = store.audit_entries(limit=100, subject=submission_id)
        receipts = store.receipts_for(submission_id)
    payload = None if item.payload_bytes is None else json.loads(item.payload_bytes)
    data = _summary(item) | {
        "payload_sha256": item.payload_sha256, "depends_on": list(item.depends_on),
        "supersedes": item.supersedes, "assisted_by": item.assisted_by,
        "receiving_unit": item.receiving_unit,
        "quarantine_reason": item.quarantine_reason if reveal else _mask(item.quarantine_reason),
        "lease_owner": item.lease_owner, "lease_expires_at": item.lease_expires_at,
        "retention_until": item.retention_until, "consent": asdict(item.consent),
        "attachments": [{"attachment_id": a.attachment_id,
                         "name": a.name if reveal else REDACTED, "media_type": a.media_type,
                         "size": a.size, "sha256": a.sha256} for a in item.attachments],
        "payload": payload if reveal or payload is None else _redact(payload),
        "provenance": provenance,
        "receipts": [{"receipt_number": r.receipt_number, "layout": r.layout,
                      "issued_at": r.issued_at,
                      "print_jobs": [{"printer": j.printer, "status": j.status, "at": j.at}
                                     for j in r.print_jobs]} for r in receipts],
        "history": [{"at": e["at"], "actor": f"{e['actor_kind']}:{e['actor_id']}",
                     "action": e["action"]} for e in reversed(history)],
        "revealed": reveal,
    }
    lines = [f"{key}: {json.dumps(_plain(value), ensure_ascii=False)}"
             for key, value in data.items()]
    _emit(as_json, data, lines)


@outbox.command()
@click.argument("submission_id")
@by_option
@json_option
@click.pass_context
def retry(ctx: click.Context, submission_id: str, technician: str, as_json: bool) -> None:
    """Send a waiting dossier now (at the sync engine's next round)."""
    with _open(ctx) as store:
        store.retry_now(submission_id, technician)
        item = store.get(submission_id)
    _emit(as_json, _summary(item), [f"{submission_id}: due now ({item.state})"])


@outbox.command()
@json_option
@click.pass_context
def quarantine(ctx: click.Context, as_json: bool) -> None:
    """Dossiers the portal rejected, waiting for a technician (then: resolve ID)."""
    with _open(ctx) as store:
        items = [store.get(i.submission_id) for i in store.list_items(("rejected",))]
    items = [i for i in items if i.resolved_at is None]
    data = [_summary(i) | {"reason": _mask(i.quarantine_reason)} for i in items]
    lines = _table(items) + [f"  {i.submission_id}: {_mask(i.quarantine_reason)}" for i in items]
    _emit(as_json, data, lines)


@outbox.command()
@click.argument("submission_id")
@click.option("--requeue", "action", flag_value="requeue",
              help="Send it again (after fixing the cause on the portal side).")
@click.option("--close", "action", flag_value="close",
              help="Close it; its data is purged after the retention period.")
@click.option("--note", default="", help="Why (its length is audited, not its text).")
@by_option
@json_option
@click.pass_context
def resolve(ctx: click.Context, submission_id: str, action: str | None, note: str,
            technician: str, as_json: bool) -> None:
    """Decide on a quarantined dossier: --requeue or --close."""
    if action is None:
        raise click.UsageError("choose --requeue or --close")
    with _open(ctx) as store:
        store.resolve(submission_id, technician, action=action, note=note)
        item = store.get(submission_id)
    _emit(as_json, _summary(item), [f"{submission_id}: {action} ({item.state})"])


@outbox.command()
@click.option("--dry-run", is_flag=True, help="Only say what would be purged.")
@json_option
@click.pass_context
def purge(ctx: click.Context, dry_run: bool, as_json: bool) -> None:
    """Drop personal data of dossiers past retention, then VACUUM."""
    with _open(ctx) as store:
        report = store.purge(dry_run=dry_run, actor_kind="technician",
                             actor_id=getpass.getuser())
    verb = "would purge" if dry_run else "purged"
    _emit(as_json, asdict(report),
          [f"{verb} {len(report.submission_ids)} dossier(s), {report.attachments} "
           f"attachment(s), {report.bytes_freed} bytes"])


@outbox.command()
@click.option("--to", "folder", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder (e.g. a USB stick) for the encrypted export and its manifest.")
@click.option("--passphrase-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="File with the export passphrase; otherwise asked for (hidden).")
@by_option
@json_option
@click.pass_context
def export(ctx: click.Context, folder: Path, passphrase_file: Path | None, technician: str,
           as_json: bool) -> None:
    """Export the backlog, encrypted under a passphrase, for the centre."""
    from kiosk.store.backlog import export_backlog

    if passphrase_file is not None:
        passphrase = passphrase_file.read_bytes().strip()
    else:
        passphrase = click.prompt("Export passphrase (12+ characters)", hide_input=True,
                                  confirmation_prompt=True).encode()
    settings = _settings(ctx)
    with _open(ctx) as store:
        result = export_backlog(store, folder, passphrase, settings.kiosk.kiosk_id, technician)
    _emit(as_json, asdict(result) | {"database": str(result.database),
                                     "manifest": str(result.manifest)},
          [f"exported {result.dossiers} dossier(s) to {result.database}",
           f"manifest: {result.manifest}"])


@outbox.command()
@json_option
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Queue depth per state, the oldest waiting dossier, the file size."""
    with _open(ctx) as store:
        counts = store.queue_stats()
        path = store.path
    data = asdict(counts) | {"database_bytes": path.stat().st_size}
    _emit(as_json, data, [f"{key}: {_plain(value)}" for key, value in data.items()])


@outbox.command()
@json_option
@click.pass_context
def verify(ctx: click.Context, as_json: bool) -> None:
    """Check the audit chain and every page's authentication (exit 5 when damaged)."""
    from kiosk.store.errors import StoreCorrupt

    with _open(ctx) as store:
        verdict = store.verify_audit()
        problems = store.integrity_problems()
    data = {"audit": asdict(verdict), "integrity_problems": problems}
    _emit(as_json, data, [f"audit chain: {'ok' if verdict.ok else verdict.problem} "
                          f"({verdict.entries} entries)",
                          f"pages: {'ok' if not problems else '; '.join(problems[:5])}"])
    if not verdict.ok or problems:
        raise StoreCorrupt("the store failed verification; see above")


@outbox.command("rotate-key")
@json_option
@click.pass_context
def rotate_key(ctx: click.Context, as_json: bool) -> None:
    """Re-encrypt the store under a fresh key (stop the kiosk first)."""
    from kiosk.store import keys

    settings = _settings(ctx)
    with _open(ctx) as store:
        sealed = keys.rotate_key(settings, store)
        store.audit("technician", getpass.getuser(), "store.key_rotated")
    _emit(as_json, {"sealed_key": str(sealed)}, [f"key rotated; sealed in {sealed}"])


@outbox.command("seed-demo")
@click.option("--count", default=10, show_default=True, type=click.IntRange(min=1, max=100_000),
              help="How many finalized demo dossiers to add.")
@json_option
@click.pass_context
def seed_demo(ctx: click.Context, count: int, as_json: bool) -> None:
    """Add invented dossiers from the demo residents (demo mode only)."""
    from kiosk.store.demo_seed import demo_dossiers

    settings = _settings(ctx)
    if not settings.kiosk.demo:
        raise DemoOnly("seed-demo adds invented dossiers and runs only in demo mode "
                       "(--demo or kiosk.demo = true)")
    with _open(ctx) as store:
        ids = [store.capture(d).submission_id
               for d in demo_dossiers(settings.demo_residents_file, count)]
    _emit(as_json, {"created": len(ids), "submission_ids": ids},
          [f"created {len(ids)} demo dossier(s)"])
