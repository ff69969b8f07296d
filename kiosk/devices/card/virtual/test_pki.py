"""The TEST public key infrastructure that signs the virtual cards: a test CSCA and its
document signer, country VN. NEVER a real key.

Why deterministic: every private key here is derived from a public label (SHA-256 of
``"kiosk TEST PKI/<label>/<role>"``) and every signature uses deterministic ECDSA
(RFC 6979), so the demo anchor in ``resources/trust/test/`` is the same bytes on every
machine and no private key file needs to be shipped. Anyone can rebuild these keys from
this source: that is the point — they can never protect anything real. A test checks that
the committed certificates equal what :func:`demo_pki` rebuilds.

Other labels give other, equally public PKIs: the "unknown CSCA" of the negative tests is
``make_pki("unknown")``. Options make the document signer expired, revoked, from another
country or issued by a different CSCA, for the negative cases of BSI TR-03105-5.1.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

__all__ = ["TestPki", "make_pki", "demo_pki", "derive_ec_key", "write_trust_anchor",
           "DEMO_LABEL", "TRUST_DIR"]

DEMO_LABEL = "demo"
CURVE = ec.BrainpoolP256R1()
TRUST_DIR = Path(__file__).resolve().parents[4] / "resources" / "trust" / "test"

# Fixed dates keep the certificates byte-identical across runs.
_CSCA_FROM = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
_CSCA_UNTIL = dt.datetime(2049, 12, 31, tzinfo=dt.UTC)
_DS_FROM = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
_DS_UNTIL = dt.datetime(2044, 12, 31, tzinfo=dt.UTC)
_CRL_AT = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
_CRL_NEXT = dt.datetime(2049, 12, 1, tzinfo=dt.UTC)


def derive_ec_key(label: str, curve: ec.EllipticCurve = CURVE) -> ec.EllipticCurvePrivateKey:
    """An EC private key from a public label: for TEST keys only, by design."""
    digest = hashlib.sha512(f"kiosk TEST PKI/{label}".encode()).digest()
    order = _curve_order(curve)
    scalar = int.from_bytes(digest, "big") % (order - 1) + 1
    return ec.derive_private_key(scalar, curve)


def _curve_order(curve: ec.EllipticCurve) -> int:
    orders = {
        "brainpoolP256r1": 0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7,
        "secp256r1": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    }
    try:
        return orders[curve.name]
    except KeyError:
        raise ValueError(f"no TEST key derivation for curve {curve.name}") from None


def _serial(label: str) -> int:
    return int.from_bytes(hashlib.sha256(f"serial/{label}".encode()).digest()[:8], "big") >> 1


@dataclass(frozen=True)
class TestPki:
    """A TEST CSCA, its CRL and one document signer (certificate + key)."""

    __test__ = False  # not a pytest test class, despite the name

    label: str
    csca_key: ec.EllipticCurvePrivateKey
    csca_cert: x509.Certificate
    crl: x509.CertificateRevocationList
    ds_key: ec.EllipticCurvePrivateKey
    ds_cert: x509.Certificate

    @property
    def csca_pem(self) -> bytes:
        return self.csca_cert.public_bytes(serialization.Encoding.PEM)

    @property
    def ds_der(self) -> bytes:
        return self.ds_cert.public_bytes(serialization.Encoding.DER)


def _name(country: str, common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, country),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "TEST ONLY - kiosk demo PKI, not a real authority"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _csca(label: str, country: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = derive_ec_key(f"{label}/csca")
    name = _name(country, f"TEST CSCA {country} ID card ({label})")
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(public)
        .serial_number(_serial(f"{label}/csca"))
        .not_valid_before(_CSCA_FROM).not_valid_after(_CSCA_UNTIL)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256(), ecdsa_deterministic=True)
    )
    return key, cert


def make_pki(label: str = DEMO_LABEL, *, country: str = "VN",
             ds_not_before: dt.datetime = _DS_FROM, ds_not_after: dt.datetime = _DS_UNTIL,
             ds_country: str | None = None, revoke_ds: bool = False,
             ds_issued_by: str | None = None, explicit_params: bool = False) -> TestPki:
    """Build the TEST PKI named ``label``.

    ``ds_issued_by`` names another label whose CSCA signs the document signer (while this
    PKI's own CSCA is the one returned): a document signer not issued by the CSCA.
    ``revoke_ds`` lists the document signer in the CRL. ``explicit_params`` writes both
    certificates' keys with explicit brainpoolP256r1 parameters, like the Vietnamese
    e-passport CSCA (REFERENCE §1), which ``cryptography`` cannot load without mapping.
    """
    csca_key, csca_cert = _csca(label, country)
    signer_key, signer_cert = (csca_key, csca_cert) if ds_issued_by is None else _csca(
        ds_issued_by, country)
    ds_key = derive_ec_key(f"{label}/ds")
    ds_serial = _serial(f"{label}/ds")
    ds_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(ds_country or country, f"TEST Document Signer {country} ID card ({label})"))
        .issuer_name(signer_cert.subject)
        .public_key(ds_key.public_key())
        .serial_number(ds_serial)
        .not_valid_before(ds_not_before).not_valid_after(ds_not_after)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            signer_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ds_key.public_key()),
                       critical=False)
        .sign(signer_key, hashes.SHA256(), ecdsa_deterministic=True)
    )
    crl_builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(csca_cert.subject)
        .last_update(_CRL_AT).next_update(_CRL_NEXT)
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    if revoke_ds:
        crl_builder = crl_builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(ds_serial)
            .revocation_date(_CRL_AT).build())
    crl = crl_builder.sign(csca_key, hashes.SHA256(), ecdsa_deterministic=True)
    if explicit_params:
        csca_cert = _with_explicit_key(csca_cert, csca_key)
        ds_cert = _with_explicit_key(ds_cert, signer_key)
    return TestPki(label=label, csca_key=csca_key, csca_cert=csca_cert, crl=crl,
                   ds_key=ds_key, ds_cert=ds_cert)


def _with_explicit_key(cert: x509.Certificate, issuer_key: ec.EllipticCurvePrivateKey
                       ) -> x509.Certificate:
    """The same certificate with its EC key re-encoded with explicit curve parameters,
    re-signed by the issuer (the TBS changed, so the old signature no longer fits)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509

    from kiosk.devices.card.virtual.lds_objects import spki

    parsed = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    tbs = parsed["tbs_certificate"]
    tbs["subject_public_key_info"] = asn1_keys.PublicKeyInfo.load(
        spki(cert.public_key(), explicit=True))  # type: ignore[arg-type]
    tbs_der = tbs.dump(force=True)
    signature = issuer_key.sign(tbs_der, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    rebuilt = asn1_x509.Certificate({
        "tbs_certificate": asn1_x509.TbsCertificate.load(tbs_der),
        "signature_algorithm": parsed["signature_algorithm"],
        "signature_value": signature,
    })
    return x509.load_der_x509_certificate(rebuilt.dump())


@lru_cache(maxsize=1)
def demo_pki() -> TestPki:
    """The TEST PKI of the demo cards, whose CSCA is the anchor in resources/trust/test/."""
    return make_pki(DEMO_LABEL)


def write_trust_anchor(pki: TestPki, folder: Path) -> list[Path]:
    """Write a PKI's public CSCA certificate (PEM) and CRL (DER) into a trust-store folder.

    Only public material is written; tests use it to build throw-away trust stores.
    """
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"TEST-CSCA-{pki.csca_cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value}-{pki.label}"
    cert_path = folder / f"{stem}.pem"
    crl_path = folder / f"{stem}.crl"
    cert_path.write_bytes(pki.csca_pem)
    crl_path.write_bytes(pki.crl.public_bytes(serialization.Encoding.DER))
    return [cert_path, crl_path]


def main() -> None:
    """Rewrite the committed public files from the deterministic demo PKI."""
    pki = demo_pki()
    write_trust_anchor(pki, TRUST_DIR)
    ds_path = TRUST_DIR.parents[1] / "demo" / "pki" / "TEST-DS-VN-demo.pem"
    ds_path.parent.mkdir(parents=True, exist_ok=True)
    ds_path.write_bytes(pki.ds_cert.public_bytes(serialization.Encoding.PEM))


if __name__ == "__main__":
    main()
