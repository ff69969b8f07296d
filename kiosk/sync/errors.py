"""What can go wrong between the kiosk and the portal, each as its own typed error.

The sender decides from the class alone whether a dossier is retried, quarantined or
held, and the UI shows one clear state per class. Messages never carry personal data:
they name endpoints, status codes and submission ids only.
"""

from __future__ import annotations

from kiosk.errors import KioskError


class PortalError(KioskError):
    """Base class: talking to the portal failed."""

    exit_code = 3
    #: the UI/diagnostics state this failure puts the connection in
    connection_state = "offline"


class PortalUnreachable(PortalError):
    """No answer: DNS, refused or reset connection, timeout. ``maybe_received`` is true when
    the request left the kiosk (the portal may have acted on it: ask before resending)."""

    def __init__(self, message: str, *, maybe_received: bool) -> None:
        super().__init__(message)
        self.maybe_received = maybe_received


class CaptivePortal(PortalError):
    """Something answered that is not the portal (a Wi-Fi login page, a proxy): never success."""

    connection_state = "captive_portal"


class PortalCertificateUntrusted(PortalError):
    """The server's TLS certificate does not chain to the configured CA (or is expired):
    we may be talking to an impostor, so nothing is sent."""

    connection_state = "portal_untrusted"


class DeviceNotAccepted(PortalError):
    """The portal refused this kiosk's identity: no, wrong, revoked or expired device
    certificate. Re-enrol the kiosk (`kiosk provision`)."""

    connection_state = "device_rejected"


class DeviceCertificateExpired(DeviceNotAccepted):
    """This kiosk's own device certificate is outside its validity period."""

    connection_state = "device_certificate_expired"


class ClockSkewed(PortalError):
    """The kiosk's clock differs from the portal's beyond the allowed skew."""

    connection_state = "clock_skew"


class PortalBusy(PortalError):
    """429 or 503: come back later, at least ``retry_after`` seconds from now."""

    connection_state = "busy"

    def __init__(self, message: str, *, status: int, retry_after: float | None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


class PortalServerError(PortalError):
    """A 5xx other than 503: the portal may or may not have acted; ask before resending."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


class PortalRejected(PortalError):
    """A 4xx the kiosk cannot fix by retrying (validation, key reuse): staff must look."""

    connection_state = "online"

    def __init__(self, message: str, *, status: int, error: str, field_errors: list[dict]) -> None:
        super().__init__(message)
        self.status, self.error, self.field_errors = status, error, field_errors


class PortalConflict(PortalError):
    """409: the portal cannot take it *yet* (a parent not received, an attachment missing)."""

    connection_state = "online"

    def __init__(self, message: str, *, error: str) -> None:
        super().__init__(message)
        self.error = error


class NotFound(PortalError):
    """404: the portal does not know this submission, dossier or resident."""

    connection_state = "online"


class ContractViolation(PortalError):
    """The portal answered outside the contract (bad JSON, missing fields, bad code format)."""


class SignatureInvalid(PortalError):
    """A signed document (catalogue, trust list) failed verification; it is not applied."""

    connection_state = "online"
