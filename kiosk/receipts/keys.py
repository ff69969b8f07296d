"""The kiosk's receipt-signing key pair and certificate, and the demo portal PKI.

On a real kiosk, provisioning creates the P-256 key and has the portal certify it; this
module only loads them from the data directory. In demo mode a demo portal CA, created at
first start under the data directory, certifies a key created the same way, and a local
trust list naming that kiosk is written beside it, so `kiosk receipt verify` works offline
out of the box. The demo CA's private key lives on the kiosk: demo receipts prove nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.receipts.errors import SigningKeyMissing

log = logging.getLogger(__name__)

CERT_DAYS = 3 * 365
TRUST_LIST_DAYS = 30


def kid_of(certificate: x509.Certificate) -> bytes:
    """The key id used in seals and trust lists: SHA-256 of the certificate DER, first 8 bytes."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).digest()[:8]


@dataclass(frozen=True)
class ReceiptSigner:
    """A private key with the certificate that vouches for it."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def kid(self) -> bytes:
        return kid_of(self.certificate)

    @property
    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True)
class PortalPki:
    """The portal's CA and its trust-list signer (played by the demo and by tests)."""

    ca: ReceiptSigner
    trust_list_signer: ReceiptSigner


@dataclass(frozen=True)
class ReceiptPaths:
    """Where the receipt keys and the trust material live under the data directory."""

    folder: Path

    @classmethod
    def under(cls, data_dir: Path) -> ReceiptPaths:
        return cls(Path(data_dir) / "receipts")

    @property
    def signing_key(self) -> Path:
        return self.folder / "signing-key.pem"

    @property
    def signing_cert(self) -> Path:
        return self.folder / "signing-cert.pem"

    @property
    def trust_list(self) -> Path:
        return self.folder / "trust-list.cose"

    @property
    def portal_ca(self) -> Path:
        """The configured anchor(s): PEM certificates of the portal CA."""
        return self.folder / "portal-ca.pem"

    @property
    def demo_portal(self) -> Path:
        return self.folder / "demo-portal"


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _certify(subject: x509.Name, public_key: ec.EllipticCurvePublicKey, issuer: ReceiptSigner | None,
             issuer_key: ec.EllipticCurvePrivateKey, *, ca: bool, days: int,
             now: datetime) -> x509.Certificate:
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer.certificate.subject if issuer else subject)
               .public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - timedelta(minutes=5))
               .not_valid_after(now + timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None),
                              critical=True)
               .add_extension(x509.KeyUsage(
                   digital_signature=not ca, content_commitment=False, key_encipherment=False,
                   data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                   encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def create_portal_pki(name: str = "Cổng dịch vụ công (demo)", now: datetime | None = None) -> PortalPki:
    """A fresh portal CA and trust-list signer: for the demo and for tests."""
    now = now or datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _certify(_name(f"{name} CA", name), ca_key.public_key(), None, ca_key,
                       ca=True, days=10 * 365, now=now)
    ca = ReceiptSigner(ca_key, ca_cert)
    list_key = ec.generate_private_key(ec.SECP256R1())
    list_cert = _certify(_name(f"{name} trust list", name), list_key.public_key(), ca, ca_key,
                         ca=False, days=5 * 365, now=now)
    return PortalPki(ca=ca, trust_list_signer=ReceiptSigner(list_key, list_cert))


def issue_receipt_signer(pki: PortalPki, kiosk_id: str, centre_code: str,
                         now: datetime | None = None, days: int = CERT_DAYS) -> ReceiptSigner:
    """A new kiosk receipt-signing key, certified by the portal CA (what provisioning does)."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certify(_name(kiosk_id, centre_code), key.public_key(), pki.ca, pki.ca.key,
                    ca=False, days=days, now=now or datetime.now(UTC))
    return ReceiptSigner(key, cert)


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def save_signer(signer: ReceiptSigner, key_path: Path, cert_path: Path) -> None:
    """Write a key (mode 0600) and its certificate as PEM."""
    _write_private(key_path, signer.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.write_bytes(signer.certificate.public_bytes(serialization.Encoding.PEM))


def load_signer_files(key_path: Path, cert_path: Path) -> ReceiptSigner:
    """Load a PEM key and certificate, checking that they belong together."""
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except FileNotFoundError as error:
        raise SigningKeyMissing(f"receipt-signing key or certificate missing ({error.filename}); "
                                "provision this kiosk (kiosk provision)") from None
    except ValueError as error:
        raise SigningKeyMissing(f"receipt-signing key or certificate unreadable ({error}); "
                                "re-provision this kiosk") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise SigningKeyMissing("the receipt-signing key must be an EC P-256 key; re-provision")
    if cert.public_key() != key.public_key():
        raise SigningKeyMissing("the receipt-signing certificate does not match the key; "
                                "re-provision this kiosk")
    return ReceiptSigner(key, cert)


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Every PEM certificate in a bundle file."""
    return x509.load_pem_x509_certificates(path.read_bytes())


def ensure_demo_material(paths: ReceiptPaths, kiosk_id: str, centre_code: str,
                         centre_name: str) -> None:
    """In demo mode: a demo portal CA, this kiosk's signer and a trust list, made once."""
    from kiosk.receipts.trust_list import TrustEntry, build_trust_list

    if paths.signing_key.exists() and paths.trust_list.exists() and paths.portal_ca.exists():
        return
    if paths.signing_key.exists() and not paths.demo_portal.exists():
        # Provisioned by the real portal: its CA and trust list are not ours to replace.
        return
    demo = paths.demo_portal
    ca_key, ca_cert = demo / "ca-key.pem", demo / "ca.pem"
    tl_key, tl_cert = demo / "trust-list-key.pem", demo / "trust-list-signer.pem"
    if ca_key.exists() and tl_key.exists():
        pki = PortalPki(load_signer_files(ca_key, ca_cert), load_signer_files(tl_key, tl_cert))
    else:
        pki = create_portal_pki()
        save_signer(pki.ca, ca_key, ca_cert)
        save_signer(pki.trust_list_signer, tl_key, tl_cert)
    if paths.signing_key.exists():
        signer = load_signer_files(paths.signing_key, paths.signing_cert)
    else:
        signer = issue_receipt_signer(pki, kiosk_id, centre_code)
        save_signer(signer, paths.signing_key, paths.signing_cert)
    paths.portal_ca.write_bytes(pki.ca.certificate.public_bytes(serialization.Encoding.PEM))
    now = datetime.now(UTC)
    entry = TrustEntry(kid=signer.kid, cert_der=signer.certificate_der, kiosk=kiosk_id,
                       centre=centre_code, status="active")
    paths.trust_list.write_bytes(build_trust_list(
        [entry], pki.trust_list_signer, issued_at=now,
        expires_at=now + timedelta(days=10 * 365)))
    log.info("demo receipt PKI ready under %s (kid %s)", paths.folder, signer.kid.hex())


def load_signer(data_dir: Path, *, demo: bool, kiosk_id: str, centre_code: str,
                centre_name: str) -> ReceiptSigner:
    """This kiosk's receipt signer; in demo mode created (with a demo PKI) at first use."""
    paths = ReceiptPaths.under(data_dir)
    if demo:
        ensure_demo_material(paths, kiosk_id, centre_code, centre_name)
    return load_signer_files(paths.signing_key, paths.signing_cert)
