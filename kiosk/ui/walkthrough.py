"""`kiosk walkthrough`: the real UI driven through a whole journey, headless, with metrics.

It builds the same kiosk as `kiosk run` (virtual card, portal simulator, encrypted store,
in a temporary home), taps the real buttons with mouse events at their centres, gives
the procedure's typical answers (``typical`` in its spec) for what is still empty, and
writes a PNG of every screen, the printed receipt PDF and ``metrics.json``.

The resident-time estimate is a Keystroke-Level Model for a touch kiosk and a first-time,
often elderly user (docs/walkthrough.md gives the sources and reasoning):
  M = 1.35 s  mental preparation, once per screen;
  R = 2.0 s   reading a screen's instructions, once per screen;
  P = 1.1 s   reaching and tapping a target on the touch screen;
  K = 0.75 s  one key on the on-screen keyboard (hunt-and-peck on glass);
plus the system's own response time, measured.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import click

from kiosk.errors import KioskError
from kiosk.ui.typical_case import TypicalCase, as_typed

KLM = {"M": 1.35, "R": 2.0, "P": 1.1, "K": 0.75}


class WalkthroughError(KioskError):
    """The journey did not go where the script expected: the message says where it stuck."""


@dataclasses.dataclass
class Metrics:
    procedure: str
    resident: str
    language: str
    offline: bool
    touches: int = 0
    keystrokes: int = 0
    screens: list[str] = dataclasses.field(default_factory=list)
    touches_card_to_services: int = 0
    fields_shown: int = 0
    fields_autofilled: int = 0
    fields_typed_or_chosen: int = 0
    system_wait_s: float = 0.0
    accepted: bool = False
    official_code: str = ""
    ticket: str = ""
    verified_by: str = ""

    def klm_seconds(self) -> float:
        screens = len(self.screens)
        return round(screens * (KLM["M"] + KLM["R"]) + self.touches * KLM["P"]
                     + self.keystrokes * KLM["K"] + self.system_wait_s, 1)

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["screen_count"] = len(self.screens)
        data["autofilled_share"] = round(self.fields_autofilled / self.fields_shown, 3) \
            if self.fields_shown else 0.0
        data["klm_resident_seconds"] = self.klm_seconds()
        data["klm_operators_s"] = KLM
        return data


class Walkthrough:
    def __init__(self, kiosk: Any, out_dir: Path, metrics: Metrics) -> None:
        self.kiosk = kiosk
        self.window = kiosk.window.window
        self.out_dir = out_dir
        self.metrics = metrics
        self._shots = 0

    # -- driving the real window ---------------------------------------------------------
    def pump(self, seconds: float = 0.15) -> None:
        from PySide6.QtCore import QCoreApplication

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.005)

    def find(self, name: str) -> Any:
        """A visible item by objectName, searched through the visual tree (Repeater
        delegates have no QObject parent, so findChildren does not see them)."""
        pending = [self.window.contentItem()]
        while pending:
            item = pending.pop()
            if item.objectName() == name and item.isVisible():
                return item
            pending.extend(child for child in item.childItems() if child.isVisible())
        raise WalkthroughError(f"no visible {name!r} on screen {self.screen()!r}")

    def find_optional(self, name: str) -> Any:
        try:
            return self.find(name)
        except WalkthroughError:
            return None

    def _scroll_into_view(self, item: Any) -> None:
        parent = item.parentItem()
        while parent is not None:
            if parent.property("contentY") is not None and parent.property("contentHeight") is not None:
                content = parent.property("contentItem")
                top = item.mapToItem(content, 0, 0).y()
                view = parent.height()
                current = parent.property("contentY")
                if top < current or top + item.height() > current + view:
                    limit = max(0.0, parent.property("contentHeight") - view)
                    parent.setProperty("contentY", max(0.0, min(top - view / 3, limit)))
                    self.pump(0.05)
                return
            parent = parent.parentItem()

    def tap(self, name: str, settle: float = 0.15) -> None:
        from PySide6.QtCore import QPoint, QPointF, Qt
        from PySide6.QtTest import QTest

        self.pump(0.05)
        item = self.find(name)
        self._scroll_into_view(item)
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        QTest.mouseClick(self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(int(centre.x()), int(centre.y())))
        self.metrics.touches += 1
        self.pump(settle)

    def type_value(self, key: str, value: str, kind: str = "text") -> None:
        """Type a value as a resident does: touch the field, then tap the on-screen
        keyboard or the number pad, then 'Xong'. On the letter keyboard the resident
        watches the suggestion chips: letters without diacritics until the wanted word or
        phrase shows, then a tap on it (a keystroke); the plan is the cheapest such
        (kiosk/keyboard/plan.py). A value the keyboard cannot type goes through the
        view-model, counted a key per character."""
        from kiosk.keyboard.plan import suggested_taps

        self.tap(f"input_{key}")
        numeric = kind in ("date", "phone", "id_number", "number", "partial_date")
        composer = None if numeric else self.find("letterKeyboard").property("composer")
        if numeric:
            taps = [f"pad_{digit}" for digit in value if digit.isdigit()]
        elif composer.property("text") == "":
            taps = [tap.object_name for tap in (suggested_taps(value, composer.suggester()) or [])]
        else:
            taps = []  # editing a value already there: not a resident's first typing
        if (numeric and len(taps) != sum(c.isdigit() for c in value)) or not taps:
            self.tap("closeKeyboard")
            self.kiosk.session.setField(key, value)
            self.metrics.keystrokes += len(value)
            return
        if numeric:
            self.type_on_pad("".join(c for c in value if c.isdigit()))
        else:
            for name in taps:
                self.tap(name, settle=0.01)
                self.metrics.keystrokes += 1
                self.metrics.touches -= 1  # counted as keystrokes, not as touches
            typed = composer.property("text").strip()
            if typed != value:
                raise WalkthroughError(f"{key}: the keyboard typed {len(typed)} characters "
                                       f"for {len(value)}, not the planned text")
            self.tap("key_done")
        if self.find_optional("keyboardPanel") is not None:
            raise WalkthroughError(f"{key}: the keyboard did not accept {len(value)} characters")

    def type_on_pad(self, digits: str) -> None:
        """Digits on the number pad (each a keystroke), then its confirm key (a touch)."""
        for digit in digits:
            self.tap(f"pad_{digit}", settle=0.01)
            self.metrics.keystrokes += 1
            self.metrics.touches -= 1
        self.tap("pad_confirm")

    def screen(self) -> str:
        return self.kiosk.window.model.screen

    def wait_for(self, screens: tuple[str, ...], timeout: float = 60.0) -> None:
        started = time.monotonic()
        while self.screen() not in screens:
            if time.monotonic() - started > timeout:
                raise WalkthroughError(f"stuck on {self.screen()!r} waiting for {screens}; "
                                       f"error: {self.kiosk.session.error!r}")
            self.pump(0.05)
        self.metrics.system_wait_s += round(time.monotonic() - started, 2)

    def shot(self, label: str) -> Path:
        self.pump(0.25)
        self._shots += 1
        path = self.out_dir / f"{self._shots:02d}-{label}.png"
        self.window.grabWindow().save(str(path))
        self.metrics.screens.append(label)
        return path

    # -- the journey ---------------------------------------------------------------------
    def run(self, procedure: str, resident: str, language: str) -> Metrics:
        self.shot("attract")
        if language != "vi":
            self.tap("languageEn")
        self.tap("startButton")
        self.shot("identify")
        self.tap(f"demoCard_{resident}")
        touches_at_card = self.metrics.touches
        self.shot("consent")
        self.tap("consentButton")
        self.wait_for(("welcome", "identify"))
        if self.screen() == "identify":
            raise WalkthroughError(f"the card read failed: {self.kiosk.session.error}")
        self.shot("welcome")
        self.tap("continueButton")
        self.metrics.touches_card_to_services = self.metrics.touches - touches_at_card
        self.shot("services")
        self.tap(f"service_{procedure}")
        if self.screen() == "verify":
            self._verify()
        case = TypicalCase(self.kiosk.services.desk, procedure, resident)
        typical, typical_for = None, ""
        seen: set[str] = set()
        for _ in range(40):
            if self.screen() != "form":
                break
            if typical_for != self.kiosk.session._form.spec.code:  # a linked journey's next step
                typical = case.answers(self.kiosk.session._form.spec.code)
                typical_for = self.kiosk.session._form.spec.code
            page = self.kiosk.session.page
            for person in self.kiosk.session.otherPeople:
                card = case.other_card(person["slot"])
                if card:
                    self.tap(f"readCard_{person['slot']}")
                    self.shot(f"card-{person['slot']}")
                    self.tap(f"otherDemoCard_{card}")
                    started = time.monotonic()
                    while self.kiosk.session.otherSlot:
                        if time.monotonic() - started > 30:
                            raise WalkthroughError(f"the {person['slot']} card was not read: "
                                                   f"{self.kiosk.session.error}")
                        self.pump(0.05)
                    self.metrics.system_wait_s += round(time.monotonic() - started, 2)
                    continue
                relation = case.relative(person)
                if relation:
                    self.shot(f"relative-{person['slot']}")
                    self.tap(f"relative_{person['slot']}_{relation}")
                    started = time.monotonic()
                    while any(p["slot"] == person["slot"] and p["relatives"]
                              for p in self.kiosk.session.otherPeople) \
                            and not self.kiosk.session.error:  # refused: typed below
                        if time.monotonic() - started > 30:
                            raise WalkthroughError(f"the {person['slot']} record did not come: "
                                                   f"{self.kiosk.session.error}")
                        self.pump(0.05)
                    self.metrics.system_wait_s += round(time.monotonic() - started, 2)
            page = self.kiosk.session.page
            self.shot(f"form-{page['key']}")
            answered: set[str] = set()
            for round_ in range(4):  # an answer may show more fields (married → the certificate)
                if round_:
                    self.pump(0.2)  # let the screen lay the new fields out
                fresh = [f for f in self.kiosk.session.page["fields"] if f["key"] not in answered]
                if not fresh:
                    break
                for field in fresh:
                    answered.add(field["key"])
                    seen.add(field["key"])
                    self._fill_field(field, typical)
            self.tap("formNext")
            errors = {f["key"]: f["error"] for f in self.kiosk.session.page.get("fields", [])
                      if f.get("error")} if self.screen() == "form" else {}
            if errors and self.kiosk.session.page.get("key") == page["key"]:
                raise WalkthroughError(f"page {page['key']} refused: {errors}")
        self.wait_for(("review",), timeout=5)
        self._count_fields()
        self.shot("review")
        self.tap("submitButton")
        self.wait_for(("receipt",), timeout=60)
        result = self.kiosk.outcome.submission
        self.metrics.accepted = bool(result.get("accepted"))
        self.metrics.official_code = result.get("officialCode", "")
        self.metrics.ticket = result.get("ticket", "")
        self.shot("receipt")
        self.tap("receiptContinue")
        self.shot("rate")
        self.tap("rate_5")
        self.wait_for(("attract",), timeout=5)
        self.shot("end")
        return self.metrics

    def _fill_field(self, field: dict[str, Any], typical: Any) -> None:
        """Answer one field as the typical resident does, unless it is filled or locked (as
        it is now: an earlier answer may have filled it, "single" → "first marriage")."""
        field = next((f for f in self.kiosk.session.page.get("fields", [])
                      if f["key"] == field["key"]), field)
        if field["type"] == "repeat":
            self._fill_items(field, typical)
            return
        if field["locked"] or field["value"] not in ("", None) or field["type"] == "attachment":
            return
        wanted = typical.values.get(field["key"])
        if wanted in (None, "") and not field["required"]:
            return
        self._answer(field, wanted)

    def _verify(self) -> None:
        """The holder check the procedure needs: the face check when offered, else VNeID
        (the demo portal approves as the holder after a few seconds). A method that fails
        (a drawn demo photo has no face to match) leaves the others offered: take the next.
        The resident's time there is the screens, the touches and the waiting."""
        self.shot("verify")
        started = time.monotonic()
        while self.kiosk.verify.state["checkingPhoto"] and time.monotonic() - started < 30:
            self.pump(0.1)  # the resident reads the choices while the chip photo is checked
        for _ in range(3):
            methods = self.kiosk.verify.state["methods"]
            if not methods and self.kiosk.volunteer.code == "":
                # Offline with a drawn demo photo: only a volunteer can confirm. The demo
                # volunteer signs in (their touches, not the resident's).
                from kiosk.volunteers import DEMO_VOLUNTEERS

                code, pin = next(iter(DEMO_VOLUNTEERS.items()))
                self.kiosk.volunteer.signIn(code, pin)
                self.pump(0.2)
                methods = self.kiosk.verify.state["methods"]
            if not methods:
                raise WalkthroughError("the verify step offers no method: refused at the counter")
            method = next(m for m in ("face_liveness", "vneid_l2", "volunteer_attested")
                          if m in methods)
            self.tap(f"method_{method}")
            if method == "face_liveness":
                self.shot("verify-camera-consent")
                self.tap("cameraAgree")
            elif method == "volunteer_attested":
                from kiosk.volunteers import DEMO_VOLUNTEERS

                self.shot("verify-volunteer")
                self.kiosk.verify.attest(DEMO_VOLUNTEERS[self.kiosk.volunteer.code])
                self.pump(0.2)
            waited = time.monotonic()
            shot = False
            while self.screen() == "verify" and self.kiosk.verify.state["step"] != "methods":
                if time.monotonic() - waited > 90:
                    raise WalkthroughError("the verify step did not finish")
                self.pump(0.1)
                state = self.kiosk.verify.state
                if not shot and (state["challenge"] or state["shortCode"]
                                 or time.monotonic() - waited > 10):
                    self.shot(f"verify-{method}")
                    shot = True
            self.metrics.verified_by = method
            if self.screen() != "verify":
                break
        else:
            raise WalkthroughError(f"not verified: {self.kiosk.verify.state['result']}")
        self.metrics.system_wait_s += round(time.monotonic() - started, 2)

    def _answer(self, field: dict[str, Any], wanted: Any) -> None:
        options = field.get("options") or []
        value = as_typed(wanted)
        if options:
            self.tap(f"option_{field['key']}_{value or options[0]['value']}")
            return
        if not value:
            value = {"phone": "0912345678", "email": "dan@example.vn", "date": "01/03/2024",
                     "number": "1"}.get(field["type"], "Không")
        self.type_value(field["key"], value, field["type"])

    def _fill_items(self, field: dict[str, Any], typical: Any) -> None:
        """Add the typical items a repeat group still lacks, typing each item's fields."""
        wanted_items = typical.items.get(field["key"], [])
        for index, item in enumerate(field.get("items", [])[:len(wanted_items)]):
            # An item the database filled may still lack what only the resident knows
            # (the occupation of each period of a residence history).
            for sub in item["fields"]:
                typed = as_typed(wanted_items[index].get(sub["key"]))
                if sub["value"] in ("", None) and typed:
                    self._type_item(field["key"], index, sub["key"], sub["type"], typed)
        for index in range(len(field.get("items", [])), len(wanted_items)):
            self.tap(f"add_{field['key']}")
            for key, value in wanted_items[index].items():
                typed = as_typed(value)
                if typed:
                    kind = self.kiosk.session._form.spec.field(key).type
                    self._type_item(field["key"], index, key, kind, typed)
            self.pump(0.05)

    def _type_item(self, group: str, index: int, key: str, kind: str, typed: str) -> None:
        """An item's letter field is typed on the keyboard, with its chips (ItemEditor's
        input is ``input_GROUP_INDEX_KEY``); anything else is set through the view-model,
        counted a key per character."""
        from kiosk.keyboard.plan import onscreen_taps

        if kind in ("text", "name") and onscreen_taps(typed) is not None:
            self.type_value(f"{group}_{index}_{key}", typed, kind)
            return
        self.kiosk.session.setItemField(group, index, key, typed)
        self.metrics.touches += 1
        self.metrics.keystrokes += len(typed)

    def _count_fields(self) -> None:
        """Shown, auto-filled and typed fields, from the form's own provenance."""
        steps = self.kiosk.session._steps
        forms = list(steps.run.sessions.values()) if steps is not None \
            else [self.kiosk.session._form]
        from kiosk.forms.autofill import AUTOMATIC

        for form in forms:
            self._count_form(form, AUTOMATIC)

    def _count_form(self, form: Any, automatic: frozenset[str]) -> None:
        for key in form.pages():
            for view in form.fields(key):
                if view.type in ("repeat", "attachment"):
                    continue
                self.metrics.fields_shown += 1
                if view.source in automatic:
                    self.metrics.fields_autofilled += 1
                else:
                    self.metrics.fields_typed_or_chosen += 1


