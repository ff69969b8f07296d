"""read_identity against the chip-side engineer's virtual CCCD: PACE, BAC, CA, AA, the
Le ladder, and the negative cases of REFERENCE §1 (BSI TR-03105-5.1) that the chip's
fault injection can trigger. Each failure must be a typed error (or an honest "failed"
verdict) and hand nothing half-filled over."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from functools import cache

import pytest

from kiosk.devices.card.access import AccessKey
from kiosk.devices.card.config_trust import demo_trust_store
from kiosk.devices.card.errors import (
    AccessDenied,
    CardDataError,
    CardError,
    CardRemoved,
    CommunicationError,
)
from kiosk.devices.card.reader import IdentityMismatch, read_identity
from kiosk.devices.card.trust import TrustStore
from kiosk.devices.card.virtual.chip import VirtualCard
from kiosk.devices.card.virtual.faults import Faults
from kiosk.devices.card.virtual.personalize import encode_com, load_resident, personalize
from kiosk.devices.card.virtual.sod import SodOptions, build_sod
from kiosk.devices.card.virtual.test_pki import make_pki

DEMO_ID = "001090012345"
NOW = datetime(2026, 6, 1, tzinfo=UTC)


@cache
def _card(**options):  # noqa: ANN003, ANN202
    return personalize(load_resident(DEMO_ID), rsa_bits=1024, **options)


def _key(id12: str = DEMO_ID, dob: date = date(1990, 2, 15)) -> AccessKey:
    return AccessKey.from_id(id12, dob, date(2021, 5, 10))


def _read(card, faults: Faults | None = None, key: AccessKey | None = None,
          trust: TrustStore | None = None, now: datetime = NOW):  # noqa: ANN001, ANN202
    chip = VirtualCard(card, faults)
    identity = read_identity(chip, key or _key(), trust_store=trust or demo_trust_store(),
                             now=now)
    return identity, chip


def test_genuine_card_over_pace() -> None:
    """A healthy card reads over PACE with every field sourced and verified, the face as
    JPEG, and the verdict "genuine" because CA and AA passed and the chain is trusted."""
    identity, chip = _read(_card())
    assert identity.access == "PACE"
    assert identity.authenticity.status == "genuine", identity.authenticity.reason
    record = identity.as_plain_record()
    assert record["id_number"] == DEMO_ID and record["full_name"] == "Nguyễn Văn An"
    assert record["date_of_birth"] == "1990-02-15" and record["sex"] == "Nam"
    assert identity.fields["residence"].source == "DG13.9"
    assert all(item.verified for item in identity.fields.values())
    assert identity.face_jpeg[:3] == b"\xff\xd8\xff"
    assert identity.apdus == chip.apdus
    assert not identity.expired


def test_bac_only_card_reads_with_bac() -> None:
    """A card without EF.CardAccess is read with BAC (3DES secure messaging)."""
    identity, _ = _read(_card(pace=False))
    assert identity.access == "BAC"
    assert identity.authenticity.status == "genuine"


def test_explicit_curve_parameters_and_ec_active_authentication() -> None:
    """DG14/DG15 keys written with explicit brainpool parameters load (mapped to the named
    curve) and EC Active Authentication verifies."""
    identity, _ = _read(_card(aa="EC", explicit_ec_params=True))
    assert identity.authenticity.status == "genuine", identity.authenticity.reason


def test_wrong_can_is_refused_once() -> None:
    """A wrong ID (so a wrong CAN) gives AccessDenied after exactly one PACE attempt."""
    chip = VirtualCard(_card())
    with pytest.raises(AccessDenied):
        read_identity(chip, _key("001090099999"), trust_store=demo_trust_store())
    assert chip.pace_failures == 1


def test_wrong_birth_date_on_bac_card_is_refused() -> None:
    """On a BAC card a wrong date of birth gives AccessDenied (exit code 3)."""
    with pytest.raises(AccessDenied) as caught:
        _read(_card(pace=False), key=_key(dob=date(1990, 2, 14)))
    assert caught.value.exit_code == 3


@pytest.mark.parametrize("after", [0, 1, 5, 9, 14, 17, 18])
def test_card_removed_mid_read(after: int) -> None:
    """Pulling the card out at any point raises CardRemoved (exit 4), no identity."""
    with pytest.raises(CardRemoved) as caught:
        _read(_card(), Faults(remove_after_apdus=after))
    assert caught.value.exit_code == 4


@pytest.mark.parametrize("fault", ["bad_mac", "no_mac", "no_status", "no_data", "bad_cryptogram"])
# Secure-messaging responses that carry data: COM, SOD, DG15 (2nd, 5th, 7th).
@pytest.mark.parametrize("at", [2, 5, 7])
def test_spoiled_response_forces_reauthentication(fault: str, at: int) -> None:
    """One response with a wrong or missing MAC, status DO, data or cryptogram: detected,
    the session is re-authenticated (never continued) and the read still completes."""
    identity, chip = _read(_card(), _fault_once(sm_response_fault_at=at,
                                                sm_response_fault=fault))
    assert identity.authenticity.status == "genuine"
    assert identity.as_plain_record()["id_number"] == DEMO_ID
    assert identity.reauthentications >= 1  # the session was re-established, not continued
    assert _read(_card())[0].reauthentications == 0


def _fault_once(**options) -> Faults:  # noqa: ANN003
    """A response fault that strikes once in the card's life (not in every session)."""
    if "sm_response_fault_once" in {f.name for f in dataclasses.fields(Faults)}:
        options["sm_response_fault_once"] = True
    return Faults(**options)


