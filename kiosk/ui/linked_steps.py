"""A linked journey on the screen (birth registration + permanent residence + health insurance
for a child under 6): its procedures' forms one after the other, one review of them all,
and the linked dossiers at the end. Plain Python, no Qt: the session view-model holds one.

The steps come from kiosk/forms/linked.py (what each step carries over from the earlier
ones); this adds only the screen's order: which form shows, and where "back", "continue"
and a review's "change" lead.
"""

from __future__ import annotations

from typing import Any

from kiosk.forms.engine import FormSession
from kiosk.forms.linked import JourneySession, LinkedDossier
from kiosk.ui import form_view


class LinkedSteps:
    def __init__(self, run: JourneySession) -> None:
        self.run = run
        self.keys = [step.key for step in run.steps()]
        self.index = 0
        self.form: FormSession = run.start(self.keys[0])

    @property
    def last(self) -> bool:
        return self.index == len(self.keys) - 1

    def forward(self) -> FormSession:
        """The current step is complete: freeze it and open the next one's form."""
        self.run.finish(self.keys[self.index])
        self.index += 1
        self.form = self.run.sessions.get(self.keys[self.index]) or self.run.start(self.keys[self.index])
        return self.form

    def replace(self, form: FormSession) -> None:
        """The current step's form was rebuilt (another person's card or record read in)."""
        self.run.sessions[self.keys[self.index]] = self.form = form

    def back(self) -> FormSession | None:
        """The previous step's form, as left (None on the first step: back to the services)."""
        if self.index == 0:
            return None
        self.index -= 1
        self.form = self.run.sessions[self.keys[self.index]]
        return self.form

    def review(self, language: str) -> dict[str, Any]:
        """Every step's pages on one review, each page titled with its procedure; page
        indexes run across the steps (see :meth:`edit`)."""
        pages: list[dict[str, Any]] = []
        fee, attachments = 0, []
        for key in self.keys:
            session = self.run.sessions[key]
            view = form_view.review_view(session, language)
            for page in view["pages"]:
                pages.append(dict(page, index=len(pages),
                                  title=f"{view['procedure']} — {page['title']}"))
            fee += view["fee"] or 0
            attachments += view["attachments"]
        return {"procedure": self.run.journey.title.get(language), "pages": pages, "fee": fee,
                "attachments": attachments}

    def edit(self, flat_index: int) -> tuple[FormSession, int]:
        """The form and page a review's "change" on page ``flat_index`` leads to."""
        for index, key in enumerate(self.keys):
            session = self.run.sessions[key]
            count = len(session.pages())
            if flat_index < count:
                self.index, self.form = index, session
                return session, flat_index
            flat_index -= count
        raise IndexError("no such page in the review")

    def finish(self) -> list[LinkedDossier]:
        """Freeze every step (a review's "change" may have touched any), then the dossiers in
        sending order, each naming the ones it depends on."""
        for key in self.keys:
            self.run.finish(key)
        return self.run.dossiers()

    def wipe(self) -> None:
        self.run.wipe()
