"""Sync with the portal: the client (requests), the sender that drains the outbox exactly once,
connectivity and backoff, catalogue and status updates, clock-skew detection.

The contract is docs/portal-api.md. The app builds ``SyncEngine(store, PortalClient.from_settings(
settings, base_url), settings, on_status)`` and calls ``start()`` / ``stop()`` / ``send_now()``.
"""

from kiosk.sync.client import PortalClient, PortalRecord, PortalTime
from kiosk.sync.engine import SyncEngine, SyncStatus

__all__ = ["PortalClient", "PortalRecord", "PortalTime", "SyncEngine", "SyncStatus"]