class _SpoilAlways:
    """Flips a MAC byte in every answer longer than a status word after the first ``skip``
    APDUs of each session: a chip (or link) that never answers correctly."""

    def __init__(self, inner: VirtualCard, skip: int) -> None:
        self.inner, self.skip, self.count = inner, skip, 0
        self.supports_extended_apdus = inner.supports_extended_apdus

    def transmit(self, apdu: bytes) -> bytes:
        response = self.inner.transmit(apdu)
        self.count += 1
        if apdu[0] & 0x0C and self.count > self.skip and len(response) > 12:
            response = response[:-3] + bytes([response[-3] ^ 0x01]) + response[-2:]
        return response

    def close(self) -> None:
        self.inner.close()


def test_persistent_bad_macs_end_in_a_bounded_communication_error() -> None:
    """Every protected answer corrupt: a bounded number of re-authentications, then
    CommunicationError (exit 4) — no retry storm, nothing handed over."""
    chip = VirtualCard(_card())
    with pytest.raises(CommunicationError) as caught:
        read_identity(_SpoilAlways(chip, 12), _key(), trust_store=demo_trust_store(), now=NOW)
    assert caught.value.exit_code == 4
    assert chip.apdus < 80


class _SpoilOnce:
    """Flips one byte of the MAC in the n-th response, once (a single bit error)."""

    def __init__(self, inner: VirtualCard, at: int) -> None:
        self.inner, self.at, self.count = inner, at, 0
        self.supports_extended_apdus = inner.supports_extended_apdus

    def transmit(self, apdu: bytes) -> bytes:
        response = self.inner.transmit(apdu)
        self.count += 1
        if self.count == self.at and len(response) > 4:
            response = response[:-3] + bytes([response[-3] ^ 0x01]) + response[-2:]
        return response

    def close(self) -> None:
        self.inner.close()


@pytest.mark.parametrize("at", [10, 12, 16, 22, 26])
def test_one_bad_mac_is_survived_by_reauthentication(at: int) -> None:
    """One corrupted response MAC anywhere in the read: detected, the session is
    re-authenticated (never continued with the old counter) and the read completes."""
    chip = VirtualCard(_card())
    identity = read_identity(_SpoilOnce(chip, at), _key(), trust_store=demo_trust_store(),
                             now=NOW)
    assert identity.authenticity.status == "genuine"
    assert identity.as_plain_record()["id_number"] == DEMO_ID


