"""The receipt-signing key: demo material made once, provisioned material left alone."""

from __future__ import annotations

import pytest

from kiosk.receipts.errors import SigningKeyMissing
from kiosk.receipts.keys import (
    ReceiptPaths,
    create_portal_pki,
    issue_receipt_signer,
    kid_of,
    load_signer,
    save_signer,
)


def _load(data_dir, demo: bool):
    return load_signer(data_dir, demo=demo, kiosk_id="KIOSK-DEMO-01", centre_code="DEMO-01001",
                       centre_name="Trung tâm (demo)")


def test_demo_material_is_created_once(tmp_path) -> None:
    """First use creates the demo PKI, key and trust list; later uses load the same key."""
    first = _load(tmp_path, demo=True)
    paths = ReceiptPaths.under(tmp_path)
    assert paths.trust_list.exists() and paths.portal_ca.exists()
    assert paths.signing_key.stat().st_mode & 0o777 == 0o600
    assert _load(tmp_path, demo=True).kid == first.kid == kid_of(first.certificate)


def test_provisioned_material_is_not_replaced_in_demo_mode(tmp_path) -> None:
    """A kiosk provisioned by the portal keeps its key and CA even if started with --demo."""
    paths = ReceiptPaths.under(tmp_path)
    portal = create_portal_pki("Portal")
    signer = issue_receipt_signer(portal, "KIOSK-1", "C-1")
    save_signer(signer, paths.signing_key, paths.signing_cert)
    paths.portal_ca.write_bytes(b"portal CA placeholder")
    assert _load(tmp_path, demo=True).kid == signer.kid
    assert paths.portal_ca.read_bytes() == b"portal CA placeholder"
    assert not paths.demo_portal.exists()


def test_unprovisioned_kiosk_has_no_key(tmp_path) -> None:
    """Outside demo mode a missing key is a typed error (exit code 3) pointing to provisioning."""
    with pytest.raises(SigningKeyMissing, match="provision") as caught:
        _load(tmp_path, demo=False)
    assert caught.value.exit_code == 3


def test_key_and_certificate_must_match(tmp_path) -> None:
    """A certificate for another key is refused."""
    paths = ReceiptPaths.under(tmp_path)
    portal = create_portal_pki()
    one, two = issue_receipt_signer(portal, "A", "C"), issue_receipt_signer(portal, "B", "C")
    save_signer(one, paths.signing_key, paths.signing_cert)
    save_signer(two, tmp_path / "other-key.pem", paths.signing_cert)
    with pytest.raises(SigningKeyMissing, match="does not match"):
        _load(tmp_path, demo=False)