def run_walkthrough(procedure: str, resident: str, out_dir: Path, language: str = "vi",
                    offline: bool = False) -> Metrics:
    """Run one journey in a private temporary home; write PNGs, receipt PDF and metrics."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out_dir.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="kiosk-walkthrough-"))
    try:
        from kiosk.app import build_kiosk
        from kiosk.config import load_settings
        from kiosk.logs import configure_logging

        overrides = {"paths.data_dir": str(home / "data"), "paths.state_dir": str(home / "state"),
                     "paths.cache_dir": str(home / "cache"), "paths.config_dir": str(home / "config")}
        if offline:
            overrides["portal.url"] = "http://127.0.0.1:9"  # discard port: refused at once
            overrides["portal.connect_timeout_s"] = "0.5"
        settings = load_settings(demo=True, overrides=overrides, environ={})
        configure_logging(settings.log_dir, "INFO")
        kiosk = build_kiosk(settings)
        if not kiosk.services.ready.wait(60):
            raise WalkthroughError("the kiosk's services did not start")
        metrics = Metrics(procedure, resident, language, offline)
        try:
            Walkthrough(kiosk, out_dir, metrics).run(procedure, resident, language)
        finally:
            kiosk.close()
        printed = sorted((settings.data_dir / "printed").glob("*.pdf"))
        if printed:
            shutil.copy(printed[-1], out_dir / "receipt.pdf")
        (out_dir / "metrics.json").write_text(
            json.dumps(metrics.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return metrics
    finally:
        from kiosk.logs import stop_logging

        stop_logging()
        shutil.rmtree(home, ignore_errors=True)


@click.command()
@click.option("--procedure", required=True, help="Procedure code, e.g. marital_status_confirmation.")
@click.option("--resident", required=True, help="Demo resident's ID number (resources/demo).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", "language", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--offline", is_flag=True, help="No portal: the dossier is queued at the kiosk.")
def walkthrough(procedure: str, resident: str, out_dir: Path, language: str, offline: bool) -> None:
    """Drive the real UI through a whole journey; write screens, receipt and metrics.json."""
    metrics = run_walkthrough(procedure, resident, out_dir, language, offline)
    click.echo(json.dumps(metrics.as_dict(), ensure_ascii=False, indent=2))
