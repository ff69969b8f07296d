"""Offline verification of a receipt seal: from a PDF, an image or the QR text itself.

Order of checks (docs/receipts.md): well-formed → key id on the trust list → signature →
not revoked → within its dates. The first failure is the reason given, so a forged seal
under a revoked key says "bad_signature", not "revoked".
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.receipts import cose_sign1
from kiosk.receipts.errors import ReceiptInputError, SealInvalid
from kiosk.receipts.seal import PREFIX, SealClaims, open_seal
from kiosk.receipts.trust_list import TrustEntry, TrustList

log = logging.getLogger(__name__)

CLOCK_SKEW = timedelta(minutes=10)
RENDER_DPI = 200  # a 42 mm version-13 QR gets ~7 pixels a module: ample for zxing


@dataclass(frozen=True)
class VerifiedSeal:
    """A seal that passed every check, with the trust-list entry that vouched for it."""

    claims: SealClaims
    entry: TrustEntry


def verify_seal(text: str, trust_list: TrustList, now: datetime | None = None) -> VerifiedSeal:
    """Verify a seal's text; raise :class:`SealInvalid` with the first failing reason."""
    now = now or datetime.now(UTC)
    claims, message = open_seal(text)
    kid = message.kid
    if kid is None or len(kid) != 8:
        raise SealInvalid("malformed", "key id missing or not 8 bytes")
    entry = trust_list.find(kid)
    if entry is None:
        raise SealInvalid("unknown_key", f"kid {kid.hex()}")
    certificate = entry.certificate
    if not cose_sign1.verify(message, certificate.public_key()):
        raise SealInvalid("bad_signature", f"kid {kid.hex()}")
    if entry.status != "active":
        raise SealInvalid("revoked", f"kiosk {entry.kiosk}")
    issued = datetime.fromtimestamp(claims.issued_at, UTC)
    if issued > now + CLOCK_SKEW:
        raise SealInvalid("not_yet_valid", f"issued {issued:%Y-%m-%d %H:%M} UTC")
    if datetime.fromtimestamp(claims.expires_at, UTC) < now:
        raise SealInvalid("expired", f"expired {datetime.fromtimestamp(claims.expires_at, UTC):%Y-%m-%d}")
    if not (certificate.not_valid_before_utc - CLOCK_SKEW <= issued
            <= certificate.not_valid_after_utc):
        # The kiosk signed outside its certificate's lifetime: treat as an expired key.
        raise SealInvalid("expired", "signed outside the kiosk certificate's validity")
    if (entry.kiosk, entry.centre) != (claims.kiosk, claims.centre):
        # The key is genuine but the seal names another kiosk: a forgery by a real kiosk.
        raise SealInvalid("bad_signature", "seal names a kiosk other than its key's owner")
    log.info("seal verified: kid %s, receipt from kiosk %s", kid.hex(), entry.kiosk)
    return VerifiedSeal(claims=claims, entry=entry)


def read_qr_texts_from_image(path: Path) -> list[str]:
    """Every QR text zxing-cpp finds in an image file."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
            results = zxingcpp.read_barcodes(image.convert("L"))
    except (OSError, UnidentifiedImageError) as error:
        raise ReceiptInputError(f"{path}: not a readable image ({error})") from None
    return [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]


def read_qr_texts_from_pdf(path: Path, dpi: int = RENDER_DPI) -> list[str]:
    """Rasterize every page with pdftoppm (poppler) and decode the QR codes found."""
    with tempfile.TemporaryDirectory(prefix="kiosk-verify-") as folder:
        try:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(path),
                            str(Path(folder) / "page")],
                           check=True, capture_output=True, timeout=60)
        except FileNotFoundError:
            raise ReceiptInputError("pdftoppm not found: install poppler-utils") from None
        except subprocess.CalledProcessError as error:
            message = error.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ReceiptInputError(f"{path}: not a readable PDF "
                                    f"({message[-1] if message else 'pdftoppm failed'})") from None
        except subprocess.TimeoutExpired:
            raise ReceiptInputError(f"{path}: rendering the PDF took too long") from None
        texts: list[str] = []
        for page in sorted(Path(folder).glob("page*.png")):
            texts.extend(read_qr_texts_from_image(page))
    return texts


def read_seal_from_file(path: Path) -> str:
    """The receipt seal in a PDF or image: the QR whose text starts with the seal prefix."""
    path = Path(path)
    if not path.is_file():
        raise ReceiptInputError(f"{path}: no such file")
    with path.open("rb") as handle:
        is_pdf = handle.read(5) == b"%PDF-"
    texts = read_qr_texts_from_pdf(path) if is_pdf else read_qr_texts_from_image(path)
    if is_pdf and not any(t.startswith(PREFIX) for t in texts):
        texts += read_qr_texts_from_pdf(path, dpi=2 * RENDER_DPI)  # e.g. a scanned slip
    seals = [t for t in texts if t.startswith(PREFIX)]
    if seals:
        return seals[0]
    if texts:
        # A QR was found but it is not ours: that is an invalid seal, not a bad file.
        raise SealInvalid("malformed", "the QR code found is not a receipt seal")
    raise ReceiptInputError(f"{path}: no QR code found; scan it again or pass --text")