@pytest.mark.parametrize("answer", ["6282", "9000", "6B00", "6Cxx", "empty"])
def test_every_end_of_file_answer_completes_the_read(answer: str) -> None:
    """Whatever the chip answers to a read past the end of a file (the rest with 62 82 or
    90 00; 6B00, 6Cxx or nothing), the read completes with the same verdict; a refusal
    costs one re-authentication and headers are read first from then on."""
    identity, _ = _read(_card(), Faults(end_of_file=answer))
    assert identity.authenticity.status == "genuine"
    assert identity.reauthentications == (0 if answer in ("6282", "9000") else 1)


def test_le_ladder_without_extended_apdus() -> None:
    """A chip that rejects extended Le makes the reader step down and finish with short
    APDUs; a reader without extended support starts short."""
    extended, _ = _read(_card())
    rejected, _ = _read(_card(), Faults(reject_extended=True))
    short, _ = _read(_card(), Faults(reader_short_only=True))
    assert rejected.authenticity.status == short.authenticity.status == "genuine"
    assert extended.apdus < short.apdus <= rejected.apdus
    assert rejected.bytes_read == extended.bytes_read


def test_le_ladder_down_to_chip_limit() -> None:
    """A chip limited to 160 plaintext bytes per READ BINARY is read at 128 after the
    ladder (223 and 192 fail with 6700, each followed by re-authentication)."""
    identity, _ = _read(_card(), Faults(reader_short_only=True, max_response_plaintext=160))
    assert identity.authenticity.status == "genuine"


@pytest.mark.parametrize("name", ["COM", "DG1", "DG13", "SOD", "CardAccess", "DG14"])
def test_malformed_files_raise_card_data_error(name: str) -> None:
    """A malformed TLV in any file raises CardDataError (exit 5), nothing handed over."""
    with pytest.raises(CardDataError) as caught:
        _read(_card(faults=Faults(malformed_tlv=name)))
    assert caught.value.exit_code == 5


@pytest.mark.parametrize("group", [1, 2, 13, 14, 15])
def test_tampered_group_fails_authenticity(group: int) -> None:
    """One byte changed in a data group after signing: the verdict is "failed" naming the
    group (or the group no longer parses: a CardError)."""
    try:
        identity, _ = _read(_card(faults=Faults(tampered_group=group)))
    except CardError:
        return
    assert identity.authenticity.status == "failed"
    assert f"DG{group}" in identity.authenticity.reason or group in (14, 15)
    assert not any(item.verified for item in identity.fields.values())


def test_unknown_csca_is_untrusted_issuer_not_verified() -> None:
    """An SOD from a CSCA outside the trust store: signature valid, issuer not trusted."""
    identity, _ = _read(_card(faults=Faults(unknown_csca=True)))
    assert identity.authenticity.status == "untrusted_issuer"
    assert not any(item.verified for item in identity.fields.values())


def test_empty_trust_store_never_says_genuine() -> None:
    """Without anchors the best verdict is "untrusted_issuer"."""
    identity, _ = _read(_card(), trust=TrustStore())
    assert identity.authenticity.status == "untrusted_issuer"


@pytest.mark.parametrize("options, reason", [
    (SodOptions(digest="md5"), "md5"),
    (SodOptions(wrong_message_digest=True), "message digest"),
    (SodOptions(wrong_signature=True), "signature"),
    (SodOptions(content_type="1.2.840.113549.1.7.1"), "content type"),
])
def test_bad_sod_fails(options: SodOptions, reason: str) -> None:
    """SOD with MD5, a wrong messageDigest, a wrong signature or a wrong content type:
    "failed" with the reason."""
    identity, _ = _read(_card(sod_options=options))
    assert identity.authenticity.status == "failed"
    assert reason in identity.authenticity.reason.lower()


