"""Procedure and journey specs: YAML files checked against the meta-schema, then by meaning.

The JSON-Schema meta-schema (resources/forms/meta-schema.json) checks the shape; the
checks here catch what a schema cannot: duplicate keys, expressions outside the
language or naming unknown fields, sources naming undeclared persons, typical answers
for fields that do not exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from kiosk.errors import BadInput
from kiosk.forms.expressions import Expression, ExpressionError, compile_expression

FORMS_DIR = Path(__file__).resolve().parents[2] / "resources" / "forms"
# libyaml's safe loader when the wheel has it (ten times faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SOURCE_KINDS = ("chip", "lookup", "linked", "relation", "setting", "field")
SOURCE_PIPES = ("address", "street", "commune", "province", "year", "name_case")


class SpecError(BadInput):
    """A procedure spec is malformed; ``problems`` lists every finding with its place."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"{where}: invalid spec\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class Text:
    """A text in both languages of the kiosk."""

    vi: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.vi


@dataclass(frozen=True)
class Constraint:
    rule: Expression
    message: Text


@dataclass(frozen=True)
class Source:
    """One auto-fill source: ``chip:mother.full_name|name_case``, ``setting:centre_name``…"""

    kind: str
    person: str = ""
    name: str = ""
    pipe: str = ""

    @staticmethod
    def parse(text: str) -> Source:
        kind, _, rest = text.partition(":")
        if kind in ("setting", "field"):
            return Source(kind, name=rest)
        target, _, pipe = rest.partition("|")
        person, _, name = target.partition(".")
        return Source(kind, person, name, pipe)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    type: str
    label: Text
    help: Text | None
    portal: str
    sources: tuple[Source, ...]
    override: str
    relevant: Expression | None
    required: bool | Expression
    constraints: tuple[Constraint, ...]
    calculate: Expression | None
    default: Any
    options: tuple[dict[str, Any], ...]
    province_field: str
    min_items: int
    max_items: int | None
    fields: tuple[FieldSpec, ...]
    item_source: Source | None
    from_item: str
    page: str
    future: bool = False
    # Phrases the on-screen keyboard offers for this field (kiosk/keyboard/suggest.py).
    suggestions: tuple[str, ...] = ()

    def option_label(self, code: Any, language: str) -> str:
        for option in self.options:
            if option["code"] == code:
                return option["en" if language == "en" else "vi"]
        return str(code)


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: Text
    relevant: Expression | None
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class AttachmentSpec:
    key: str
    label: Text
    required: bool | Expression
    relevant: Expression | None


@dataclass(frozen=True)
class ProcedureSpec:
    """One procedure, as loaded and checked; ``raw`` keeps the YAML document."""

    code: str
    version: str
    effective_date: str
    title: Text
    legal_form: Text
    portal_procedure: str
    min_assurance: str
    category: str
    standalone: bool
    working_days: int
    processing_note: Text | None
    fee: Expression
    fee_note: Text
    persons: dict[str, Text]
    provides: dict[str, dict[str, str]]
    attachments: tuple[AttachmentSpec, ...]
    pages: tuple[PageSpec, ...]
    typical: dict[str, Any]
    migrations: tuple[dict[str, Any], ...]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def form_id(self) -> str:
        return f"{self.code}@{self.version}"

    def all_fields(self) -> list[FieldSpec]:
        """Every top-level field, page by page (repeat groups included, not their items)."""
        return [f for page in self.pages for f in page.fields]

    def field(self, key: str) -> FieldSpec:
        for candidate in self.all_fields():
            if candidate.key == key:
                return candidate
            for item in candidate.fields:
                if item.key == key:
                    return item
        raise KeyError(key)


@dataclass(frozen=True)
class JourneyStep:
    key: str
    procedure: str
    depends_on: tuple[str, ...]
    persons: dict[str, str]
    answers: dict[str, Any]


@dataclass(frozen=True)
class JourneySpec:
    """Several procedures filled as one guided journey, producing linked dossiers."""

    code: str
    version: str
    title: Text
    min_assurance: str
    steps: tuple[JourneyStep, ...]
    typical: dict[str, Any]
    raw: dict[str, Any] = field(repr=False, compare=False)


