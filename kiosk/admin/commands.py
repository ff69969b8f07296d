"""Technician commands: ``kiosk doctor``, ``provision``, ``deprovision``, ``update``, ``logs``.

Exit codes: 0 ok; 1 a doctor warning; 2 bad input; 3 update rejected; 4 update source
unavailable; 5 new release unhealthy (previous kept); 6 provisioning failed; 7 enrolment
code refused; 8 deprovisioning refused (queue not empty); 9 technician locked out; for
``doctor`` the code is that of the worst check (0 ok, 1 warning, 10 failure).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from kiosk.cli import load_settings_from

USB_DIR = click.Path(exists=True, file_okay=False, path_type=Path)


# -- update -------------------------------------------------------------------------------
@click.group()
def update() -> None:
    """Signed updates (TUF) from the portal's update repository or a USB folder."""


@update.command("check")
@click.option("--from", "from_dir", type=USB_DIR, help="A USB folder with metadata/ and targets/.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def update_check(ctx: click.Context, from_dir: Path | None, as_json: bool) -> None:
    """Verify the repository's signed metadata and say whether a newer release exists."""
    from kiosk.admin import update as updates

    release = updates.check(load_settings_from(ctx), from_dir)
    if as_json:
        click.echo(json.dumps({"running": release.running, "available": release.version,
                               "newer": release.is_newer}))
    elif release.is_newer:
        click.echo(f"release {release.version} is available (running {release.running})")
    else:
        click.echo(f"up to date (running {release.running}, repository offers {release.version})")


@update.command("apply")
@click.option("--from", "from_dir", type=USB_DIR, help="A USB folder with metadata/ and targets/.")
@click.pass_context
def update_apply(ctx: click.Context, from_dir: Path | None) -> None:
    """Install the newest signed release beside the running one and switch to it."""
    from kiosk.admin import update as updates

    click.echo(updates.apply(load_settings_from(ctx), from_dir).message)


@update.command("boot-check", hidden=True)
@click.pass_context
def update_boot_check(ctx: click.Context) -> None:
    """Before each start (ExecStartPre): roll back a release that never confirmed health."""
    from kiosk.admin.releases import InstallRoot

    install = InstallRoot(Path(load_settings_from(ctx).admin.install_root))
    rolled_back_to = install.boot_check()
    if rolled_back_to:
        click.echo(f"rolled back to release {rolled_back_to}", err=True)


@update.command("rollback")
@click.pass_context
def update_rollback(ctx: click.Context) -> None:
    """Go back to the previous release now (restart the kiosk service afterwards)."""
    from kiosk.admin.releases import InstallRoot

    install = InstallRoot(Path(load_settings_from(ctx).admin.install_root))
    click.echo(f"current release is now {install.rollback()}")


@update.command("confirm", hidden=True)
@click.pass_context
def update_confirm(ctx: click.Context) -> None:
    """After the app reported ready (ExecStartPost of a Type=notify unit): the switch is final."""
    from kiosk.admin.releases import InstallRoot

    InstallRoot(Path(load_settings_from(ctx).admin.install_root)).confirm_healthy()


# -- doctor -------------------------------------------------------------------------------
@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable report.")
@click.pass_context
def doctor(ctx: click.Context, as_json: bool) -> None:
    """Check readers, printer, portal, clock, certificates, database and queue.

    Exit code: the worst result (0 OK, 1 warning, 10 failure).
    """
    from kiosk.admin import doctor as diagnostics

    report = diagnostics.run(load_settings_from(ctx))
    click.echo(report.as_json() if as_json else report.as_text())
    ctx.exit(report.exit_code)


# -- provisioning -------------------------------------------------------------------------
@click.command()
@click.option("--portal", "portal_url", required=True, help="The portal's base URL (https://…).")
@click.option("--centre", "centre_code", required=True, help="Code of this service centre.")
@click.option("--enrolment-code", required=True, help="One-time code from the portal operator.")
@click.option("--kiosk-id", help="This kiosk's identifier (default: kiosk.kiosk_id).")
@click.option("--ca-bundle", type=click.Path(exists=True, dir_okay=False),
              help="CA bundle for the portal's TLS certificate, if not a public CA.")
@click.option("--force", is_flag=True, help="Re-enrol an enrolled kiosk (new keys and certificates).")
@click.option("--set-technician-pin", "set_pin", is_flag=True,
              help="Also ask for (or replace) the technician PIN, typed twice, never echoed.")
@click.pass_context
def provision(ctx: click.Context, portal_url: str, centre_code: str, enrolment_code: str,
              kiosk_id: str | None, ca_bundle: str | None, force: bool, set_pin: bool) -> None:
    """Enrol this kiosk with the portal; idempotent, and nothing is kept if it fails."""
    from kiosk.admin.provision import provision as enrol
    from kiosk.admin.technician import TechnicianGate, validate_pin

    settings = load_settings_from(ctx)
    pin = (click.prompt("Technician PIN (6-12 digits)", hide_input=True,
                        confirmation_prompt=True) if set_pin else None)
    if pin is not None:
        validate_pin(pin)  # refuse a weak PIN before the one-time code is spent
    enrolment = enrol(settings, portal_url=portal_url, centre_code=centre_code,
                      enrolment_code=enrolment_code, kiosk_id=kiosk_id, ca_bundle=ca_bundle,
                      force=force)
    click.echo(enrolment.summary())
    if pin is not None:
        TechnicianGate.for_settings(settings).set_pin(pin)
        click.echo("technician PIN set")


@click.command()
@click.option("--exported", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Manifest of a backlog export (`kiosk outbox export`) holding every unsent "
                   "dossier.")
@click.option("--discard-unsent", is_flag=True,
              help="Last resort when the database cannot be read: wipe without the check.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def deprovision(ctx: click.Context, exported: Path | None, discard_unsent: bool, yes: bool) -> None:
    """Wipe this kiosk's keys, database and enrolment (decommissioning).

    Refused while dossiers are not accepted by the portal, unless --exported names a
    backlog export that holds every one of them.
    """
    from kiosk.admin.provision import deprovision as wipe

    settings = load_settings_from(ctx)
    if not yes:
        click.confirm("This erases the database, its key and the enrolment. Continue?", abort=True)
    result = wipe(settings, exported=exported, discard_unsent=discard_unsent)
    for item in result.removed:
        click.echo(f"removed {item}")
    click.echo("deprovisioned; ask the portal operator to revoke this kiosk's certificates")


# -- logs ---------------------------------------------------------------------------------
@click.group()
def logs() -> None:
    """The kiosk's redacted logs."""


@logs.command("export")
@click.option("--to", "to_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the bundle into (e.g. the mounted USB stick).")
@click.option("--no-doctor", is_flag=True, help="Leave the doctor's report out (faster offline).")
@click.pass_context
def logs_export(ctx: click.Context, to_dir: Path, no_doctor: bool) -> None:
    """Bundle logs, the doctor's report and the settings (secrets removed) for support."""
    from kiosk.admin import doctor as diagnostics
    from kiosk.admin.support_bundle import export_bundle

    settings = load_settings_from(ctx)
    report = None if no_doctor else diagnostics.run(settings).as_json()
    click.echo(str(export_bundle(settings, to_dir, report)))
