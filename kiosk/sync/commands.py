"""`kiosk sync run [--once]` and `kiosk sync status [--json]`.

Exit codes: 0 done; 2 bad settings; 3 the portal could not be reached or refused the
kiosk (the dossiers stay queued, nothing is lost).
"""

from __future__ import annotations

import json
import signal
import threading
from dataclasses import asdict
from datetime import datetime
from typing import Any

import click

from kiosk.cli import load_settings_from


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def build_engine(settings: Any, on_status=None, base_url: str | None = None,  # noqa: ANN001, ANN201
                 create: bool = True):
    """Open the store and the portal client from the settings; the caller closes the store."""
    from kiosk.store import open_store
    from kiosk.store.keys import load_or_create_key
    from kiosk.sync.catalogue import catalogue_sync_for
    from kiosk.sync.client import PortalClient
    from kiosk.sync.engine import SyncEngine

    client = PortalClient.from_settings(settings, base_url)
    store = open_store(settings.database_path, load_or_create_key(settings),
                       attachment_max_bytes=settings.store.attachment_max_bytes,
                       retention_days=settings.store.retention_days,
                       attempts_before_alert=settings.sync.attempts_before_alert, create=create)
    catalogue = catalogue_sync_for(settings, client)
    return store, SyncEngine(store, client, settings, on_status, catalogue=catalogue)


@click.group()
def sync() -> None:
    """Send queued dossiers to the portal and show the queue's state."""


@sync.command("run")
@click.option("--once", is_flag=True, help="Send what is due once, then exit (exit 3 if the portal "
                                           "could not be reached).")
@click.pass_context
def run(ctx: click.Context, once: bool) -> None:
    """Drain the outbox: until stopped (SIGTERM/Ctrl-C), or once with --once."""
    settings = load_settings_from(ctx)

    def show(status) -> None:  # noqa: ANN001 - SyncStatus
        click.echo(f"{status.state}: {status.queued} queued, {status.needs_attention} need attention, "
                   f"{status.quarantined} quarantined", err=True)

    store, engine = build_engine(settings, on_status=None if once else show)
    try:
        if once:
            outcomes = engine.run_once()
            status = engine.status()
            summary: dict[str, int] = {}
            for outcome in outcomes:
                summary[outcome.result] = summary.get(outcome.result, 0) + 1
            click.echo(json.dumps({"state": status.state, "reason": status.reason, "attempts": summary,
                                   "queued": status.queued, "needs_attention": status.needs_attention,
                                   "quarantined": status.quarantined}, ensure_ascii=False))
            if status.state != "online":
                ctx.exit(3)
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        engine.start()
        stop.wait()
        engine.stop()
    finally:
        store.close()
        engine.client.close()


@sync.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--offline", is_flag=True, help="Queue figures only; do not contact the portal.")
@click.pass_context
def status(ctx: click.Context, as_json: bool, offline: bool) -> None:
    """The queue (queued, sending, needing attention, quarantined) and the portal connection."""
    settings = load_settings_from(ctx)
    if not settings.database_path.exists():  # looking must create neither a database nor a key
        from kiosk.store import StoreMissing
        raise StoreMissing(f"no kiosk database at {settings.database_path}: nothing is queued yet "
                           "(or store.path points elsewhere)")
    store, engine = build_engine(settings, create=False)
    try:
        if not offline:
            engine.check_prerequisites()  # one clock request: reachable, captive, skewed, refused?
        current = engine.status()
    finally:
        store.close()
        engine.client.close()
    data = asdict(current)
    if offline:
        data["state"], data["reason"] = "not_checked", "--offline"
    if as_json:
        click.echo(json.dumps(data, default=_json_default, ensure_ascii=False, indent=2))
        return
    click.echo(f"portal: {data['state']}" + (f" ({data['reason']})" if data["reason"] else ""))
    click.echo(f"queued: {current.queued}  sending: {current.sending}  needs attention: "
               f"{current.needs_attention}  quarantined: {current.quarantined}  accepted: {current.accepted}")
    if current.oldest_queued_at:
        click.echo(f"oldest queued: {current.oldest_queued_at.isoformat()}")
    if current.clock_skew_s is not None:
        click.echo(f"clock skew: {current.clock_skew_s:+.1f} s")
