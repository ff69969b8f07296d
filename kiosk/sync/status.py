"""Status polling: bring accepted dossiers' portal status (in processing, result ready…) home.

Runs on the maintenance worker. Each round asks about a rotating window of accepted
dossiers whose status is not final, so 10,000 accepted items cost a bounded number of
requests per round.
"""

from __future__ import annotations

import logging

from kiosk.store import Store
from kiosk.sync.client import PortalClient

log = logging.getLogger(__name__)
FINAL = ("result_ready", "rejected")


class StatusPoller:
    def __init__(self, store: Store, client: PortalClient, per_round: int = 20) -> None:
        self.store, self.client, self.per_round = store, client, per_round
        self._cursor = 0

    def poll(self) -> int:
        """Ask about up to ``per_round`` dossiers; returns how many changed."""
        pending = [item for item in self.store.list_items(states=("accepted",))
                   if item.portal_status not in FINAL]
        if not pending:
            return 0
        start = self._cursor % len(pending)
        window = (pending[start:] + pending[:start])[: self.per_round]
        self._cursor = start + len(window)
        changed = 0
        for item in window:
            record = self.client.submission_status(item.submission_id)
            if record is None:
                log.warning("portal does not know accepted dossier %s", item.submission_id)
                continue
            if record.status != item.portal_status:
                self.store.update_portal_status(item.submission_id, status=record.status,
                                                official_code=record.official_code,
                                                due_date=record.due_date)
                changed += 1
        return changed
