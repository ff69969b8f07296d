"""The auto-fill figures: what counts as filled automatically."""

from __future__ import annotations

from datetime import date

from kiosk.forms import demo
from kiosk.forms.catalogue import Catalogue
from kiosk.forms.stats import (
    DEMO_SETTINGS,
    count,
    defaulted,
    procedure_stats,
    summary,
    typical_session,
)

from .conftest import AN, MINH


def test_counting_follows_provenance(catalogue: Catalogue) -> None:
    """Chip, lookup, computed and setting values count; typed and defaulted ones do not."""
    form = typical_session(catalogue.procedure("marital_status_confirmation"), AN, date(2025, 11, 22))
    shown, auto = count(form)
    typed = {k for k, p in form.provenance.items() if p.source in ("resident", "default")}
    visible = {f.key for f in form.visible()}
    assert shown == len(visible)
    assert shown - auto == len(typed & visible)
    assert defaulted(form) == len({k for k, p in form.provenance.items()
                                   if p.source == "default"} & visible)


def test_fewer_records_fewer_auto_filled(catalogue: Catalogue) -> None:
    """When the national database does not know the deceased, the death form fills less:
    the same widower with his father's record found, then with nothing known."""
    spec = catalogue.procedure("death_registration")
    found = count(typical_session(spec, MINH, date(2025, 11, 22)))
    unknown = demo.known_for({"requester": "self", "deceased": "none"}, MINH, DEMO_SETTINGS)
    not_found = count(typical_session(spec, MINH, date(2025, 11, 22), known=unknown))
    assert found[0] == not_found[0]
    assert found[1] >= not_found[1] + 7


def test_summary_totals(catalogue: Catalogue) -> None:
    rows = procedure_stats(catalogue, date(2025, 11, 22))
    total = summary(rows)
    assert total["auto_filled"] + total["defaulted"] + total["to_type"] == total["shown"]
    assert set(total["procedures"]) == {r.procedure for r in rows}
