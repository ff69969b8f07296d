"""The receipt seal: a COSE_Sign1 (ES256) over a small CBOR claim set, Base45 behind "VNK1:".

After the EU Digital COVID Certificate and ICAO's Visible Digital Seal, without compression
(it grows payloads this small). The claims name the kiosk, the dossier and its standing,
never the resident: no name, no ID number, not even a hash of one (12 digits are
brute-forced in seconds). docs/receipts.md is the format's specification.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import base45
import cbor2

from kiosk.receipts import cose_sign1
from kiosk.receipts.errors import SealInvalid
from kiosk.receipts.keys import ReceiptSigner
from kiosk.receipts.record import STATUSES, ReceiptData

PREFIX = "VNK1:"
CLAIMS_VERSION = 1
DEFAULT_VALIDITY = timedelta(days=400)  # outlives any statutory processing time with margin
MAX_SEAL_CHARS = 3000  # a version-40 QR at level Q holds 2,420 alphanumerics; be generous
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# claim key -> (python type, required)
_CLAIMS: dict[str, tuple[type, bool]] = {
    "v": (int, True), "c": (str, True), "k": (str, True), "iat": (int, True),
    "exp": (int, True), "n": (str, True), "t": (str, False), "d": (str, False),
    "p": (str, True), "s": (str, True), "sub": (int, True), "due": (str, False),
    "fee": (int, False),
}


@dataclass(frozen=True)
class SealClaims:
    """What the seal vouches for (docs/receipts.md, "Claims")."""

    centre: str
    kiosk: str
    issued_at: int
    expires_at: int
    receipt_number: str
    procedure: str
    status: str
    submitted_at: int
    ticket: str | None = None
    dossier_code: str | None = None
    due_date: str | None = None
    fee_vnd: int | None = None

    @classmethod
    def from_receipt(cls, receipt: ReceiptData, validity: timedelta = DEFAULT_VALIDITY
                     ) -> SealClaims:
        issued = int(receipt.issued_at.timestamp())
        return cls(centre=receipt.centre_code, kiosk=receipt.kiosk_id, issued_at=issued,
                   expires_at=issued + int(validity.total_seconds()),
                   receipt_number=receipt.receipt_number, procedure=receipt.procedure_code,
                   status=receipt.status, submitted_at=int(receipt.submitted_at.timestamp()),
                   # Once the portal's code exists it is the one to look up; the kiosk ticket
                   # would only lengthen the QR (a version or two more).
                   ticket=None if receipt.official_code else receipt.ticket,
                   dossier_code=receipt.official_code,
                   due_date=receipt.due_date.isoformat() if receipt.due_date else None,
                   fee_vnd=receipt.fee_vnd)

    def to_map(self) -> dict[str, Any]:
        claims: dict[str, Any] = {
            "v": CLAIMS_VERSION, "c": self.centre, "k": self.kiosk, "iat": self.issued_at,
            "exp": self.expires_at, "n": self.receipt_number, "p": self.procedure,
            "s": self.status, "sub": self.submitted_at,
        }
        optional = {"t": self.ticket, "d": self.dossier_code, "due": self.due_date,
                    "fee": self.fee_vnd}
        claims.update({k: v for k, v in optional.items() if v is not None})
        return claims

    @classmethod
    def from_map(cls, claims: Any) -> SealClaims:
        """Strictly parse a claim map; anything unexpected means "malformed"."""
        if not isinstance(claims, dict):
            raise SealInvalid("malformed", "claims are not a map")
        unknown = set(claims) - set(_CLAIMS)
        if unknown:
            raise SealInvalid("malformed", "unknown claim keys")
        for key, (kind, required) in _CLAIMS.items():
            if key not in claims:
                if required:
                    raise SealInvalid("malformed", f"claim {key!r} missing")
                continue
            value = claims[key]
            if not isinstance(value, kind) or isinstance(value, bool):
                raise SealInvalid("malformed", f"claim {key!r} has the wrong type")
        for key in ("iat", "exp", "sub", "fee"):
            # Times are seconds since 1970 before year ~36812; fees are whole đồng.
            if key in claims and not 0 <= claims[key] < 2**40:
                raise SealInvalid("malformed", f"claim {key!r} out of range")
        if claims["v"] != CLAIMS_VERSION:
            raise SealInvalid("malformed", f"claims version {claims['v']} unsupported")
        if claims["s"] not in STATUSES:
            raise SealInvalid("malformed", "unknown status")
        if "t" not in claims and "d" not in claims:
            raise SealInvalid("malformed", "neither ticket nor dossier code")
        if "due" in claims and not _DATE.match(claims["due"]):
            raise SealInvalid("malformed", "due date is not YYYY-MM-DD")
        return cls(centre=claims["c"], kiosk=claims["k"], issued_at=claims["iat"],
                   expires_at=claims["exp"], receipt_number=claims["n"],
                   procedure=claims["p"], status=claims["s"], submitted_at=claims["sub"],
                   ticket=claims.get("t"), dossier_code=claims.get("d"),
                   due_date=claims.get("due"), fee_vnd=claims.get("fee"))

    def as_display(self) -> dict[str, str]:
        """The claims as text, for `kiosk receipt verify` and the UI."""
        def when(epoch: int) -> str:
            return datetime.fromtimestamp(epoch, UTC).isoformat()
        shown = {"centre": self.centre, "kiosk": self.kiosk, "receipt_number": self.receipt_number,
                 "ticket": self.ticket or "", "dossier_code": self.dossier_code or "",
                 "procedure": self.procedure, "status": self.status,
                 "submitted_at": when(self.submitted_at), "due_date": self.due_date or "",
                 "fee_vnd": "" if self.fee_vnd is None else str(self.fee_vnd),
                 "issued_at": when(self.issued_at), "expires_at": when(self.expires_at)}
        return {k: v for k, v in shown.items() if v}


def make_seal(claims: SealClaims, signer: ReceiptSigner) -> str:
    """The QR text: prefix + Base45(COSE_Sign1(canonical CBOR claims))."""
    payload = cbor2.dumps(claims.to_map(), canonical=True)
    message = cose_sign1.sign(payload, signer.key, signer.kid)
    return PREFIX + base45.b45encode(message).decode("ascii")


def seal_receipt(receipt: ReceiptData, signer: ReceiptSigner,
                 validity: timedelta = DEFAULT_VALIDITY) -> str:
    return make_seal(SealClaims.from_receipt(receipt, validity), signer)


def open_seal(text: str) -> tuple[SealClaims, cose_sign1.Sign1]:
    """Decode a seal without trusting it: the verifier decides on trust (verify.py)."""
    if not isinstance(text, str):
        raise SealInvalid("malformed", "seal is not text")
    text = text.strip()
    if len(text) > MAX_SEAL_CHARS:
        raise SealInvalid("malformed", "seal too long")
    if not text.startswith(PREFIX):
        raise SealInvalid("malformed", f"missing the {PREFIX} prefix")
    try:
        raw = base45.b45decode(text[len(PREFIX):])
    except Exception:  # the base45 package raises ValueError or others on bad input
        raise SealInvalid("malformed", "not valid Base45") from None
    try:
        message = cose_sign1.decode(raw)
    except cose_sign1.CoseMalformed as error:
        raise SealInvalid("malformed", str(error)) from None
    try:
        claims = cbor2.loads(message.payload)
    except Exception:
        raise SealInvalid("malformed", "payload is not CBOR") from None
    return SealClaims.from_map(claims), message


def due_date_of(claims: SealClaims) -> date | None:
    return date.fromisoformat(claims.due_date) if claims.due_date else None
