"""A form as the screens show it: plain dicts for QML, in the resident's language.

No Qt here: the session view-model calls these to present the form engine's state (page
fields with their sources, repeat items, the review, who else could tap a card).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.forms.engine import FormSession, item_key
from kiosk.ui.wording import source_text


def raw(value: Any) -> str:
    """A value as the form engine's ``set`` accepts it back, for comparisons in QML."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return ""
    return str(value)


def options_for(kind: str, spec: Any, language: str) -> list[dict[str, str]]:
    """The choices a field offers, labelled in the resident's language."""
    english = language == "en"
    if kind == "yes_no":
        return [{"value": "true", "label": "Yes" if english else "Có"},
                {"value": "false", "label": "No" if english else "Không"}]
    return [{"value": str(option.get("code", option.get("value", ""))),
             "label": str(option.get("en" if english else "vi") or option.get("code", ""))}
            for option in spec.options]


def display(value: Any, options: list[dict[str, str]]) -> str:
    """A value as the resident reads it: option labels, dates as day/month/year."""
    text = raw(value)
    for option in options:
        if option["value"] == text:
            return option["label"]
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
        return f"{text[8:]}/{text[5:7]}/{text[:4]}"
    return text


def repeat_view(form: FormSession, view: Any, spec: Any, language: str,
                errors: dict[str, str]) -> dict[str, Any]:
    """A repeat group (household members, residence history): its items, each with its own
    small set of fields."""
    items = []
    for index, item in enumerate(form.items.get(view.key, [])):
        sub_views = []
        for sub in spec.fields:
            options = options_for(sub.type, sub, language)
            key = item_key(view.key, index, sub.key)
            origin = form.provenance.get(key)
            sub_views.append({"key": sub.key, "path": key, "label": sub.label.get(language),
                              "type": sub.type, "value": raw(item.get(sub.key)),
                              "display": display(item.get(sub.key), options),
                              "options": options, "error": errors.get(key, ""),
                              "sourceText": source_text(origin.source if origin else "", language)})
        items.append({"index": index, "fields": sub_views})
    return {"key": view.key, "label": view.label, "type": "repeat", "value": "", "display": "",
            "source": view.source, "sourceText": "", "required": view.required,
            "locked": view.locked, "error": errors.get(view.key, ""), "options": [],
            "items": items, "canAdd": spec.max_items is None or len(items) < spec.max_items}


def page_view(form: FormSession, index: int, language: str,
              errors: dict[str, str]) -> dict[str, Any]:
    """One page: its title, its visible fields with value, source and error."""
    pages = form.pages()
    key = pages[min(index, len(pages) - 1)]
    spec_page = next(page for page in form.spec.pages if page.key == key)
    fields = []
    for view in form.fields(key):
        spec = form.spec.field(view.key)
        if view.type == "repeat":
            fields.append(repeat_view(form, view, spec, language, errors))
            continue
        options = options_for(view.type, spec, language)
        fields.append({
            "key": view.key, "label": view.label, "type": view.type, "value": raw(view.value),
            "display": display(view.value, options), "source": view.source,
            "sourceText": source_text(view.source, language), "required": view.required,
            "locked": view.locked, "error": errors.get(view.key, ""), "options": options,
            "suggestions": list(spec.suggestions)})
    return {"key": key, "title": spec_page.title.get(language), "index": index,
            "count": len(pages), "fields": fields, "procedure": form.spec.title.get(language)}


def other_people(form: FormSession, index: int, language: str) -> list[dict[str, str]]:
    """The other people whose card would fill this page (mother, spouse, deceased…)."""
    pages = form.pages()
    key = pages[min(index, len(pages) - 1)]
    wanted: list[str] = []
    for view in form.fields(key):
        for source in form.spec.field(view.key).sources:
            slot = source.person
            if source.kind == "chip" and slot and slot not in wanted and \
                    form.known.person(slot).chip is None and \
                    form.known.person(slot).lookup is None:
                wanted.append(slot)
    return [{"slot": slot, "label": form.spec.persons[slot].get(language),
             "relatives": relatives_for(form, slot, language)}
            for slot in wanted if slot in form.spec.persons]


RELATION_WORDS = {"father": {"vi": "cha của bạn", "en": "your father"},
                  "mother": {"vi": "mẹ của bạn", "en": "your mother"},
                  "spouse": {"vi": "vợ/chồng của bạn", "en": "your spouse"}}


def relatives_for(form: FormSession, slot: str, language: str) -> list[dict[str, str]]:
    """The requester's relatives, as their own national-database record links them, whose
    record could fill ``slot`` (the deceased, the other parent) with one touch."""
    if not any(source.kind == "lookup" and source.person == slot
               for field in form.spec.all_fields() for source in field.sources):
        return []
    if form.known.person(slot).lookup is not None:
        return []
    own = form.known.person("requester").lookup or {}
    found = []
    for relation, words in RELATION_WORDS.items():
        linked = own.get(relation) or {}
        if linked.get("full_name"):
            found.append({"relation": relation,
                          "label": f"{words[language]}, {linked['full_name']}"})
    return found


def review_view(form: FormSession, language: str) -> dict[str, Any]:
    """Everything on one page, grouped as the form's pages, with the fee."""
    pages = []
    for index, key in enumerate(form.pages()):
        page_spec = next(page for page in form.spec.pages if page.key == key)
        pages.append({"index": index, "title": page_spec.title.get(language),
                      "fields": [{"label": view.label,
                                  "value": display(view.value, options_for(
                                      view.type, form.spec.field(view.key), language)),
                                  "sourceText": source_text(view.source, language)}
                                 for view in form.fields(key) if view.type != "repeat"]})
    return {"procedure": form.spec.title.get(language), "pages": pages, "fee": form.fee(),
            "attachments": form.attachments_required()}
