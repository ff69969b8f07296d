"""The typed errors of the receipts area, each with the exit code `kiosk receipt` uses."""

from __future__ import annotations

from kiosk.errors import BadInput, KioskError

# Why a seal was rejected. The values are stable: the verifier prints them, the UI maps them
# to a sentence, and docs/receipts.md lists them for third-party verifiers.
REASONS: dict[str, str] = {
    "malformed": "the QR text is not a receipt seal of a known format",
    "unknown_key": "the seal was signed by a key that is not on the trust list",
    "bad_signature": "the signature does not match the content: the seal was altered or forged",
    "revoked": "the signing kiosk's certificate has been revoked on the trust list",
    "expired": "the seal is past its expiry date",
    "not_yet_valid": "the seal claims to have been issued in the future",
}


class SealInvalid(KioskError):
    """A seal failed verification; ``reason`` is one of :data:`REASONS` (exit code 1)."""

    exit_code = 1

    def __init__(self, reason: str, detail: str = "") -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown seal rejection reason {reason!r}")
        self.reason = reason
        self.detail = detail
        text = f"invalid seal ({reason}): {REASONS[reason]}"
        super().__init__(f"{text} [{detail}]" if detail else text)


class TrustListInvalid(BadInput):
    """The trust list given cannot be trusted or read; get a fresh one from the portal."""


class ReceiptInputError(BadInput):
    """A receipt record, a seal text or a file given to the verifier is unusable."""


class SigningKeyMissing(KioskError):
    """This kiosk has no receipt-signing key and certificate yet: run provisioning."""

    exit_code = 3


class PaymentInputError(BadInput):
    """A payment request cannot be made as asked (amount, reference or account out of range)."""


class VietQrInvalid(BadInput):
    """A text is not a well-formed VietQR transfer payload (bad CRC, TLV or field)."""


class PaymentSettingsError(BadInput):
    """The [payment] settings do not describe a usable collection account."""
