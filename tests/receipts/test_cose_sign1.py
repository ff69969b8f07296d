"""COSE_Sign1 against the COSE WG examples (RFC 9052/9053) and an independent implementation."""

from __future__ import annotations

import base64

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.receipts import cose_sign1

# cose-wg/Examples, key "11" (P-256), used by ecdsa-examples/ecdsa-sig-01.json and
# sign1-tests/*.json. Values copied from those JSON files.
KEY_X = "usWxHK2PmfnHKwXPS54m0kTcGJ90UiglWiGahtagnv8"
KEY_Y = "IBOL-C3BttVivg-lSreASjpkttcsz-1rb7btKLv8EX4"
KEY_D = "V8kgd2ZBRuh2dgyVINBUqpPDr7BOMGcF22CQMIUHtNM"
CONTENT = b"This is the content."

ECDSA_SIG_01 = bytes.fromhex(
    "D28445A201260300A10442313154546869732069732074686520636F6E74656E742E5840EAE868ECC176"
    "883766C5DC5BA5B8DCA25DAB3C2E56A551CE5705B793914348E172727F48461FABBBA2E343492DDECAC3"
    "983686250BC68E9F1A7A07D41225B59F")
ECDSA_SIG_01_TBS = bytes.fromhex(
    "846A5369676E61747572653145A2012603004054546869732069732074686520636F6E74656E742E")
SIGN_PASS_02 = bytes.fromhex(  # with external AAD 11aa22bb33cc44dd55006699
    "D28443A10126A10442313154546869732069732074686520636F6E74656E742E5840EAE868ECC176883766"
    "C5DC5BA5B8DCA25DAB3C2E56A551CE5705B793914348E155388B10C4F1B59A6733EAB416870A945111A4B2"
    "FBDBEF33A77234B1DEFF2F9B")
SIGN_PASS_02_TBS = bytes.fromhex(
    "846A5369676E61747572653143A101264C11AA22BB33CC44DD5500669954546869732069732074686520636F"
    "6E74656E742E")
SIGN_FAIL_02 = bytes.fromhex(  # payload changed after signing
    "D28443A10126A10442313154546869732069732074686520636F6E74656E742F5840EAE868ECC176883766"
    "C5DC5BA5B8DCA25DAB3C2E56A551CE5705B793914348E19F43D6C6BA654472DA301B645B293C9BA939295B"
    "97C4BDB847782BFF384C5794")
SIGN_PASS_01 = bytes.fromhex(  # alg only in the unprotected bucket
    "D28441A0A201260442313154546869732069732074686520636F6E74656E742E5840EAE868ECC176883766"
    "C5DC5BA5B8DCA25DAB3C2E56A551CE5705B793914348E11A02E5F0344BF2D4EE5C7FD75A68A9F5E0B3CC1F"
    "1FC1409C189566586FF9D610")
EXTERNAL_AAD = bytes.fromhex("11aa22bb33cc44dd55006699")


