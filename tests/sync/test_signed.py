"""Who may sign what every kiosk trusts: only the portal's content signer, not any
certificate the portal CA issued (it also issues each kiosk's receipt and device keys)."""

from __future__ import annotations

import pytest

from kiosk.sync.errors import SignatureInvalid
from kiosk.sync.signed import verify_sign1
from portal_sim.cose import X5CHAIN, sign1
from portal_sim.pki import _name, cert_der, issue, kid_of, make_ca, new_key


@pytest.mark.parametrize(("purpose", "accepted"), [
    ("signer", True), ("receipt", False), ("device", False), ("server", False)])
def test_only_the_content_signer_signs_catalogues(purpose: str, accepted: bool) -> None:
    """A catalogue signed by a kiosk's receipt key (same CA, valid chain, good signature)
    is refused; the same bytes signed by the content signer verify."""
    ca_key, ca_cert = make_ca("Test portal CA")
    key = new_key()
    cert = issue(ca_key, ca_cert, key.public_key(), _name(f"test {purpose}"), purpose, days=30,
                 hosts=("127.0.0.1",))
    der = cert_der(cert)
    message = sign1(b"catalogue payload", key, kid_of(der), {X5CHAIN: der})
    if accepted:
        assert verify_sign1(message, ca_cert).payload == b"catalogue payload"
    else:
        with pytest.raises(SignatureInvalid, match="content signer"):
            verify_sign1(message, ca_cert)
        # A signer pinned at enrolment is trusted as pinned (VNeID assertions).
        assert verify_sign1(message, ca_cert, signer=cert).payload == b"catalogue payload"