@lru_cache(maxsize=1)
def _validators() -> tuple[Draft202012Validator, Draft202012Validator]:
    procedure = json.loads((FORMS_DIR / "meta-schema.json").read_text(encoding="utf-8"))
    journey = json.loads((FORMS_DIR / "journey-schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resources([
        (procedure["$id"], Resource.from_contents(procedure)),
        (journey["$id"], Resource.from_contents(journey)),
    ])
    Draft202012Validator.check_schema(procedure)
    Draft202012Validator.check_schema(journey)
    return (Draft202012Validator(procedure, registry=registry),
            Draft202012Validator(journey, registry=registry))


def _text(data: dict[str, str] | None) -> Text | None:
    return Text(data["vi"], data["en"]) if data else None


def read_document(path: Path) -> dict[str, Any]:
    """The YAML document of a spec file, or SpecError if it is not a YAML mapping."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SpecError(str(path), [f"cannot read: {type(error).__name__}: {error}"]) from error
    if not isinstance(data, dict):
        raise SpecError(str(path), ["not a YAML mapping"])
    return data


def schema_problems(data: dict[str, Any]) -> list[str]:
    """Meta-schema findings for a procedure or journey document, each with its JSON path."""
    validator = _validators()[1 if "journey" in data else 0]
    return [f"{'/'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message}"
            for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))]


class _Builder:
    """Turns a schema-valid document into a ProcedureSpec, collecting semantic problems."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []
        self.persons = set(data["persons"])
        self.keys: set[str] = set()
        for page in data["pages"]:
            for item in page["fields"]:
                self._collect(item)

    def _collect(self, item: dict[str, Any]) -> None:
        if item["key"] in self.keys:
            self.problems.append(f"field {item['key']}: key used twice")
        self.keys.add(item["key"])
        for sub in item.get("fields", []):
            self._collect(sub)

    def expression(self, text: str | None, where: str) -> Expression | None:
        if text is None:
            return None
        try:
            return compile_expression(text, self.keys)
        except ExpressionError as error:
            self.problems.append(f"{where}: {error.message}")
            return None

    def condition(self, value: bool | str | None, where: str) -> bool | Expression:
        if value is None or isinstance(value, bool):
            return bool(value)
        return self.expression(value, where) or False

    def source(self, text: str, where: str) -> Source:
        source = Source.parse(text)
        if source.kind in ("chip", "lookup", "relation") and source.person not in self.persons:
            self.problems.append(f"{where}: source {text!r} names undeclared person {source.person!r}")
        if source.kind == "relation" and (source.name not in self.persons or source.pipe):
            self.problems.append(f"{where}: source {text!r} must name a second declared person")
        if source.kind == "field" and source.name not in self.keys:
            self.problems.append(f"{where}: source {text!r} names unknown field")
        if source.pipe and source.pipe not in SOURCE_PIPES:
            self.problems.append(f"{where}: unknown transform {source.pipe!r}")
        return source

    @staticmethod
    def default_override(item: dict[str, Any]) -> str:
        # Verified chip values and computations are locked unless the spec says otherwise.
        chip = any(s.startswith("chip:") for s in item.get("source", []))
        return "locked" if chip or "calculate" in item else "free"

    def field(self, item: dict[str, Any], page: str) -> FieldSpec:
        where = f"field {item['key']}"
        if item["type"] == "commune" and item.get("province_field") not in self.keys:
            self.problems.append(f"{where}: province_field names no field")
        constraints = []
        for index, rule in enumerate(item.get("constraints", [])):
            compiled = self.expression(rule["rule"], f"{where} constraint {index}")
            if compiled is not None:
                constraints.append(Constraint(compiled, _text(rule["message"])))
        return FieldSpec(
            key=item["key"], type=item["type"], label=_text(item["label"]),
            help=_text(item.get("help")), portal=item.get("portal", item["key"]),
            sources=tuple(self.source(s, where) for s in item.get("source", [])),
            override=item.get("override", self.default_override(item)),
            relevant=self.expression(item.get("relevant"), f"{where} relevant"),
            required=self.condition(item.get("required"), f"{where} required"),
            constraints=tuple(constraints),
            calculate=self.expression(item.get("calculate"), f"{where} calculate"),
            default=item.get("default"), options=tuple(item.get("options", [])),
            province_field=item.get("province_field", ""),
            min_items=item.get("min_items", 0), max_items=item.get("max_items"),
            fields=tuple(self.field(sub, page) for sub in item.get("fields", [])),
            item_source=self.source(item["item_source"], where) if "item_source" in item else None,
            from_item=item.get("from_item", ""), page=page, future=item.get("future", False),
            suggestions=tuple(item.get("suggestions", [])))

    def build(self, where: str) -> ProcedureSpec:
        data = self.data
        pages = tuple(PageSpec(p["key"], _text(p["title"]),
                               self.expression(p.get("relevant"), f"page {p['key']} relevant"),
                               tuple(self.field(f, p["key"]) for f in p["fields"]))
                      for p in data["pages"])
        attachments = tuple(
            AttachmentSpec(a["key"], _text(a["label"]),
                           self.condition(a.get("required", True), f"attachment {a['key']}"),
                           self.expression(a.get("relevant"), f"attachment {a['key']} relevant"))
            for a in data.get("attachments", []))
        fee = self.expression(data["fee"]["amount"], "fee amount")
        for slot, mapping in data.get("provides", {}).items():
            for target in mapping.values():
                if target not in self.keys:
                    self.problems.append(f"provides {slot}: unknown field {target!r}")
        typical = data.get("typical", {})
        for key in list(typical.get("answers", {})) + list(typical.get("items", {})):
            if key not in self.keys:
                self.problems.append(f"typical: answer for unknown field {key!r}")
        for slot in typical.get("persons", {}):
            if slot not in self.persons:
                self.problems.append(f"typical: unknown person {slot!r}")
        if self.problems:
            raise SpecError(where, self.problems)
        processing = data["processing"]
        return ProcedureSpec(
            code=data["code"], version=data["version"], effective_date=data["effective_date"],
            title=_text(data["title"]), legal_form=_text(data["legal_form"]),
            portal_procedure=data["portal_procedure"], min_assurance=data["min_assurance"],
            category=data.get("category", "civil_status"), standalone=data.get("standalone", True),
            working_days=processing["working_days"], processing_note=_text(processing.get("note")),
            fee=fee, fee_note=_text(data["fee"]["note"]),
            persons={k: _text(v["label"]) for k, v in data["persons"].items()},
            provides=data.get("provides", {}), attachments=attachments, pages=pages,
            typical=typical, migrations=tuple(data.get("migrations", [])), raw=data)