@pytest.mark.parametrize("pki_options, reason", [
    ({"revoke_ds": True}, "revoked"),
    ({"ds_not_after": datetime(2025, 1, 1, tzinfo=UTC)}, "expired"),
    ({"ds_country": "LA"}, "country"),
])
def test_document_signer_problems_fail(pki_options: dict, reason: str, tmp_path) -> None:
    """A revoked, expired or foreign document signer under a trusted CSCA fails."""
    from kiosk.devices.card.virtual.test_pki import write_trust_anchor

    pki = make_pki(f"neg-{reason}", **pki_options)
    write_trust_anchor(pki, tmp_path)
    identity, _ = _read(personalize(load_resident(DEMO_ID), pki, rsa_bits=1024),
                        trust=TrustStore.load(tmp_path))
    assert identity.authenticity.status == "failed"
    assert reason in identity.authenticity.reason


def test_document_signer_not_issued_by_csca_is_not_trusted(tmp_path) -> None:
    """A document signer issued by another CSCA never chains to the trusted one."""
    from kiosk.devices.card.virtual.test_pki import write_trust_anchor

    pki = make_pki("neg-issuer", ds_issued_by="someone-else")
    write_trust_anchor(pki, tmp_path)
    identity, _ = _read(personalize(load_resident(DEMO_ID), pki, rsa_bits=1024),
                        trust=TrustStore.load(tmp_path))
    assert identity.authenticity.status in ("untrusted_issuer", "failed")
    assert identity.authenticity.checks.get("chain") != "trusted"


def test_com_and_sod_listing_different_groups_fails() -> None:
    """EF.COM that omits a group the SOD lists: "failed"."""
    card = _card()
    files = dict(card.files)
    files["COM"] = encode_com((1, 2, 13, 15))
    odd = dataclasses.replace(card, files=files)
    identity, _ = _read(odd)
    assert identity.authenticity.status == "failed"
    assert "different data groups" in identity.authenticity.reason


def test_qr_id_differs_from_chip_raises_mismatch() -> None:
    """A QR whose ID shares the CAN but not the rest: IdentityMismatch, nothing returned."""
    key = AccessKey.from_card_qr("002090012345||X|15021990|Nam|Y|10052021")
    with pytest.raises(IdentityMismatch) as caught:
        _read(_card(), key=key)
    assert caught.value.exit_code == 5


def test_dg1_and_dg13_ids_differ_raises_mismatch() -> None:
    """DG13 of another resident, correctly signed into the SOD: IdentityMismatch."""
    card = _card()
    other = load_resident(next(r for r in _residents() if r != DEMO_ID))
    files = dict(card.files)
    files["DG13"] = personalize(other, rsa_bits=1024).files["DG13"]
    groups = {n: files[f"DG{n}"] for n in (1, 2, 13, 14, 15)}
    files["SOD"] = build_sod(groups, card.pki)
    with pytest.raises(IdentityMismatch):
        _read(dataclasses.replace(card, files=files))


def test_expired_card_is_flagged() -> None:
    """A read after the card's expiry date flags it (the data is still returned)."""
    identity, _ = _read(_card(), now=datetime(2031, 1, 1, tzinfo=UTC))
    assert identity.expired and "card_expired" in identity.warnings


def test_wipe_drops_personal_data() -> None:
    """wipe() leaves no field values and no photo."""
    identity, _ = _read(_card())
    identity.wipe()
    assert identity.fields == {} and identity.face_jpeg is None
    assert DEMO_ID not in repr(identity)


def _residents() -> list[str]:
    import json

    from kiosk.config import RESOURCES

    data = json.loads((RESOURCES / "demo" / "residents.json").read_text(encoding="utf-8"))
    return [r["id"] for r in data["residents"]]
