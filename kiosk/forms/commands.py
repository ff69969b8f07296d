"""`kiosk forms`: list, show and validate procedure specs; report how much fills itself.

Exit codes: 0 ok; 2 a spec or argument is invalid (the message lists every problem).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click

from kiosk.forms.catalogue import Catalogue
from kiosk.forms.spec import FORMS_DIR, JourneySpec, ProcedureSpec, SpecError, load_spec


def _catalogue(ctx: click.Context) -> Catalogue:
    from kiosk.cli import load_settings_from
    from kiosk.forms.catalogue import active_catalogue

    settings = load_settings_from(ctx)
    return active_catalogue(settings.data_dir / "forms")


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _entry(spec: ProcedureSpec | JourneySpec, language: str) -> dict[str, Any]:
    if isinstance(spec, JourneySpec):
        return {"code": spec.code, "version": spec.version, "kind": "journey",
                "title": spec.title.get(language), "min_assurance": spec.min_assurance,
                "steps": [s.procedure for s in spec.steps]}
    return {"code": spec.code, "version": spec.version, "kind": "procedure",
            "title": spec.title.get(language), "category": spec.category,
            "min_assurance": spec.min_assurance, "working_days": spec.working_days,
            "fields": sum(1 + len(f.fields) for f in spec.all_fields())}


@click.group()
def forms() -> None:
    """Procedure specs (e-forms): the catalogue, one spec, checks, auto-fill figures."""


@forms.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--search", "query", default="", help="Only services matching (diacritics ignored).")
@click.option("--lang", "language", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.pass_context
def list_command(ctx: click.Context, as_json: bool, query: str, language: str) -> None:
    """The procedures and linked journeys of the active catalogue."""
    catalogue = _catalogue(ctx)
    entries = catalogue.search(query) if query else [*catalogue.procedures(), *catalogue.journeys()]
    rows = [_entry(spec, language) for spec in entries]
    if as_json:
        _echo_json({"catalogue_version": catalogue.version, "procedures": rows})
        return
    click.echo(f"catalogue {catalogue.version}")
    for row in rows:
        click.echo(f"  {row['code']:<32} {row['version']:<9} {row['kind']:<9} {row['title']}")


@forms.command("show")
@click.argument("code")
@click.option("--version", "version", default=None, help="An older version still kept.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (the whole spec).")
@click.option("--lang", "language", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.pass_context
def show(ctx: click.Context, code: str, version: str | None, as_json: bool, language: str) -> None:
    """One procedure's pages, fields, sources, fee, processing time and attachments."""
    catalogue = _catalogue(ctx)
    spec: ProcedureSpec | JourneySpec
    spec = catalogue.journey(code, version) if code in catalogue.info.journeys \
        else catalogue.procedure(code, version)
    if as_json:
        _echo_json(dict(spec.raw, available_versions=catalogue.versions(code)))
        return
    click.echo(f"{spec.code} {spec.version}: {spec.title.get(language)}")
    if isinstance(spec, JourneySpec):
        for step in spec.steps:
            after = f" (after {', '.join(step.depends_on)})" if step.depends_on else ""
            click.echo(f"  step {step.key}: {step.procedure}{after}")
        return
    click.echo(f"  form: {spec.legal_form.get(language)}")
    click.echo(f"  processing: {spec.working_days} working day(s); fee: {spec.fee_note.get(language)}")
    click.echo(f"  minimum assurance: {spec.min_assurance}")
    for page in spec.pages:
        click.echo(f"  [{page.key}] {page.title.get(language)}")
        for field in page.fields:
            sources = ", ".join(f"{s.kind}:{s.person + '.' if s.person else ''}{s.name}"
                                for s in field.sources) or ("computed" if field.calculate else "typed")
            click.echo(f"    {field.key:<34} {field.type:<12} {sources}")
            for sub in field.fields:
                click.echo(f"      {sub.key:<32} {sub.type:<12}")
    for attachment in spec.attachments:
        click.echo(f"  attachment {attachment.key}: {attachment.label.get(language)}")


@forms.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def validate(paths: tuple[Path, ...], as_json: bool) -> None:
    """Check spec files (default: the whole shipped catalogue) against the meta-schema."""
    targets: list[Path] = []
    for path in paths or (FORMS_DIR,):
        targets.extend(sorted(path.rglob("*.yaml")) if path.is_dir() else [path])
    targets = [t for t in targets if t.name != "catalogue.yaml" and "units" not in t.parts]
    results = []
    for target in targets:
        try:
            spec = load_spec(target)
            results.append({"path": str(target), "ok": True, "form_id": f"{spec.code}@{spec.version}"})
        except SpecError as error:
            results.append({"path": str(target), "ok": False, "problems": error.problems})
    catalogue_problems: list[str] = []
    if not paths:
        try:
            Catalogue()
        except SpecError as error:
            catalogue_problems = error.problems
    ok = all(r["ok"] for r in results) and not catalogue_problems
    if as_json:
        _echo_json({"ok": ok, "files": results, "catalogue_problems": catalogue_problems})
    else:
        for result in results:
            click.echo(f"{'ok  ' if result['ok'] else 'FAIL'} {result['path']}")
            for problem in result.get("problems", []):
                click.echo(f"     - {problem}")
        for problem in catalogue_problems:
            click.echo(f"FAIL catalogue: {problem}")
    if not ok:
        raise SpecError("forms validate", [f"{sum(not r['ok'] for r in results)} invalid file(s)"]
                        + catalogue_problems)


@forms.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--today", "today", default=None, help="Pretend date (YYYY-MM-DD), for reproducible figures.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool, today: str | None) -> None:
    """Per procedure and demo resident: fields shown, auto-filled, preset, to type; share auto-filled.

    "preset" fields hold the spec's default (the resident may accept it); they are not
    counted as auto-filled.
    """
    from kiosk.forms.stats import procedure_stats, summary

    day = date.fromisoformat(today) if today else date(2025, 11, 22)
    rows = procedure_stats(_catalogue(ctx), day)
    total = summary(rows)
    if as_json:
        _echo_json({"rows": [r.as_dict() for r in rows], "summary": total})
        return
    click.echo(f"{'procedure':<28} {'resident':<13} {'shown':>5} {'auto':>5} {'preset':>6} "
               f"{'type':>5} {'share':>6}")
    for row in rows:
        click.echo(f"{row.procedure:<28} {row.resident:<13} {row.shown:>5} {row.auto_filled:>5} "
                   f"{row.defaulted:>6} {row.to_type:>5} {row.share:>6.0%}")
    click.echo(f"{'all':<42} {total['shown']:>5} {total['auto_filled']:>5} {total['defaulted']:>6} "
               f"{total['to_type']:>5} {total['share']:>6.0%}")
