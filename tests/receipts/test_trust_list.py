"""The trust list (interface D): verification, chain to the portal CA, rotation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import cbor2
import pytest

from kiosk.receipts import cose_sign1
from kiosk.receipts.errors import TrustListInvalid
from kiosk.receipts.keys import create_portal_pki, issue_receipt_signer
from kiosk.receipts.seal import seal_receipt
from kiosk.receipts.trust_list import TrustEntry, build_trust_list, verify_trust_list
from kiosk.receipts.verify import verify_seal

from .conftest import NOW, entry_for


def _build(pki, entries, **kw) -> bytes:
    return build_trust_list(entries, pki.trust_list_signer, issued_at=kw.pop("iat", NOW),
                            expires_at=kw.pop("exp", NOW + timedelta(days=30)), **kw)


def test_valid_list_is_read(pki, signer, trust_list_bytes) -> None:
    """A list signed under the portal CA gives back its entries."""
    trust = verify_trust_list(trust_list_bytes, [pki.ca.certificate], now=NOW)
    assert trust.find(signer.kid).kiosk == "KIOSK-DEMO-01"
    assert trust.signer_kid == pki.trust_list_signer.kid


def test_list_without_x5chain_needs_the_signer_certificate(pki, signer) -> None:
    """Format D as the portal serves it (kid only): the signer cert must be configured."""
    data = _build(pki, [entry_for(signer)], include_signer_cert=False)
    with pytest.raises(TrustListInvalid, match="unknown key"):
        verify_trust_list(data, [pki.ca.certificate], now=NOW)
    trust = verify_trust_list(data, [pki.ca.certificate],
                              known_signers=[pki.trust_list_signer.certificate], now=NOW)
    assert trust.find(signer.kid) is not None


def test_list_signed_by_another_portal_is_refused(pki, signer) -> None:
    """A list from a CA we were not configured with is not trusted."""
    rogue = create_portal_pki("Rogue", now=NOW - timedelta(days=1))
    with pytest.raises(TrustListInvalid, match="portal CA"):
        verify_trust_list(_build(rogue, [entry_for(signer)]), [pki.ca.certificate], now=NOW)


def test_tampered_list_is_refused(pki, signer, trust_list_bytes) -> None:
    """Changing one entry after signing breaks the list's signature."""
    tagged = cbor2.loads(trust_list_bytes)
    protected, unprotected, payload, signature = tagged.value
    body = cbor2.loads(payload)
    body["entries"][0]["status"] = "revoked"
    forged = cbor2.dumps(cbor2.CBORTag(18, [protected, dict(unprotected), cbor2.dumps(body),
                                            signature]))
    with pytest.raises(TrustListInvalid, match="signature"):
        verify_trust_list(forged, [pki.ca.certificate], now=NOW)


def test_expired_list_is_refused(pki, signer) -> None:
    """An expired list says so and how to get a new one."""
    data = _build(pki, [entry_for(signer)], exp=NOW + timedelta(days=1))
    with pytest.raises(TrustListInvalid, match="expired"):
        verify_trust_list(data, [pki.ca.certificate], now=NOW + timedelta(days=2))


def test_entry_whose_kid_does_not_match_its_certificate(pki, signer) -> None:
    """An entry's kid must be SHA-256(cert)[:8]."""
    bad = TrustEntry(kid=b"\x00" * 8, cert_der=signer.certificate_der, kiosk="K", centre="C",
                     status="active")
    with pytest.raises(TrustListInvalid, match="kid does not match"):
        verify_trust_list(_build(pki, [bad]), [pki.ca.certificate], now=NOW)


def test_garbage_is_refused(pki) -> None:
    """Non-COSE input and a wrong payload version raise TrustListInvalid."""
    with pytest.raises(TrustListInvalid):
        verify_trust_list(b"not cose", [pki.ca.certificate], now=NOW)
    data = cose_sign1.sign(cbor2.dumps({"v": 2}), pki.trust_list_signer.key,
                           pki.trust_list_signer.kid,
                           {cose_sign1.HEADER_X5CHAIN: pki.trust_list_signer.certificate_der})
    with pytest.raises(TrustListInvalid, match="version"):
        verify_trust_list(data, [pki.ca.certificate], now=NOW)


def test_key_rotation_keeps_old_receipts_valid(pki, signer, samples) -> None:
    """Rotation: the new list lists both keys; old receipts verify, new ones too."""
    new_signer = issue_receipt_signer(pki, "KIOSK-DEMO-01", "DEMO-01001", now=NOW)
    trust = verify_trust_list(_build(pki, [entry_for(signer), entry_for(new_signer)]),
                              [pki.ca.certificate], now=NOW)
    assert verify_seal(seal_receipt(samples["queued"], signer), trust, now=NOW)
    assert verify_seal(seal_receipt(samples["queued"], new_signer), trust, now=NOW)


def test_portal_simulator_trust_list_verifies(tmp_path, signer) -> None:
    """Contract: a list made the way portal_sim serves GET /v1/trust-list verifies here."""
    pki_module = pytest.importorskip("portal_sim.pki")
    from portal_sim.cose import sign1

    authority = pki_module.Authority.load_or_create(tmp_path)
    entries = [{"kid": signer.kid, "cert": signer.certificate_der, "kiosk": "KIOSK-DEMO-01",
                "centre": "DEMO-01001", "status": "active"}]
    now = datetime.now(UTC)  # the simulator's certificates start now
    issued = int(now.timestamp())
    payload = cbor2.dumps({"v": 1, "iat": issued, "exp": issued + 86400, "entries": entries})
    data = sign1(payload, authority.signer_key, authority.signer_kid)
    trust = verify_trust_list(data, [authority.ca_cert], known_signers=[authority.signer_cert],
                              now=now)
    assert trust.find(signer.kid).status == "active"


def test_install_replaces_only_with_a_valid_newer_list(pki, signer, tmp_path) -> None:
    """A bad or older list never replaces the installed one; a newer valid one does."""
    from kiosk.receipts.trust_list import install_trust_list

    target = tmp_path / "trust-list.cose"
    anchors = [pki.ca.certificate]
    first = _build(pki, [entry_for(signer)])
    install_trust_list(first, anchors, target, now=NOW)
    assert target.read_bytes() == first
    with pytest.raises(TrustListInvalid):
        install_trust_list(b"garbage", anchors, target, now=NOW)
    older = _build(pki, [entry_for(signer, "active")], iat=NOW - timedelta(days=1))
    with pytest.raises(TrustListInvalid, match="older"):
        install_trust_list(older, anchors, target, now=NOW)
    assert target.read_bytes() == first
    newer = _build(pki, [entry_for(signer, "revoked")], iat=NOW + timedelta(hours=1))
    assert install_trust_list(newer, anchors, target, now=NOW + timedelta(hours=2)).find(
        signer.kid).status == "revoked"
    assert target.read_bytes() == newer


def test_absurd_dates_are_refused(pki, signer) -> None:
    """A signed list with out-of-range dates is refused, not an overflow."""
    payload = cbor2.dumps({"v": 1, "iat": 0, "exp": 2**64, "entries": []})
    data = cose_sign1.sign(payload, pki.trust_list_signer.key, pki.trust_list_signer.kid,
                           {cose_sign1.HEADER_X5CHAIN: pki.trust_list_signer.certificate_der})
    with pytest.raises(TrustListInvalid, match="out of range"):
        verify_trust_list(data, [pki.ca.certificate], now=NOW)
