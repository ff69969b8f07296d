"""Typed errors of the technician tools; each message says what the technician should do."""

from __future__ import annotations

from kiosk.errors import BadInput, KioskError


class UpdateRejected(KioskError):
    """An update failed verification or is not acceptable; nothing was installed."""

    exit_code = 3


class UpdateUnavailable(KioskError):
    """The update repository could not be reached or holds no kiosk release."""

    exit_code = 4


class ReleaseUnhealthy(KioskError):
    """A newly installed release failed its health check; the previous one is back in place."""

    exit_code = 5


class ProvisioningFailed(KioskError):
    """Enrolment did not complete; nothing of it was kept."""

    exit_code = 6


class EnrolmentRefused(ProvisioningFailed):
    """The portal refused the enrolment code (wrong, used or expired)."""

    exit_code = 7


class DeprovisionRefused(KioskError):
    """Deprovisioning would lose dossiers that are not yet accepted by the portal."""

    exit_code = 8


class TechnicianLocked(KioskError):
    """Too many wrong technician PINs: sign-in is closed until the lockout ends."""

    exit_code = 9


class NoTechnicianPin(BadInput):
    """No technician PIN has been set on this kiosk yet."""
