"""Forms benchmark (issue 6, ``make bench``): how much fills itself, and how fast.

Figures: the goal figure (share of shown fields filled automatically across the
procedures and demo residents, from the same code as `kiosk forms stats`), the share
needing no input (auto-filled or preset), catalogue load time, time to open a form with
its records (pre-fill), to evaluate it (visible fields + errors) and to finish it (the
canonical payload), and the payload size in canonical JSON bytes. Times are seconds.
``run(quick=True)`` keeps to a few seconds.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import median_seconds
from kiosk.forms import demo  # noqa: E402
from kiosk.forms.catalogue import Catalogue  # noqa: E402
from kiosk.forms.stats import DEMO_SETTINGS, apply_answers, procedure_stats, summary  # noqa: E402

TODAY = date(2025, 11, 22)


def run(quick: bool = False) -> dict:
    repeat = 3 if quick else 20
    load_s = median_seconds(Catalogue, 1 if quick else 5)
    catalogue = Catalogue()
    from kiosk.forms.engine import FormSession

    spec = catalogue.procedure("birth_registration")
    resident = demo.resident_ids()[0]

    def open_form() -> FormSession:
        known = demo.known_for(spec.typical["persons"], resident, DEMO_SETTINGS)
        form = FormSession(spec, known, today=TODAY)
        apply_answers(form, spec.typical)
        form.set("mother_ethnicity", "Kinh")
        return form

    form = open_form()
    payload = form.finish().payload
    figures = {
        "catalogue_load_s": round(load_s, 4),
        "birth_open_and_prefill_s": round(median_seconds(open_form, repeat), 5),
        "birth_evaluate_s": round(median_seconds(lambda: (form.visible(), form.errors()), repeat), 5),
        "birth_finish_s": round(median_seconds(form.finish, repeat), 5),
        "birth_payload_bytes": len(json.dumps(payload, sort_keys=True, ensure_ascii=False,
                                              separators=(",", ":")).encode("utf-8")),
    }
    rows = procedure_stats(catalogue, TODAY)
    total = summary(rows)
    figures.update({
        "autofill_share": total["share"],
        "autofill_goal": total["goal"],
        "share_without_input": total["share_without_input"],
        "fields_shown": total["shown"],
        "fields_auto_filled": total["auto_filled"],
        "fields_preset": total["defaulted"],
        "fields_to_type": total["to_type"],
        "share_by_procedure": {code: v["share"] for code, v in total["procedures"].items()},
        "procedure_resident_pairs": len(rows),
    })
    return figures


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2, ensure_ascii=False))
