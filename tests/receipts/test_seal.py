"""The receipt seal: round trip, privacy, and every rejection reason."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import base45
import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.receipts import cose_sign1
from kiosk.receipts.errors import SealInvalid
from kiosk.receipts.keys import create_portal_pki, issue_receipt_signer
from kiosk.receipts.seal import PREFIX, SealClaims, make_seal, open_seal, seal_receipt
from kiosk.receipts.trust_list import build_trust_list, verify_trust_list
from kiosk.receipts.verify import verify_seal

from .conftest import NOW, entry_for


def _reason(text: str, trust, now=NOW) -> str:
    with pytest.raises(SealInvalid) as caught:
        verify_seal(text, trust, now=now)
    return caught.value.reason


def test_round_trip_gives_back_every_claim(signer, trust, samples) -> None:
    """A sealed receipt verifies and its claims equal what was sealed."""
    for receipt in samples.values():
        text = seal_receipt(receipt, signer)
        assert text.startswith(PREFIX)
        verified = verify_seal(text, trust, now=NOW)
        assert verified.claims == SealClaims.from_receipt(receipt)
        assert verified.entry.kiosk == "KIOSK-DEMO-01"


def test_seal_carries_no_name_and_no_id_number(signer, samples) -> None:
    """REFERENCE §5: neither the name nor the ID number (nor its hash) is in the QR."""
    import hashlib

    receipt = samples["queued"]
    claims, message = open_seal(seal_receipt(receipt, signer))
    raw = message.payload
    person = receipt.person
    for secret in (person.full_name, person.id_number, person.phone, person.address,
                   person.id_number[-6:]):
        assert secret.encode() not in raw
    assert hashlib.sha256(person.id_number.encode()).digest()[:8] not in raw
    assert set(cbor2.loads(raw)) <= {"v", "c", "k", "iat", "exp", "n", "t", "d", "p", "s",
                                     "sub", "due", "fee"}


def test_seal_is_alphanumeric_qr_text(signer, samples) -> None:
    """Base45 plus the prefix stays in the QR alphanumeric set (the densest mode)."""
    alphabet = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    for receipt in samples.values():
        assert set(seal_receipt(receipt, signer)) <= alphabet


def test_every_flipped_bit_is_rejected(signer, trust, samples) -> None:
    """Flipping any single bit of the signed message makes verification fail."""
    text = seal_receipt(samples["received"], signer)
    raw = base45.b45decode(text[len(PREFIX):])
    reasons = set()
    for bit in range(len(raw) * 8):
        flipped = bytearray(raw)
        flipped[bit // 8] ^= 1 << (bit % 8)
        reasons.add(_reason(PREFIX + base45.b45encode(bytes(flipped)).decode(), trust))
    assert reasons <= {"malformed", "unknown_key", "bad_signature"}
    assert {"bad_signature", "unknown_key"} <= reasons


def test_untrusted_key_is_unknown(trust, samples) -> None:
    """A seal from a kiosk not on the trust list is rejected as unknown_key."""
    stranger = issue_receipt_signer(create_portal_pki(), "KIOSK-DEMO-01", "DEMO-01001")
    assert _reason(seal_receipt(samples["queued"], stranger), trust) == "unknown_key"


def test_forged_signature_under_a_listed_kid_is_bad_signature(signer, trust, samples) -> None:
    """An attacker's key claiming the listed kid fails the signature check."""
    forger = issue_receipt_signer(create_portal_pki(), "X", "Y")
    claims = SealClaims.from_receipt(samples["queued"])
    message = cose_sign1.sign(cbor2.dumps(claims.to_map(), canonical=True), forger.key, signer.kid)
    forged = PREFIX + base45.b45encode(message).decode()
    assert _reason(forged, trust) == "bad_signature"


def test_seal_naming_another_kiosk_is_rejected(signer, trust, samples) -> None:
    """A genuine kiosk key cannot vouch for receipts claiming another kiosk."""
    other = dataclasses.replace(samples["queued"], kiosk_id="KIOSK-OTHER-99")
    assert _reason(seal_receipt(other, signer), trust) == "bad_signature"


def test_expired_seal(signer, trust, samples) -> None:
    """A seal past its expiry is rejected as expired."""
    text = make_seal(SealClaims.from_receipt(samples["queued"], timedelta(days=1)), signer)
    assert verify_seal(text, trust, now=NOW + timedelta(hours=23))
    assert _reason(text, trust, now=NOW + timedelta(days=2)) == "expired"


def test_seal_from_the_future(signer, trust, samples) -> None:
    """A seal issued later than now (beyond clock skew) is not yet valid."""
    text = seal_receipt(samples["queued"], signer)
    assert _reason(text, trust, now=NOW - timedelta(hours=2)) == "not_yet_valid"


