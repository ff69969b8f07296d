"""The simulator's certificate authority: device, receipt-signing, server and signer certificates.

A real portal runs its own PKI for enrolled kiosks; the simulator keeps a small one in its
state folder so that certificates it issued stay valid across restarts. Every key is EC P-256
(ES256 for COSE, ECDHE-ECDSA for TLS).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEVICE_DAYS = 2 * 365
RECEIPT_DAYS = 5 * 365


class CsrRejected(ValueError):
    """A certificate signing request that is malformed, unsigned or uses the wrong key type."""


def kid_of(cert_der: bytes) -> bytes:
    """Key id used by COSE headers and the trust list: SHA-256 of the certificate's DER, first 8 bytes."""
    return hashlib.sha256(cert_der).digest()[:8]


def _name(common_name: str, organisation: str = "Portal simulator") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def cert_der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def make_ca(common_name: str = "Portal simulator CA", days: int = 3650,
            not_before: datetime | None = None) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A self-signed CA; tests also use this to build a foreign CA for wrong-certificate cases."""
    key = new_key()
    start = not_before or datetime.now(UTC) - timedelta(days=1)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(_name(common_name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def issue(ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate, public_key, subject: x509.Name,
          purpose: str, days: int, hosts: tuple[str, ...] = (),
          not_before: datetime | None = None) -> x509.Certificate:
    """Issue a leaf certificate; ``purpose`` is 'device' (TLS client), 'server', 'receipt' or 'signer'."""
    start = not_before or datetime.now(UTC) - timedelta(minutes=5)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject)
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(start + timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=purpose == "receipt",
                                            key_encipherment=False, data_encipherment=False,
                                            key_agreement=False, key_cert_sign=False, crl_sign=False,
                                            encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                              critical=False))
    if purpose == "signer":
        # Only the content signer may sign catalogues, trust lists and VNeID assertions: a
        # kiosk's receipt key, issued by the same CA, must not pass for it.
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]),
                                        critical=False)
    elif purpose == "device":
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]),
                                        critical=False)
    elif purpose == "server":
        names: list[x509.GeneralName] = []
        for host in hosts:
            try:
                names.append(x509.IPAddress(ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        builder = (builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                                         critical=False)
                   .add_extension(x509.SubjectAlternativeName(names), critical=False))
    return builder.sign(ca_key, hashes.SHA256())


def public_key_from_csr(csr_pem: str) -> x509.CertificateSigningRequest:
    """Parse a CSR and check its self-signature and key type (EC P-256 only)."""
    try:
        csr = x509.load_pem_x509_csr(csr_pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise CsrRejected("not a PEM certificate signing request") from error
    if not csr.is_signature_valid:
        raise CsrRejected("the request's self-signature does not verify")
    key = csr.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise CsrRejected("the key must be EC P-256")
    return csr


@dataclass
class Authority:
    """The CA plus the signer used for the catalogue and the receipt trust list."""

    ca_key: ec.EllipticCurvePrivateKey
    ca_cert: x509.Certificate
    signer_key: ec.EllipticCurvePrivateKey
    signer_cert: x509.Certificate

    @property
    def signer_kid(self) -> bytes:
        return kid_of(cert_der(self.signer_cert))

    @classmethod
    def load_or_create(cls, folder: Path) -> Authority:
        """Keep the CA and signer in ``folder`` (created if missing) so issued certificates survive restarts."""
        folder.mkdir(parents=True, exist_ok=True)
        files = {name: folder / name for name in ("ca.key", "ca.pem", "signer.key", "signer.pem")}
        if not all(path.exists() for path in files.values()):
            ca_key, ca_cert = make_ca()
            signer_key = new_key()
            signer_cert = issue(ca_key, ca_cert, signer_key.public_key(),
                                _name("Portal simulator content signer"), "signer", days=3650)
            for path, data in ((files["ca.key"], key_pem(ca_key)), (files["ca.pem"], cert_pem(ca_cert)),
                               (files["signer.key"], key_pem(signer_key)),
                               (files["signer.pem"], cert_pem(signer_cert))):
                temporary = path.with_suffix(path.suffix + ".tmp")
                temporary.write_bytes(data)
                temporary.chmod(0o600)
                temporary.replace(path)
        return cls(
            ca_key=serialization.load_pem_private_key(files["ca.key"].read_bytes(), None),
            ca_cert=x509.load_pem_x509_certificate(files["ca.pem"].read_bytes()),
            signer_key=serialization.load_pem_private_key(files["signer.key"].read_bytes(), None),
            signer_cert=x509.load_pem_x509_certificate(files["signer.pem"].read_bytes()),
        )

    def server_certificate(self, folder: Path, hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
                           ) -> tuple[Path, Path]:
        """A TLS server certificate for loopback, issued by this CA; returns (cert, key) files."""
        key = new_key()
        cert = issue(self.ca_key, self.ca_cert, key.public_key(), _name(hosts[0]), "server", days=825,
                     hosts=hosts)
        cert_file, key_file = folder / "server.pem", folder / "server.key"
        key_file.write_bytes(key_pem(key))
        key_file.chmod(0o600)
        cert_file.write_bytes(cert_pem(cert))
        return cert_file, key_file

    def issue_kiosk(self, csr: x509.CertificateSigningRequest, kiosk_id: str, centre_code: str,
                    purpose: str) -> x509.Certificate:
        """The kiosk's device (TLS client) or receipt-signing certificate; CN = kiosk id, O = centre."""
        days = DEVICE_DAYS if purpose == "device" else RECEIPT_DAYS
        return issue(self.ca_key, self.ca_cert, csr.public_key(), _name(kiosk_id, centre_code), purpose,
                     days=days)
