"""Fixtures for receipt tests: a portal PKI, a kiosk signer, its trust list, sample receipts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.receipts.keys import PortalPki, ReceiptSigner, create_portal_pki, issue_receipt_signer
from kiosk.receipts.record import ReceiptData
from kiosk.receipts.samples import sample_receipts
from kiosk.receipts.trust_list import TrustEntry, TrustList, build_trust_list, verify_trust_list

NOW = datetime(2026, 11, 22, 7, 5, tzinfo=UTC)


def entry_for(signer: ReceiptSigner, status: str = "active", kiosk: str = "KIOSK-DEMO-01",
              centre: str = "DEMO-01001") -> TrustEntry:
    return TrustEntry(kid=signer.kid, cert_der=signer.certificate_der, kiosk=kiosk,
                      centre=centre, status=status)


@pytest.fixture(scope="session")
def pki() -> PortalPki:
    return create_portal_pki(now=NOW - timedelta(days=1))


@pytest.fixture(scope="session")
def signer(pki: PortalPki) -> ReceiptSigner:
    return issue_receipt_signer(pki, "KIOSK-DEMO-01", "DEMO-01001", now=NOW - timedelta(days=1))


@pytest.fixture(scope="session")
def trust_list_bytes(pki: PortalPki, signer: ReceiptSigner) -> bytes:
    return build_trust_list([entry_for(signer)], pki.trust_list_signer, issued_at=NOW,
                            expires_at=NOW + timedelta(days=30))


@pytest.fixture(scope="session")
def trust(pki: PortalPki, trust_list_bytes: bytes) -> TrustList:
    return verify_trust_list(trust_list_bytes, [pki.ca.certificate], now=NOW)


@pytest.fixture(scope="session")
def samples() -> dict[str, ReceiptData]:
    return sample_receipts(now=NOW)
