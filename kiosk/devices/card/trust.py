"""The trust store: a folder of CSCA certificates and CRLs (PEM or DER).

No public CSCA for the Vietnamese ID card is known (REFERENCE §1), so the folder is
configurable (``card.trust_store``); demo mode points it at the TEST CSCA. An empty
folder is valid: every card then reads as "signature valid, issuer not trusted".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import pem, x509

from kiosk.devices.card.errors import CardDataError
from kiosk.errors import BadInput

__all__ = ["TrustStore", "TrustStoreError"]

log = logging.getLogger(__name__)

_CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}
_CRL_SUFFIXES = {".crl"}


class TrustStoreError(BadInput):
    """The trust store folder is missing or holds a file that is not a certificate/CRL."""


def _der_blocks(data: bytes) -> list[bytes]:
    if pem.detect(data):
        return [der for _, _, der in pem.unarmor(data, multiple=True)]
    return [data]


@dataclass
class TrustStore:
    """CSCA certificates and CRLs, as asn1crypto objects, with their file names."""

    cscas: list[x509.Certificate] = field(default_factory=list)
    crls: list[asn1_crl.CertificateList] = field(default_factory=list)
    folder: Path | None = None

    @classmethod
    def load(cls, folder: Path) -> TrustStore:
        """Every certificate and CRL directly in ``folder`` (not in sub-folders, so a
        ``test/`` anchor is never trusted by accident)."""
        if not folder.is_dir():
            raise TrustStoreError(f"trust store folder {folder} does not exist: create it or "
                                  "set card.trust_store")
        store = cls(folder=folder)
        for path in sorted(folder.iterdir()):
            suffix = path.suffix.lower()
            if not path.is_file() or suffix not in _CERT_SUFFIXES | _CRL_SUFFIXES:
                continue
            try:
                for der in _der_blocks(path.read_bytes()):
                    if suffix in _CRL_SUFFIXES:
                        item = asn1_crl.CertificateList.load(der, strict=True)
                        item.native  # noqa: B018 - force full parsing now, not at use
                        store.crls.append(item)
                    else:
                        cert = x509.Certificate.load(der, strict=True)
                        cert.native  # noqa: B018
                        store.cscas.append(cert)
            except (ValueError, TypeError) as error:
                raise TrustStoreError(f"{path.name} in the trust store is not a valid "
                                      f"{'CRL' if suffix in _CRL_SUFFIXES else 'certificate'}"
                                      ) from error
        log.info("trust store: %d CSCA certificates, %d CRLs", len(store.cscas), len(store.crls))
        return store

    def issuers_of(self, cert: x509.Certificate) -> list[x509.Certificate]:
        """CSCAs whose subject is the certificate's issuer (and whose key id matches, when
        both carry one)."""
        found = []
        for csca in self.cscas:
            if csca.subject != cert.issuer:
                continue
            aki = cert.authority_key_identifier
            if aki is not None and csca.key_identifier is not None and aki != csca.key_identifier:
                continue
            found.append(csca)
        return found

    def crls_of(self, csca: x509.Certificate) -> list[asn1_crl.CertificateList]:
        return [item for item in self.crls if item.issuer == csca.subject]


def certificate_country(name: x509.Name) -> str:
    """The country code of a name, '' when absent."""
    try:
        return str(name.native.get("country_name", ""))
    except (ValueError, AttributeError) as error:
        raise CardDataError("a certificate name does not parse") from error
