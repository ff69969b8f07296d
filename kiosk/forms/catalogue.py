"""The catalogue of procedure specs: the shipped one, newer ones from the portal, old versions.

Layout of a catalogue folder (the shipped one is resources/forms/):

    catalogue.yaml                      which version of each procedure/journey is current
    procedures/<code>/<version>.yaml    every version still needed
    journeys/<code>/<version>.yaml

A newer catalogue arrives from the portal already verified (the sync area checks its
signature); :func:`install_catalogue` checks every spec in it and copies it into the
kiosk's own catalogue folder, keeping each older version for as long as queued
dossiers were made with it. A dossier records its spec version (``form_id`` =
``code@version``); a draft started on an old version finishes on it, or moves to the
current one only by the explicit rule in the new spec's ``migrations``.
"""

from __future__ import annotations

import io
import logging
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kiosk.errors import BadInput, KioskError
from kiosk.forms.spec import (
    FORMS_DIR,
    JourneySpec,
    ProcedureSpec,
    SpecError,
    build_journey,
    build_procedure,
    read_document,
)
from kiosk.forms.vietnamese import matches

log = logging.getLogger(__name__)
MAX_ARCHIVE_BYTES = 5 * 1024 * 1024


def version_key(version: str) -> tuple[int, ...]:
    """Order versions numerically: 2025.7 before 2025.12."""
    return tuple(int(part) for part in version.split(".") if part.isdigit())


class UnknownProcedure(BadInput):
    """No procedure (or no such version of it) in the catalogue."""


class NoMigration(KioskError):
    """A draft's version has no migration rule to the current one: finish it on its version."""


@dataclass(frozen=True)
class CatalogueInfo:
    version: str
    procedures: dict[str, str]
    journeys: dict[str, str]


def _read_index(folder: Path) -> CatalogueInfo:
    path = folder / "catalogue.yaml"
    if not path.is_file():
        raise SpecError(str(folder), ["catalogue.yaml missing"])
    data = read_document(path)
    problems = []
    if data.get("catalogue") != 1:
        problems.append("catalogue: expected format 1")
    if not isinstance(data.get("version"), str):
        problems.append("version: expected text")
    for section in ("procedures", "journeys"):
        if not isinstance(data.get(section, {}), dict):
            problems.append(f"{section}: expected a mapping of code to version")
    if problems:
        raise SpecError(str(path), problems)
    return CatalogueInfo(data["version"], {k: str(v) for k, v in data.get("procedures", {}).items()},
                         {k: str(v) for k, v in (data.get("journeys") or {}).items()})


class Catalogue:
    """The procedures a kiosk offers, each at its current version, plus older versions."""

    def __init__(self, folder: Path | None = None, *, fallback: Path | None = FORMS_DIR) -> None:
        self.folder = folder or FORMS_DIR
        self.fallback = fallback if fallback and fallback != self.folder else None
        self.info = _read_index(self.folder)
        self._cache: dict[tuple[str, str, str], ProcedureSpec | JourneySpec] = {}
        for code, version in self.info.procedures.items():
            self.procedure(code, version)
        for code, version in self.info.journeys.items():
            journey = self.journey(code, version)
            for step in journey.steps:
                if step.procedure not in self.info.procedures:
                    raise SpecError(f"journey {code}", [f"step {step.key}: unknown procedure {step.procedure!r}"])

    @property
    def version(self) -> str:
        return self.info.version

    def _path(self, kind: str, code: str, version: str) -> Path | None:
        for root in (self.folder, self.fallback):
            if root is not None:
                path = root / kind / code / f"{version}.yaml"
                if path.is_file():
                    return path
        return None

    def _load(self, kind: str, code: str, version: str) -> ProcedureSpec | JourneySpec:
        cached = self._cache.get((kind, code, version))
        if cached is not None:
            return cached
        path = self._path(kind, code, version)
        if path is None:
            raise UnknownProcedure(f"{kind[:-1]} {code!r} version {version!r} is not in the catalogue")
        data = read_document(path)
        spec = build_journey(data, str(path)) if kind == "journeys" else build_procedure(data, str(path))
        if spec.code != code or spec.version != version:
            raise SpecError(str(path), [f"file says {spec.code}@{spec.version}, expected {code}@{version}"])
        self._cache[(kind, code, version)] = spec
        return spec

    def procedure(self, code: str, version: str | None = None) -> ProcedureSpec:
        """A procedure at its current version, or at a given (older) version."""
        if version is None:
            if code not in self.info.procedures:
                raise UnknownProcedure(f"no procedure {code!r}; see `kiosk forms list`")
            version = self.info.procedures[code]
        spec = self._load("procedures", code, version)
        assert isinstance(spec, ProcedureSpec)
        return spec

    def journey(self, code: str, version: str | None = None) -> JourneySpec:
        if version is None:
            if code not in self.info.journeys:
                raise UnknownProcedure(f"no journey {code!r}; see `kiosk forms list`")
            version = self.info.journeys[code]
        spec = self._load("journeys", code, version)
        assert isinstance(spec, JourneySpec)
        return spec

    def by_form_id(self, form_id: str) -> ProcedureSpec:
        """The exact spec a dossier was made with (``code@version``)."""
        code, _, version = form_id.partition("@")
        return self.procedure(code, version or None)

    def procedures(self) -> list[ProcedureSpec]:
        return [self.procedure(code) for code in self.info.procedures]

    def journeys(self) -> list[JourneySpec]:
        return [self.journey(code) for code in self.info.journeys]

    def versions(self, code: str) -> list[str]:
        """Every version of a procedure this kiosk can still load."""
        found: set[str] = set()
        for root in (self.folder, self.fallback):
            if root is not None and (root / "procedures" / code).is_dir():
                found.update(p.stem for p in (root / "procedures" / code).glob("*.yaml"))
        return sorted(found, key=version_key)

    def search(self, query: str) -> list[ProcedureSpec | JourneySpec]:
        """Services whose Vietnamese or English title matches, diacritics ignored."""
        entries: list[ProcedureSpec | JourneySpec] = [*self.procedures(), *self.journeys()]
        return [e for e in entries if matches(query, e.title.vi) or matches(query, e.title.en)]


