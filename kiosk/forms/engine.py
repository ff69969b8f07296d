"""The form engine: one resident filling one procedure, without any UI.

A :class:`FormSession` holds the values and their provenance, evaluates the spec's
expressions (relevance, requirement, constraints, calculations), reports errors in the
resident's language, and produces the frozen dossier content (:class:`FilledForm`):
the canonical payload and the provenance per field that the store captures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.errors import BadInput
from kiosk.forms import autofill
from kiosk.forms.autofill import Known
from kiosk.forms.expressions import Expression, ExpressionError, evaluate
from kiosk.forms.messages import MESSAGES
from kiosk.forms.payload import build_payload
from kiosk.forms.spec import FieldSpec, PageSpec, ProcedureSpec
from kiosk.forms.units import communes, provinces
from kiosk.forms.values import coerce, empty, type_problem
from kiosk.forms.vietnamese import matches

log = logging.getLogger(__name__)


class FieldLocked(BadInput):
    """The resident tried to change a value that is locked (verified chip data, a computation)."""


class UnknownField(BadInput):
    """The caller named a field the procedure does not have."""


class FormIncomplete(BadInput):
    """The form cannot be finished yet; ``errors`` lists what to fix (in the session language)."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} field(s) still need attention: "
                         + ", ".join(e.key for e in errors[:10]))


@dataclass(frozen=True)
class FieldError:
    key: str
    message: str


@dataclass
class Provenance:
    source: str
    confirmed: bool = False
    corrected: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "confirmed": self.confirmed, "corrected": self.corrected}


@dataclass(frozen=True)
class FieldView:
    """What a screen needs to show one field."""

    key: str
    label: str
    type: str
    value: Any
    source: str
    required: bool
    locked: bool
    page: str


@dataclass
class FilledForm:
    """The dossier content the store freezes, plus facts the journey and receipt need."""

    procedure_code: str
    form_id: str
    form_version: str
    payload: dict[str, Any]
    provenance: dict[str, dict[str, Any]]
    corrections: list[str]
    attachments_required: list[str]
    fee_vnd: int
    working_days: int
    values: dict[str, Any] = field(repr=False, default_factory=dict)
    sources: dict[str, str] = field(repr=False, default_factory=dict)


def item_key(group: str, index: int, key: str) -> str:
    """The provenance key of a field inside a repeat group item: ``members[0].full_name``."""
    return f"{group}[{index}].{key}"