def test_revoked_kiosk(pki, signer, samples) -> None:
    """Revocation is a new trust list: the same seal then fails with 'revoked'."""
    revoked = verify_trust_list(
        build_trust_list([entry_for(signer, "revoked")], pki.trust_list_signer, issued_at=NOW,
                         expires_at=NOW + timedelta(days=30)),
        [pki.ca.certificate], now=NOW)
    assert _reason(seal_receipt(samples["queued"], signer), revoked) == "revoked"


@pytest.mark.parametrize("text", ["", "VNK1:", "HC1:6BFOXN", "VNK1:%%%%", "VNK1:00",
                                  "VNK2:" + "A" * 20, "https://example.vn", "VNK1:" + "Z" * 5000])
def test_garbage_is_malformed(trust, text: str) -> None:
    """Non-seals, other prefixes, bad Base45 and oversize input are 'malformed'."""
    assert _reason(text, trust) == "malformed"


def test_truncated_seals_are_malformed(signer, trust, samples) -> None:
    """Every truncation of a seal is rejected (never accepted, never a crash)."""
    text = seal_receipt(samples["queued"], signer)
    for cut in range(0, len(text) - 1, 7):
        assert _reason(text[:cut], trust) in {"malformed", "bad_signature"}


@pytest.mark.parametrize("claims", [
    {"v": 2}, [], {"v": 1, "c": "x"},
])
def test_wrong_claim_sets_are_malformed(signer, trust, claims) -> None:
    """A signed message whose claims are not a v1 claim set is 'malformed'."""
    message = cose_sign1.sign(cbor2.dumps(claims), signer.key, signer.kid)
    assert _reason(PREFIX + base45.b45encode(message).decode(), trust) == "malformed"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_decoder_with_random_messages(trust, data: bytes) -> None:
    """Random bytes behind the prefix are always rejected with a reason, never a crash."""
    with pytest.raises(SealInvalid):
        verify_seal(PREFIX + base45.b45encode(data).decode(), trust, now=NOW)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_decoder_with_random_text(trust, text: str) -> None:
    """Random text is rejected with a reason, never a crash."""
    with pytest.raises(SealInvalid):
        verify_seal(text, trust, now=NOW)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_fuzz_mutated_seals(signer, trust, samples, data) -> None:
    """Random byte edits of a genuine seal never verify."""
    raw = bytearray(base45.b45decode(seal_receipt(samples["received"], signer)[len(PREFIX):]))
    edits = data.draw(st.lists(st.tuples(st.integers(0, len(raw) - 1), st.integers(1, 255)),
                               min_size=1, max_size=4, unique_by=lambda edit: edit[0]))
    for index, xor in edits:
        raw[index] ^= xor
    with pytest.raises(SealInvalid):
        verify_seal(PREFIX + base45.b45encode(bytes(raw)).decode(), trust, now=NOW)


_claim_values = st.one_of(st.none(), st.booleans(), st.integers(-2**64, 2**64),
                          st.text(max_size=30), st.binary(max_size=30),
                          st.lists(st.integers(), max_size=3))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["v", "c", "k", "iat", "exp", "n", "t", "d", "p", "s",
                                        "sub", "due", "fee", "name", 1, -260]),
                       _claim_values, max_size=14))
def test_fuzz_signed_claim_sets(signer, trust, claims) -> None:
    """Validly signed but arbitrary claim maps are either a correct claim set or 'malformed'."""
    message = cose_sign1.sign(cbor2.dumps(claims), signer.key, signer.kid)
    text = PREFIX + base45.b45encode(message).decode()
    try:
        verified = verify_seal(text, trust, now=NOW)
    except SealInvalid as error:
        assert error.reason in {"malformed", "expired", "not_yet_valid", "bad_signature"}
    else:
        assert verified.claims.to_map() == claims


@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(st.binary(min_size=1, max_size=600))
def test_fuzz_decoder_long_run(trust, data: bytes) -> None:
    """Bounded long fuzz run of the whole decoder (bigger run: bench_receipts)."""
    with pytest.raises(SealInvalid):
        verify_seal(PREFIX + base45.b45encode(data).decode(), trust, now=NOW)


@pytest.mark.parametrize("key, value", [("exp", 2**64), ("iat", -1), ("sub", 10**20),
                                        ("fee", -5)])
def test_out_of_range_numbers_are_malformed(signer, trust, samples, key, value) -> None:
    """Absurd times or fees in a validly signed seal are 'malformed', never an overflow."""
    claims = SealClaims.from_receipt(samples["queued"]).to_map()
    claims[key] = value
    message = cose_sign1.sign(cbor2.dumps(claims), signer.key, signer.kid)
    assert _reason(PREFIX + base45.b45encode(message).decode(), trust) == "malformed"
