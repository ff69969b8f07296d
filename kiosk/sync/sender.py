"""The sender: claims one dossier under the store's lease, delivers it, records the outcome.

Pessimistic (REFERENCE §4.3): a dossier is "accepted" only on the portal's positive
answer carrying an official code and the same payload hash. Uncertain failures (the
request may have reached the portal: timeout, reset, 5xx, garbled answer) are marked so
that the next attempt first asks the portal for the submission's status (§4.8) and only
sends again if the portal never received it. Failures of the connection as a whole
(unreachable, captive portal, untrusted certificate, refused device) give the dossier back
untouched and close the portal-wide gate in ``Connectivity``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiosk.store import LeaseLost, OutboxItem, Store
from kiosk.sync.backoff import Backoff
from kiosk.sync.client import PortalClient, PortalRecord, envelope
from kiosk.sync.connectivity import Connectivity
from kiosk.sync.errors import (
    CaptivePortal,
    ContractViolation,
    DeviceNotAccepted,
    NotFound,
    PortalBusy,
    PortalCertificateUntrusted,
    PortalConflict,
    PortalRejected,
    PortalServerError,
    PortalUnreachable,
)

log = logging.getLogger(__name__)

UNCERTAIN = "uncertain: "  # prefix of last_error: ask the portal before sending again


@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt did: accepted, reconciled, retry, held, quarantined, released."""

    submission_id: str
    result: str
    detail: str
    requests: int


def utcnow() -> datetime:
    return datetime.now(UTC)


class Sender:
    """Delivers outbox items one at a time; safe to run from one worker thread."""

    def __init__(self, store: Store, client: PortalClient, connectivity: Connectivity, *, owner: str,
                 lease_s: float, backoff: Backoff, clock=utcnow) -> None:  # noqa: ANN001
        self.store, self.client, self.connectivity = store, client, connectivity
        self.owner, self.lease_s, self.backoff, self.clock = owner, lease_s, backoff, clock

    def send_one(self) -> Outcome | None:
        """Claim and deliver the next due dossier; None when nothing is due."""
        item = self.store.claim_next(self.owner, self.lease_s)
        if item is None:
            return None
        before = self.client.requests_by_this_thread()
        try:
            result, detail = self._deliver(item)
        except LeaseLost:
            result, detail = "lease_lost", "another sender took over (our lease expired)"
        except BaseException:
            self._give_back(item)
            raise
        outcome = Outcome(item.submission_id, result, detail, self.client.requests_by_this_thread() - before)
        log.info("dossier %s: %s (%s, attempt %d)", item.submission_id, result, detail, item.attempts)
        return outcome

    # -- one attempt --------------------------------------------------------------------------
    def _deliver(self, item: OutboxItem) -> tuple[str, str]:
        sid = item.submission_id
        try:
            if item.last_error and item.last_error.startswith(UNCERTAIN):
                known = self.client.submission_status(sid)
                if known is not None:
                    return self._accept(item, known, "reconciled")
            for ref in item.attachments:
                self.client.upload_attachment(
                    sid, ref.attachment_id, ref.name, ref.media_type, ref.sha256,
                    read=lambda ref=ref: self.store.read_attachment(ref.attachment_id),
                    on_chunk=lambda: self.store.renew_lease(sid, self.owner, self.lease_s))
            record = self.client.submit(envelope(item), sid)
            return self._accept(item, record, "accepted")
        except PortalRejected as error:
            self.connectivity.succeeded()
            self.store.quarantine(sid, self.owner, reason=f"portal refused the dossier ({error.status} "
                                  f"{error.error})", details={"status": error.status, "error": error.error,
                                                              "errors": error.field_errors})
            return "quarantined", error.error or str(error.status)
        except PortalConflict as error:
            self.connectivity.succeeded()
            self._retry(item, f"held: {error.error}", self.backoff.delay(item.attempts))
            return "held", error.error
        except PortalBusy as error:
            wait = self.connectivity.failed("busy", str(error), error.retry_after)
            self._retry(item, f"busy: {error.status}", wait)
            return "retry", f"busy {error.status}"
        except PortalUnreachable as error:
            self.connectivity.failed("offline", str(error))
            if error.maybe_received:
                self._retry(item, UNCERTAIN + str(error), 0.0)
                return "retry", "uncertain: connection lost after sending"
            self._give_back(item)
            return "released", "portal unreachable"
        except (PortalServerError, ContractViolation, NotFound) as error:
            self._retry(item, UNCERTAIN + str(error), self.backoff.delay(item.attempts))
            return "retry", f"uncertain: {type(error).__name__}"
        except (CaptivePortal, PortalCertificateUntrusted, DeviceNotAccepted) as error:
            self.connectivity.failed(error.connection_state, str(error))
            # Whatever answered was not the portal: nothing was received, nothing is marked sent.
            self._retry_uncertain_or_release(item, error)
            return "released", error.connection_state

    def _accept(self, item: OutboxItem, record: PortalRecord, how: str) -> tuple[str, str]:
        self.connectivity.succeeded()
        if record.payload_sha256 != item.payload_sha256 or record.submission_id != item.submission_id:
            self.store.quarantine(item.submission_id, self.owner,
                                  reason="the portal holds different content under this submission id",
                                  details={"portal_sha256": record.payload_sha256,
                                           "official_code": record.official_code})
            return "quarantined", "payload hash differs"
        self.store.mark_accepted(item.submission_id, self.owner, official_code=record.official_code,
                                 receiving_unit=record.receiving_unit, due_date=record.due_date,
                                 response=record.raw)
        return how, record.official_code

    def _retry(self, item: OutboxItem, error: str, delay_s: float) -> None:
        self.store.mark_retry(item.submission_id, self.owner, error=error[:400],
                              next_attempt_at=self.clock() + timedelta(seconds=delay_s))

    def _retry_uncertain_or_release(self, item: OutboxItem, error: Exception) -> None:
        """Keep an earlier 'uncertain' mark (the portal may still hold the dossier); else give back."""
        if item.last_error and item.last_error.startswith(UNCERTAIN):
            self._retry(item, item.last_error, 0.0)
        else:
            self._give_back(item)

    def _give_back(self, item: OutboxItem) -> None:
        try:
            self.store.release(item.submission_id, self.owner)
        except LeaseLost:
            log.warning("dossier %s: lease already lost while giving it back", item.submission_id)