def _b64(text: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


@pytest.fixture(scope="module")
def wg_key() -> ec.EllipticCurvePrivateKey:
    key = ec.derive_private_key(_b64(KEY_D), ec.SECP256R1())
    numbers = key.public_key().public_numbers()
    assert (numbers.x, numbers.y) == (_b64(KEY_X), _b64(KEY_Y))
    return key


def test_sig_structure_matches_the_working_group_intermediates() -> None:
    """Our Sig_structure ("ToBeSign") is byte-identical to the COSE WG examples'."""
    assert cose_sign1.sig_structure(bytes.fromhex("A201260300"), CONTENT) == ECDSA_SIG_01_TBS
    assert cose_sign1.sig_structure(bytes.fromhex("A10126"), CONTENT,
                                    EXTERNAL_AAD) == SIGN_PASS_02_TBS


def test_working_group_es256_examples_verify(wg_key: ec.EllipticCurvePrivateKey) -> None:
    """The RFC 9052 ES256 example (ecdsa-sig-01) and the external-AAD example verify."""
    message = cose_sign1.decode(ECDSA_SIG_01)
    assert message.kid == b"11" and message.payload == CONTENT
    assert cose_sign1.verify(message, wg_key.public_key())
    external = cose_sign1.decode(SIGN_PASS_02)
    assert cose_sign1.verify(external, wg_key.public_key(), EXTERNAL_AAD)
    assert not cose_sign1.verify(external, wg_key.public_key())


def test_working_group_failure_examples_are_rejected(wg_key: ec.EllipticCurvePrivateKey) -> None:
    """A changed payload fails, and an algorithm outside the protected header is refused."""
    assert not cose_sign1.verify(cose_sign1.decode(SIGN_FAIL_02), wg_key.public_key())
    assert not cose_sign1.verify(cose_sign1.decode(SIGN_PASS_01), wg_key.public_key())


def test_our_signature_verifies_with_pycose(wg_key: ec.EllipticCurvePrivateKey) -> None:
    """pycose, an independent implementation, accepts what we sign."""
    from pycose.keys import EC2Key
    from pycose.keys.curves import P256
    from pycose.messages import Sign1Message

    signed = cose_sign1.sign(b"receipt claims", wg_key, b"kid-0001")
    # pycose 1.1's decode() predates cbor2 6 (which yields tuples inside tags), so hand it
    # the tagged array the way its decode() would.
    tagged = cbor2.loads(signed)
    assert tagged.tag == 18
    protected, unprotected, payload, signature = tagged.value
    decoded = Sign1Message.from_cose_obj([protected, dict(unprotected), payload, signature], True)
    numbers = wg_key.public_key().public_numbers()
    decoded.key = EC2Key(crv=P256, x=numbers.x.to_bytes(32, "big"), y=numbers.y.to_bytes(32, "big"))
    assert decoded.verify_signature()
    assert decoded.payload == b"receipt claims"


def test_pycose_signature_verifies_with_ours(wg_key: ec.EllipticCurvePrivateKey) -> None:
    """We accept what pycose signs (ES256, kid unprotected)."""
    from pycose.algorithms import Es256
    from pycose.headers import KID, Algorithm
    from pycose.keys import EC2Key
    from pycose.keys.curves import P256
    from pycose.messages import Sign1Message

    message = Sign1Message(phdr={Algorithm: Es256}, uhdr={KID: b"kid-0002"}, payload=b"hello")
    message.key = EC2Key(crv=P256, d=wg_key.private_numbers().private_value.to_bytes(32, "big"))
    decoded = cose_sign1.decode(message.encode())
    assert decoded.kid == b"kid-0002"
    assert cose_sign1.verify(decoded, wg_key.public_key())


def test_signing_is_deterministic(wg_key: ec.EllipticCurvePrivateKey) -> None:
    """RFC 6979 signatures: a reprint gives the same seal, byte for byte."""
    assert cose_sign1.sign(CONTENT, wg_key, b"11") == cose_sign1.sign(CONTENT, wg_key, b"11")


@pytest.mark.parametrize("data, why", [
    (b"", "empty"),
    (cbor2.dumps([b"", {}, b"", b""]), "untagged"),
    (cbor2.dumps(cbor2.CBORTag(98, [b"", {}, b"", b""])), "COSE_Sign is not COSE_Sign1"),
    (cbor2.dumps(cbor2.CBORTag(18, [b"", {}, b""])), "three items"),
    (cbor2.dumps(cbor2.CBORTag(18, ["x", {}, b"", b""])), "protected not bytes"),
    (cbor2.dumps(cbor2.CBORTag(18, [b"", {}, None, b""])), "detached payload"),
    (cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps({2: [1]}), {}, b"", b""])), "crit header"),
    (cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps({1: -7}), {1: -7}, b"", b""])), "duplicate label"),
    (b"\xd2\x84\x43", "truncated"),
])
def test_malformed_messages_are_rejected(data: bytes, why: str) -> None:
    """Each structural defect raises CoseMalformed rather than anything else."""
    with pytest.raises(cose_sign1.CoseMalformed):
        cose_sign1.decode(data)