def build_procedure(data: dict[str, Any], where: str = "spec") -> ProcedureSpec:
    """A ProcedureSpec from a document, or SpecError listing every problem."""
    problems = schema_problems(data)
    if problems:
        raise SpecError(where, problems)
    return _Builder(data).build(where)


def build_journey(data: dict[str, Any], where: str = "journey") -> JourneySpec:
    """A JourneySpec from a document (its procedures are checked by the catalogue)."""
    problems = schema_problems(data)
    keys = [step["key"] for step in data.get("steps", [])] if not problems else []
    for step in data.get("steps", []) if not problems else []:
        for parent in step.get("depends_on", []):
            if parent not in keys[:keys.index(step["key"])]:
                problems.append(f"step {step['key']}: depends on {parent!r}, not an earlier step")
    if problems:
        raise SpecError(where, problems)
    steps = tuple(JourneyStep(s["key"], s["procedure"], tuple(s.get("depends_on", [])),
                              dict(s.get("persons", {})), dict(s.get("answers", {})))
                  for s in data["steps"])
    return JourneySpec(data["code"], data["version"], _text(data["title"]), data["min_assurance"],
                       steps, data.get("typical", {}), data)


def load_spec(path: Path) -> ProcedureSpec | JourneySpec:
    """Load one spec file (procedure or journey), fully checked."""
    data = read_document(path)
    if "journey" in data:
        return build_journey(data, str(path))
    return build_procedure(data, str(path))
