"""The `kiosk` command: one entry point for residents' kiosk, technicians and tests.

Exit codes (documented in the README): 0 ok; 2 bad usage or bad input; 1 or a
command-specific non-zero code for failures. Subcommand groups live beside the code
they drive (``kiosk/<area>/commands.py``) and are loaded lazily, so `kiosk --help`
stays fast and a command whose area has not landed yet is simply absent.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from kiosk import __version__
from kiosk.errors import KioskError

# name -> "module:attribute" of a click command or group, loaded on first use.
LAZY_COMMANDS: dict[str, str] = {
    "card": "kiosk.devices.card.commands:card",
    "outbox": "kiosk.store.commands:outbox",
    "sync": "kiosk.sync.commands:sync",
    "forms": "kiosk.forms.commands:forms",
    "receipt": "kiosk.receipts.commands:receipt",
    "face": "kiosk.identity.commands:face",
    "vneid": "kiosk.identity.vneid_commands:vneid",
    "doctor": "kiosk.admin.commands:doctor",
    "provision": "kiosk.admin.commands:provision",
    "deprovision": "kiosk.admin.commands:deprovision",
    "update": "kiosk.admin.commands:update",
    "logs": "kiosk.admin.commands:logs",
    "walkthrough": "kiosk.ui.walkthrough:walkthrough",
}


def _module_exists(dotted: str) -> bool:
    try:
        return importlib.util.find_spec(dotted) is not None
    except ModuleNotFoundError:
        return False


class KioskGroup(click.Group):
    """A click group that finds area commands lazily and turns KioskError into exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        lazy = [name for name, target in LAZY_COMMANDS.items()
                if _module_exists(target.split(":")[0])]
        return sorted(set(super().list_commands(ctx)) | set(lazy))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        target = LAZY_COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        if not _module_exists(module_name):
            return None
        # A module that exists but does not (yet) define its command: not offered.
        return getattr(importlib.import_module(module_name), attribute, None)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KioskError as error:
            click.echo(f"error: {error.message}", err=True)
            ctx.exit(error.exit_code)


def load_settings_from(ctx: click.Context):  # noqa: ANN201 - returns kiosk.config.Settings
    """The Settings for this invocation, built once from file, environment and flags."""
    from kiosk.config import load_settings

    root = ctx.find_root()
    obj = root.ensure_object(dict)
    if "settings" not in obj:
        obj["settings"] = load_settings(
            config_file=obj.get("config_file"),
            overrides=obj.get("overrides", {}),
            demo=obj.get("demo"),
        )
    return obj["settings"]


def _parse_set(values: tuple[str, ...]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for item in values:
        if "=" not in item or "." not in item.split("=", 1)[0]:
            raise click.BadParameter(f"expected SECTION.KEY=VALUE, got {item!r}", param_hint="--set")
        key, value = item.split("=", 1)
        overrides[key.strip()] = value
    return overrides


@click.group(cls=KioskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="kiosk")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Settings file (TOML). Default: kiosk.toml in the user's config directory.")
@click.option("--set", "set_values", multiple=True, metavar="SECTION.KEY=VALUE",
              help="Override one setting; repeatable. Wins over the file and the environment.")
@click.option("--demo/--no-demo", default=None,
              help="Embedded defaults: virtual card, local portal simulator, demo residents.")
@click.pass_context
def main(ctx: click.Context, config_file: Path | None, set_values: tuple[str, ...],
         demo: bool | None) -> None:
    """Self-service kiosk for commune public administration service centres.

    \b
    Exit codes: 0 ok, 2 bad usage or input, other non-zero values for failures
    (each command documents its own).
    """
    ctx.ensure_object(dict)
    ctx.obj.update(config_file=config_file, overrides=_parse_set(set_values), demo=demo)


@main.command()
@click.option("--kiosk", "fullscreen", is_flag=True, help="Full-screen and frameless, as on a real kiosk.")
@click.option("--demo", is_flag=True, default=None, help="Same as the global --demo.")
@click.option("--measure-startup", is_flag=True, hidden=True,
              help="Print startup figures as JSON once the attract screen shows, then quit (bench).")
@click.pass_context
def run(ctx: click.Context, fullscreen: bool, demo: bool | None, measure_startup: bool) -> None:
    """Start the kiosk window on the configured (or embedded) defaults."""
    if demo:
        ctx.find_root().obj["demo"] = True
    settings = load_settings_from(ctx)
    from kiosk.app import run_kiosk

    sys.exit(run_kiosk(settings, fullscreen=fullscreen or settings.ui.fullscreen,
                       measure_startup=measure_startup))


@main.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PNG files (created if missing).")
@click.option("--width", default=1280, show_default=True, help="Window width in pixels.")
@click.option("--height", default=800, show_default=True, help="Window height in pixels.")
@click.pass_context
def shots(ctx: click.Context, out_dir: Path, width: int, height: int) -> None:
    """Render every screen offscreen to PNG, in Vietnamese and English."""
    ctx.find_root().obj.setdefault("demo", True)
    settings = load_settings_from(ctx)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # shots never need a display
    from kiosk.ui.shots import render_all

    written = render_all(settings, out_dir, size=(width, height))
    for path in written:
        click.echo(str(path))


@main.group()
def config() -> None:
    """Show the effective settings and their documented defaults."""


@config.command("show")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def config_show(ctx: click.Context, as_json: bool) -> None:
    """The settings in force, after file, environment and flags."""
    settings = load_settings_from(ctx)
    data = settings.as_dict()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for section, values in data.items():
        click.echo(f"[{section}]")
        for key, value in values.items():
            click.echo(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        click.echo()


@config.command("defaults")
def config_defaults() -> None:
    """A settings file with every key, its default and its meaning (TOML)."""
    from kiosk.config import documented_defaults

    click.echo(documented_defaults())
