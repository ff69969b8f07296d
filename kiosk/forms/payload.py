"""The canonical dossier payload: what the store freezes and the portal receives.

Shape (format 1, documented in docs/forms.md):

    {"format": 1, "procedure": CODE, "portal_procedure": ..., "form_version": ...,
     "data": {nested by each field's portal name},
     "fee_vnd": int, "processing_working_days": int,
     "attachments_required": [keys], "corrections": [field keys]}

Only fields shown in the branch taken and not empty appear. Text is NFC, dates ISO,
numbers int, provinces and communes ``{"code": int, "name": str}``. The store
serialises it with sorted keys, so key order here does not matter for the bytes.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from kiosk.forms.spec import FieldSpec, ProcedureSpec
from kiosk.forms.values import unit_name

PAYLOAD_FORMAT = 1


def _canonical(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", k): _canonical(v) for k, v in value.items()}
    return value


def _put(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _field_value(spec: FieldSpec, value: Any, scope: dict[str, Any]) -> Any:
    if spec.type in ("province", "commune") and isinstance(value, int):
        return {"code": value, "name": unit_name(spec, value, scope)}
    return value


def build_payload(spec: ProcedureSpec, shown: list[FieldSpec], values: dict[str, Any],
                  scope: dict[str, Any], *, fee: int, attachments: list[str],
                  corrections: list[str]) -> dict[str, Any]:
    """The canonical payload of a finished form (see the module docstring for its shape)."""
    data: dict[str, Any] = {}
    for field_spec in shown:
        if field_spec.key not in values:
            continue
        value = values[field_spec.key]
        if field_spec.type == "repeat":
            items = []
            for item in value:
                built: dict[str, Any] = {}
                item_scope = dict(scope, **item)
                for sub in field_spec.fields:
                    if sub.key in item and item[sub.key] not in (None, ""):
                        _put(built, sub.portal, _field_value(sub, item[sub.key], item_scope))
                items.append(built)
            _put(data, field_spec.portal, items)
        else:
            _put(data, field_spec.portal, _field_value(field_spec, value, scope))
    return _canonical({
        "format": PAYLOAD_FORMAT,
        "procedure": spec.code,
        "portal_procedure": spec.portal_procedure,
        "form_version": spec.version,
        "data": data,
        "fee_vnd": fee,
        "processing_working_days": spec.working_days,
        "attachments_required": list(attachments),
        "corrections": list(corrections),
    })