def migrate_draft(draft: dict[str, Any], target: ProcedureSpec) -> dict[str, Any]:
    """Move a draft to ``target``'s version by the explicit rule ``target.migrations`` holds.

    The rule renames and drops field keys; everything else must exist in the target
    spec, or there is no migration (raise NoMigration: finish the draft on its own
    version, which the catalogue keeps while it is needed).
    """
    if draft.get("procedure") != target.code:
        raise BadInput("draft is of another procedure")
    if draft.get("version") == target.version:
        return draft
    rule = next((m for m in target.migrations if m["from_version"] == draft.get("version")), None)
    if rule is None:
        raise NoMigration(f"{target.code}: no migration from {draft.get('version')} to {target.version}")
    rename, drop = rule.get("rename", {}), set(rule.get("drop", []))
    known = {f.key for f in target.all_fields()}

    def move(mapping: dict[str, Any]) -> dict[str, Any]:
        moved = {}
        for key, value in mapping.items():
            head = key.split("[")[0]
            if head in drop:
                continue
            new_head = rename.get(head, head)
            if new_head not in known:
                raise NoMigration(f"{target.code}: field {head!r} has no place in {target.version}")
            moved[new_head + key[len(head):]] = value
        return moved

    return {"procedure": target.code, "version": target.version,
            "values": move(draft["values"]), "items": move(draft["items"]),
            "provenance": move(draft["provenance"]), "prefilled": move(draft.get("prefilled", {})),
            "corrections": [rename.get(k, k) for k in draft.get("corrections", []) if k not in drop]}


def _extract(archive: bytes, into: Path) -> None:
    if len(archive) > MAX_ARCHIVE_BYTES:
        raise BadInput("catalogue archive too large")
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
            for entry in bundle.infolist():
                name = Path(entry.filename)
                if entry.is_dir():
                    continue
                if name.is_absolute() or ".." in name.parts or name.suffix not in (".yaml", ".json"):
                    raise BadInput(f"catalogue archive: entry {entry.filename!r} not allowed")
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(bundle.read(entry))
    except zipfile.BadZipFile as error:
        raise BadInput("catalogue archive is not a zip file") from error


def install_catalogue(verified: Path | bytes, into: Path,
                      in_use: set[str] | frozenset[str] = frozenset()) -> Catalogue:
    """Install a newer, already-verified catalogue (a folder or zip bytes) into ``into``.

    Every spec is checked before anything changes; the previous catalogue's versions
    named in ``in_use`` (``code@version`` of queued dossiers and open drafts) are kept
    so those dossiers stay loadable. Returns the catalogue now active.
    """
    with tempfile.TemporaryDirectory() as scratch:
        staged = Path(scratch) / "new"
        if isinstance(verified, bytes):
            staged.mkdir()
            _extract(verified, staged)
        else:
            shutil.copytree(verified, staged)
        for form_id in in_use:
            code, _, version = form_id.partition("@")
            for root in (into, FORMS_DIR):
                old = root / "procedures" / code / f"{version}.yaml"
                kept = staged / "procedures" / code / f"{version}.yaml"
                if old.is_file() and not kept.exists():
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(old, kept)
                    break
        Catalogue(staged, fallback=None)  # raises SpecError naming every problem
        for form_id in in_use:
            code, _, version = form_id.partition("@")
            if not (staged / "procedures" / code / f"{version}.yaml").is_file():
                raise BadInput(f"{form_id} is still in use but no longer available")
        if into.exists():
            shutil.rmtree(into)
        into.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staged, into)
    catalogue = Catalogue(into, fallback=None)
    log.info("catalogue %s installed (%d procedures, %d kept for queued dossiers)",
             catalogue.version, len(catalogue.info.procedures), len(in_use))
    return catalogue


def active_catalogue(installed: Path | None) -> Catalogue:
    """The installed catalogue when there is one, else the shipped one."""
    if installed is not None and (installed / "catalogue.yaml").is_file():
        return Catalogue(installed)
    return Catalogue()


def removable_versions(catalogue: Catalogue, in_use: set[str]) -> list[str]:
    """Old versions (``code@version``) that no queued dossier needs any more."""
    removable = []
    for code, current in catalogue.info.procedures.items():
        for version in catalogue.versions(code):
            form_id = f"{code}@{version}"
            if version != current and form_id not in in_use:
                removable.append(form_id)
    return removable


def dump_index(info: CatalogueInfo) -> str:
    return yaml.safe_dump({"catalogue": 1, "version": info.version, "procedures": info.procedures,
                           "journeys": info.journeys}, allow_unicode=True, sort_keys=True)