class FormSession:
    """One procedure being filled; everything personal is dropped by :meth:`wipe`."""

    def __init__(self, spec: ProcedureSpec, known: Known, *, language: str = "vi",
                 today: date | None = None, preset: dict[str, Any] | None = None) -> None:
        self.spec = spec
        self.known = known
        self.language = language
        self.today = today or date.today()
        self.values: dict[str, Any] = {}
        self.items: dict[str, list[dict[str, Any]]] = {}
        self.provenance: dict[str, Provenance] = {}
        self.prefilled: dict[str, tuple[Any, str]] = {}
        self.corrections: list[str] = []
        self._preset = dict(preset or {})
        self._prefill()

    # -- filling -------------------------------------------------------------------
    def _prefill(self) -> None:
        for key, value in self._preset.items():
            self._store(key, coerce(self.spec.field(key), value), autofill.COMPUTED, prefill=True)
        # Two passes: sources copying another field ("field:x") run once the records are in.
        ordered = sorted(self.spec.all_fields(),
                         key=lambda s: any(src.kind == "field" for src in s.sources))
        for spec in ordered:
            if spec.key in self._preset:
                continue
            if spec.type == "repeat":
                self._prefill_items(spec)
                continue
            found = autofill.first_available(spec.sources, self.known, self.values, self._sources())
            if found is not None:
                self._store(spec.key, coerce(spec, found[0]), found[1], prefill=True)
            elif spec.default is not None:
                self._store(spec.key, coerce(spec, spec.default), autofill.DEFAULT, prefill=True)

    def _prefill_items(self, group: FieldSpec) -> None:
        self.items[group.key] = []
        if group.item_source is None:
            return
        entries, origin = autofill.list_source(group.item_source, self.known)
        for entry in entries[: group.max_items or None]:
            index = len(self.items[group.key])
            item: dict[str, Any] = {}
            for sub in group.fields:
                if sub.from_item and not empty(entry.get(sub.from_item)):
                    item[sub.key] = coerce(sub, entry[sub.from_item])
                    self.provenance[item_key(group.key, index, sub.key)] = Provenance(origin)
            self.items[group.key].append(item)

    def _store(self, key: str, value: Any, source: str, *, prefill: bool = False) -> None:
        self.values[key] = value
        if prefill:
            self.prefilled[key] = (value, source)
        self.provenance[key] = Provenance(source, confirmed=source in autofill.TYPISTS)

    def _sources(self) -> dict[str, str]:
        return {key: p.source for key, p in self.provenance.items()}

    def _spec(self, key: str) -> FieldSpec:
        try:
            return self.spec.field(key)
        except KeyError:
            raise UnknownField(f"procedure {self.spec.code} has no field {key!r}") from None

    def is_locked(self, key: str) -> bool:
        """Whether the resident may not change this field's value."""
        spec = self._spec(key)
        if spec.calculate is not None:
            return spec.override != "free"
        prior = self.prefilled.get(key)
        if key in self._preset:
            return True
        return bool(prior and prior[1] == autofill.CHIP_VERIFIED and spec.override == "locked")

    def set(self, key: str, raw: Any, *, by: str = autofill.RESIDENT) -> None:
        """Record a value typed or chosen by the resident (or a volunteer helping them)."""
        if by not in autofill.TYPISTS:
            raise BadInput(f"set(by=...) must be one of {autofill.TYPISTS}")
        spec = self._spec(key)
        if spec.type == "repeat":
            raise BadInput(f"{key} is a repeat group: use add_item / set_item")
        label = spec.label.get(self.language)
        if self.is_locked(key):
            reason = "computed" if spec.calculate is not None or key in self._preset else "locked"
            raise FieldLocked(MESSAGES[reason].get(self.language).format(label=label))
        value = coerce(spec, raw)
        prior = self.prefilled.get(key)
        if prior is not None and prior[0] == value:
            self.provenance[key].confirmed = True
            self.values[key] = value
            return
        self.values[key] = value
        corrected = prior is not None and prior[1] != autofill.DEFAULT
        self.provenance[key] = Provenance(by, confirmed=True, corrected=corrected)
        if prior is not None and prior[1] == autofill.CHIP_VERIFIED and key not in self.corrections:
            self.corrections.append(key)
            log.info("procedure %s: chip value of field %s corrected", self.spec.code, key)
        elif prior is None or prior[1] != autofill.CHIP_VERIFIED:
            if key in self.corrections:
                self.corrections.remove(key)

    def confirm(self, key: str) -> None:
        """The resident saw a pre-filled value and accepted it."""
        if key in self.provenance:
            self.provenance[key].confirmed = True

    def confirm_page(self, page_key: str) -> None:
        """Confirm every visible pre-filled value of a page (the "these are correct" button)."""
        for view in self.fields(page_key):
            self.confirm(view.key)
            if view.type == "repeat":
                for index, item in enumerate(self.items[view.key]):
                    for sub in item:
                        self.confirm(item_key(view.key, index, sub))

    def add_item(self, group: str) -> int:
        """Add an empty item to a repeat group; returns its index."""
        spec = self._spec(group)
        if spec.type != "repeat":
            raise BadInput(f"{group} is not a repeat group")
        items = self.items.setdefault(group, [])
        if spec.max_items is not None and len(items) >= spec.max_items:
            raise BadInput(MESSAGES["too_many"].get(self.language).format(
                label=spec.label.get(self.language), count=spec.max_items))
        items.append({})
        return len(items) - 1

    def remove_item(self, group: str, index: int) -> None:
        items = self.items.get(group, [])
        if not 0 <= index < len(items):
            raise BadInput(f"{group} has no item {index}")
        items.pop(index)
        prefix = f"{group}["
        kept = {k: v for k, v in self.provenance.items() if not k.startswith(prefix)}
        for new_index, item in enumerate(items):
            old_index = new_index if new_index < index else new_index + 1
            for sub in item:
                old = self.provenance.get(item_key(group, old_index, sub))
                if old is not None:
                    kept[item_key(group, new_index, sub)] = old
        self.provenance = kept

    def set_item(self, group: str, index: int, key: str, raw: Any, *,
                 by: str = autofill.RESIDENT) -> None:
        """Set one field of one repeat item."""
        spec = self._spec(group)
        sub = next((s for s in spec.fields if s.key == key), None)
        if sub is None:
            raise UnknownField(f"repeat group {group} has no field {key!r}")
        items = self.items.get(group, [])
        if not 0 <= index < len(items):
            raise BadInput(f"{group} has no item {index}")
        value = coerce(sub, raw)
        pkey = item_key(group, index, key)
        prior = self.provenance.get(pkey)
        if prior is not None and prior.source not in autofill.TYPISTS and items[index].get(key) == value:
            prior.confirmed = True
            return
        items[index][key] = value
        self.provenance[pkey] = Provenance(by, confirmed=True, corrected=prior is not None)

    # -- evaluation ----------------------------------------------------------------
    def _eval(self, expression: Expression, scope: dict[str, Any]) -> Any:
        try:
            return evaluate(expression, scope, self.today)
        except ExpressionError:
            # An expression failing on incomplete data (a comparison with an empty
            # value) counts as "not yet": it must not stop the resident.
            return None

    def scope(self) -> dict[str, Any]:
        """The values expressions see: calculations applied, non-relevant fields blank."""
        scope: dict[str, Any] = dict(self.values)
        scope.update({group: list(items) for group, items in self.items.items()})
        for _ in range(3):  # calculations may read other calculations; three passes suffice
            for spec in self.spec.all_fields():
                if spec.calculate is not None and not (
                        spec.override != "locked" and spec.key in self.provenance
                        and self.provenance[spec.key].source in autofill.TYPISTS):
                    value = self._eval(spec.calculate, scope)
                    scope[spec.key] = "" if value is None else value
            for page in self.spec.pages:
                page_on = page.relevant is None or bool(self._eval(page.relevant, scope))
                for spec in page.fields:
                    if not page_on or (spec.relevant is not None
                                       and not self._eval(spec.relevant, scope)):
                        scope[spec.key] = [] if spec.type == "repeat" else ""
        return scope

    def _relevant(self, spec: FieldSpec, page: PageSpec, scope: dict[str, Any]) -> bool:
        if page.relevant is not None and not self._eval(page.relevant, scope):
            return False
        return spec.relevant is None or bool(self._eval(spec.relevant, scope))

    def _required(self, spec: FieldSpec, scope: dict[str, Any]) -> bool:
        if isinstance(spec.required, bool):
            return spec.required
        return bool(self._eval(spec.required, scope))

    def current_value(self, key: str, scope: dict[str, Any] | None = None) -> Any:
        spec = self._spec(key)
        if spec.type == "repeat":
            return self.items.get(key, [])
        if spec.calculate is not None:
            return (scope or self.scope()).get(key, "")
        return self.values.get(key, "")

    def visible(self) -> list[FieldSpec]:
        """The fields shown now, in page order."""
        scope = self.scope()
        return [spec for page in self.spec.pages for spec in page.fields
                if self._relevant(spec, page, scope)]

    def fields(self, page_key: str) -> list[FieldView]:
        """The visible fields of one page, as the screen shows them."""
        scope = self.scope()
        page = next((p for p in self.spec.pages if p.key == page_key), None)
        if page is None:
            raise BadInput(f"procedure {self.spec.code} has no page {page_key!r}")
        views = []
        for spec in page.fields:
            if not self._relevant(spec, page, scope):
                continue
            source = self.provenance.get(spec.key)
            if spec.calculate is not None and (source is None or source.source not in autofill.TYPISTS):
                origin = autofill.COMPUTED
            else:
                origin = source.source if source else ""
            views.append(FieldView(spec.key, spec.label.get(self.language), spec.type,
                                   self.current_value(spec.key, scope), origin,
                                   self._required(spec, scope), self.is_locked(spec.key), page.key))
        return views

    def pages(self) -> list[str]:
        """The page sequence: pages with at least one visible field, in order."""
        visible = {spec.page for spec in self.visible()}
        return [page.key for page in self.spec.pages if page.key in visible]

    def _field_errors(self, spec: FieldSpec, value: Any, scope: dict[str, Any], key: str,
                      errors: list[FieldError]) -> None:
        label = spec.label.get(self.language)
        if empty(value):
            if self._required(spec, scope):
                errors.append(FieldError(key, MESSAGES["required"].get(self.language).format(label=label)))
            return
        problem = type_problem(spec, value, self.today, scope)
        if problem:
            errors.append(FieldError(key, MESSAGES[problem].get(self.language).format(label=label)))
            return
        for constraint in spec.constraints:
            if not self._eval(constraint.rule, dict(scope, **{spec.key: value})):
                errors.append(FieldError(key, constraint.message.get(self.language)))
                return

    def errors(self) -> list[FieldError]:
        """Everything that stops the form from being finished, in page order."""
        scope = self.scope()
        errors: list[FieldError] = []
        for page in self.spec.pages:
            for spec in page.fields:
                if not self._relevant(spec, page, scope):
                    continue
                if spec.type != "repeat":
                    self._field_errors(spec, self.current_value(spec.key, scope), scope, spec.key, errors)
                    continue
                items = self.items.get(spec.key, [])
                label = spec.label.get(self.language)
                minimum = spec.min_items or (1 if self._required(spec, scope) else 0)
                if len(items) < minimum:
                    errors.append(FieldError(spec.key, MESSAGES["too_few"].get(self.language).format(
                        label=label, count=minimum)))
                for index, item in enumerate(items):
                    item_scope = dict(scope, **item)
                    for sub in spec.fields:
                        if sub.relevant is not None and not self._eval(sub.relevant, item_scope):
                            continue
                        self._field_errors(sub, item.get(sub.key, ""), item_scope,
                                           item_key(spec.key, index, sub.key), errors)
        return errors

    def choices(self, key: str, query: str = "") -> list[tuple[Any, str]]:
        """The (code, label) choices of a select, province or commune field, in the
        session language, filtered by ``query`` without diacritics (the cascading
        commune list follows the province chosen)."""
        spec = self._spec(key)
        if spec.type == "select":
            found = [(o["code"], o["en" if self.language == "en" else "vi"]) for o in spec.options]
        elif spec.type == "province":
            found = [(u.code, u.name) for u in provinces()]
        elif spec.type == "commune":
            province = self.values.get(spec.province_field)
            found = [(u.code, u.name) for u in communes(province)] if isinstance(province, int) else []
        else:
            raise BadInput(f"{key} has no list of choices")
        return [(code, label) for code, label in found if not query or matches(query, label)]

    def fee(self) -> int:
        value = self._eval(self.spec.fee, self.scope())
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0

    def attachments_required(self) -> list[str]:
        """Keys of the attachments this branch of the procedure needs."""
        scope = self.scope()
        needed = []
        for attachment in self.spec.attachments:
            if attachment.relevant is not None and not self._eval(attachment.relevant, scope):
                continue
            required = attachment.required
            if required is True or (not isinstance(required, bool) and self._eval(required, scope)):
                needed.append(attachment.key)
        return needed

    # -- result --------------------------------------------------------------------
    def finish(self) -> FilledForm:
        """The frozen content of the dossier; raises FormIncomplete while errors remain."""
        errors = self.errors()
        if errors:
            raise FormIncomplete(errors)
        filled = self._build()
        log.info("procedure %s finished: %d fields, %d corrected", self.spec.code,
                 len(filled.values), len(filled.corrections))
        return filled

    def preview(self) -> FilledForm:
        """What finish() would give with the values so far, unchecked: for review screens
        and statistics, never for capture."""
        return self._build()

    def _build(self) -> FilledForm:
        scope = self.scope()
        shown = self.visible()
        provenance: dict[str, dict[str, Any]] = {}
        values: dict[str, Any] = {}
        for spec in shown:
            if spec.type == "repeat":
                for index, item in enumerate(self.items.get(spec.key, [])):
                    for sub_key in item:
                        pkey = item_key(spec.key, index, sub_key)
                        provenance[pkey] = self.provenance.get(pkey, Provenance(autofill.RESIDENT)).as_dict()
                values[spec.key] = [dict(item) for item in self.items.get(spec.key, [])]
                continue
            value = self.current_value(spec.key, scope)
            if empty(value):
                continue
            values[spec.key] = value
            if spec.calculate is not None and not (
                    spec.key in self.provenance and self.provenance[spec.key].source in autofill.TYPISTS):
                provenance[spec.key] = Provenance(autofill.COMPUTED, confirmed=True).as_dict()
            else:
                provenance[spec.key] = self.provenance[spec.key].as_dict()
        fee = self.fee()
        attachments = self.attachments_required()
        corrections = sorted(k for k in self.corrections if k in values)
        payload = build_payload(self.spec, shown, values, scope, fee=fee, attachments=attachments,
                                corrections=corrections)
        return FilledForm(self.spec.code, self.spec.form_id, self.spec.version, payload, provenance,
                          corrections, attachments, fee, self.spec.working_days, values,
                          {k: p["source"] for k, p in provenance.items()})

    # -- drafts and privacy ----------------------------------------------------------
    def to_draft(self) -> dict[str, Any]:
        """A draft to resume later (on this spec version, or migrated by the catalogue)."""
        return {"procedure": self.spec.code, "version": self.spec.version,
                "values": dict(self.values), "items": {k: [dict(i) for i in v] for k, v in self.items.items()},
                "provenance": {k: p.as_dict() for k, p in self.provenance.items()},
                "prefilled": {k: list(v) for k, v in self.prefilled.items()},
                "corrections": list(self.corrections)}

    def load_draft(self, draft: dict[str, Any]) -> None:
        """Restore a draft made on this very spec version (see catalogue.migrate_draft)."""
        if draft.get("procedure") != self.spec.code or draft.get("version") != self.spec.version:
            raise BadInput("this draft was made on another procedure or version: migrate it first")
        self.values = dict(draft["values"])
        self.items = {k: [dict(i) for i in v] for k, v in draft["items"].items()}
        self.provenance = {k: Provenance(**p) for k, p in draft["provenance"].items()}
        self.prefilled = {k: (v[0], v[1]) for k, v in draft.get("prefilled", {}).items()}
        self.corrections = list(draft.get("corrections", []))

    def wipe(self) -> None:
        """Drop every personal value held by this session and its records."""
        self.values.clear()
        self.items.clear()
        self.provenance.clear()
        self.prefilled.clear()
        self.corrections.clear()
        self._preset.clear()
        self.known.wipe()
