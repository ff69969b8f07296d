"""Status polling: bring accepted dossiers' portal status (in processing, result ready…) home.

Runs on the maintenance worker. Each round asks about a rotating window of accepted
dossiers whose status is not final, so 10,000 accepted items cost a bounded number of
requests per round.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any

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


LAST_SUCCESS_FILE = ("sync", "last_success")


def _last_success_path(settings: Any) -> Path:
    return Path(settings.data_dir).joinpath(*LAST_SUCCESS_FILE)


def record_success(settings: Any, moment: datetime) -> None:
    """Remember when the portal last accepted or confirmed a dossier (for the doctor),
    written atomically so a crash never leaves half a timestamp."""
    path = _last_success_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(moment.isoformat(), encoding="ascii")
    os.replace(temporary, path)


def last_success(settings: Any) -> datetime | None:
    """When this kiosk last synchronised successfully, or None if it never did."""
    path = _last_success_path(settings)
    try:
        return datetime.fromisoformat(path.read_text(encoding="ascii").strip())
    except (FileNotFoundError, ValueError):
        return None
