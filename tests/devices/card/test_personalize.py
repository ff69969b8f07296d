"""The virtual card's files follow the CCCD profile and verify under the TEST PKI."""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata

import pytest
from asn1crypto import cms, core, keys
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from PIL import Image

from kiosk.devices.card.mrz import parse_td1
from kiosk.devices.card.tlv import TlvError, decode_tlv, expect_tlv, iter_tlv
from kiosk.devices.card.virtual import lds_objects as lds
from kiosk.devices.card.virtual.faults import FaultConfigError, Faults
from kiosk.devices.card.virtual.personalize import (
    RESIDENTS_FILE,
    UnknownResident,
    encode_dg13,
    load_resident,
    mrz_for,
    personalize,
    write_card_files,
)
from kiosk.devices.card.virtual.sod import SodOptions
from kiosk.devices.card.virtual.test_pki import TRUST_DIR, demo_pki, make_pki
from kiosk.errors import BadInput

ALL_IDS = [r["id"] for r in json.loads(RESIDENTS_FILE.read_text(encoding="utf-8"))["residents"]]


@pytest.fixture(scope="module")
def an_card():
    """Nguyễn Văn An's card with an EC AA key (fast to make), built once for the module."""
    return personalize(load_resident("001090012345"), aa="EC")


def children(value: bytes) -> list[tuple[int, bytes]]:
    return list(iter_tlv(value))


def dg13_fields(raw: bytes) -> dict[int, object]:
    """DG13 decoded with the team's TLV reader: {field number: str or tuple of str}."""
    version, oid, fields = children(expect_tlv(expect_tlv(raw, 0x6D, "DG13"), 0x30, "body"))
    assert version == (0x02, b"\x01")
    assert core.ObjectIdentifier.load(bytes([6, len(oid[1])]) + oid[1]).dotted == lds.DG13_OID
    assert fields[0] == 0x31
    out: dict[int, object] = {}
    for tag, entry in children(fields[1]):
        assert tag == 0x30
        (_, number), (value_tag, value) = children(entry)
        if value_tag == 0x30:
            out[int.from_bytes(number, "big")] = tuple(v.decode() for _, v in children(value))
        else:
            assert value_tag == 0x0C
            out[int.from_bytes(number, "big")] = value.decode()
    return out


def sod_parts(sod: bytes):
    content = cms.ContentInfo.load(expect_tlv(sod, 0x77, "SOD"))["content"]
    return content, content["signer_infos"][0]


def test_mrz_matches_the_reference_example():
    """The MRZ of the reference's invented example is reproduced character for character."""
    assert mrz_for(load_resident("001090012345")) == (
        "IDVNM0900123450001090012345<<1"
        "9002155M3002153VNM<<<<<<<<<<<0"
        "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<")


@pytest.mark.parametrize("resident_id", ALL_IDS)
def test_every_demo_mrz_passes_its_check_digits(resident_id):
    """Each demo resident's MRZ parses with valid check digits and carries the 12-digit ID
    in the optional data and the last 9 digits as the document number."""
    resident = load_resident(resident_id)
    td1 = parse_td1(mrz_for(resident))
    assert td1.id_number == resident_id
    assert td1.document_number == resident_id[-9:]
    assert td1.sex == {"Nam": "M", "Nữ": "F"}[resident["sex"]]
    assert all(ch.isascii() for ch in td1.primary_identifier + td1.secondary_identifier)
    if not resident["date_of_expiry"]:
        assert td1.date_of_expiry == "991231"


def test_name_transliteration_drops_diacritics_and_d_stroke():
    """'Hoàng Văn Đức' becomes HOANG<<VAN<DUC (Đ → D, no diacritics)."""
    assert mrz_for(load_resident("020088007890"))[60:].startswith("HOANG<<VAN<DUC<")


def test_com_lists_lds_1_7_and_the_cccd_groups(an_card):
    """EF.COM says LDS 1.7, Unicode 4.0.0 and DG1 DG2 DG3 DG13 DG14 DG15."""
    parts = dict(iter_tlv(expect_tlv(an_card.files["COM"], 0x60, "COM")))
    assert parts == {0x5F01: b"0107", 0x5F36: b"040000", 0x5C: bytes([0x61, 0x75, 0x63, 0x6D, 0x6E, 0x6F])}


def test_dg1_wraps_the_mrz(an_card):
    """DG1 is 61 { 5F1F <90 MRZ characters> }."""
    inner = expect_tlv(an_card.files["DG1"], 0x61, "DG1")
    assert expect_tlv(inner, 0x5F1F, "MRZ").decode("ascii") == an_card.mrz


def test_dg13_fields_by_number_match_the_record(an_card):
    """DG13 holds fields 1-16 by number, NFC UTF-8, parents and spouse nested; long
    addresses use long-form lengths."""
    resident = load_resident("001090012345")
    fields = dg13_fields(an_card.files["DG13"])
    assert fields[1] == resident["id"]
    assert fields[2] == unicodedata.normalize("NFC", resident["full_name"])
    assert fields[3] == "15/02/1990"
    assert fields[4] == "Nam"
    assert fields[9] == resident["residence"]
    assert fields[13] == (resident["father_name"], resident["mother_name"])
    assert fields[14] == (resident["spouse_name"],)
    assert 15 not in fields  # no old ID
    assert len(fields[16]) == 16 and int(fields[16], 16) >= 0
    assert sorted(fields) == [n for n in range(1, 17) if n != 15]


def test_dg13_long_address_uses_long_form_lengths():
    """An address over 127 bytes is written with a long-form length and reads back whole."""
    resident = dict(load_resident("001090012345"))
    resident["residence"] = "Thôn Đông Hội, " * 12 + "Xã Đông Hội, Huyện Đông Anh, Thành phố Hà Nội"
    card = personalize(resident, aa="EC")
    encoded = resident["residence"].encode("utf-8")
    assert len(encoded) > 255
    assert b"\x0c\x82" + len(encoded).to_bytes(2, "big") + encoded in card.files["DG13"]
    assert dg13_fields(card.files["DG13"])[9] == resident["residence"]


def test_dg13_omits_spouse_and_keeps_old_id_when_relevant():
    """A widower without spouse name has no field 14; an old CMND goes in field 15;
    a lifelong card's expiry is the printed 'Không thời hạn'."""
    card = personalize(load_resident("036055001234"), aa="EC")
    fields = dg13_fields(card.files["DG13"])
    assert 14 not in fields
    assert fields[15] == "162345678"
    assert fields[12] == "Không thời hạn"


def test_dg13_encoder_writes_given_raw_values():
    """Tests can hand the encoder raw (broken) values: bytes are copied as they are."""
    raw = encode_dg13([(2, b"\x0c\x02\xff\xfe")])
    assert raw.endswith(b"\x30\x07\x02\x01\x02\x0c\x02\xff\xfe")


def test_dg2_holds_a_20_kb_jpeg_in_the_icao_templates(an_card):
    """DG2 = 75/7F61/7F60/5F2E with an ISO 19794-5 record around a ~20 KB decodable JPEG."""
    group = expect_tlv(an_card.files["DG2"], 0x75, "DG2")
    info = expect_tlv(group, 0x7F61, "BIT group")
    count_tag, count, offset = decode_tlv(info)
    assert (count_tag, count) == (0x02, b"\x01")
    instance = expect_tlv(info[offset:], 0x7F60, "BIT")
    parts = dict(iter_tlv(instance))
    assert parts[0xA1].startswith(b"\x80\x02\x01\x01")
    record = parts[0x5F2E]
    assert record[:8] == b"FAC\x00010\x00"
    assert int.from_bytes(record[8:12], "big") == len(record)
    jpeg = record[14 + 20 + 12:]
    assert jpeg[:2] == b"\xff\xd8"
    assert 15_000 <= len(jpeg) <= 21_000
    with Image.open(io.BytesIO(jpeg)) as image:
        assert image.format == "JPEG" and image.size == (300, 400)


def test_card_access_and_dg14_announce_the_cccd_protocols(an_card):
    """EF.CardAccess: PACE-ECDH-GM-AES-128 v2 param 13, CA ECDH-AES-128 v1, TA v1;
    DG14: CA info + the chip's brainpoolP256r1 key; AA info present because AA is EC."""
    infos = [children(info) for _, info in children(expect_tlv(an_card.files["CardAccess"], 0x31, "CA"))]
    triples = [(core.ObjectIdentifier.load(b"\x06" + bytes([len(i[0][1])]) + i[0][1]).dotted,
                *[int.from_bytes(v, "big") for _, v in i[1:]]) for i in infos]
    assert triples == [(lds.PACE_ECDH_GM_AES_128, 2, 13), (lds.CA_ECDH_AES_128, 1), (lds.TA, 1)]
    dg14 = core.SetOf.load(expect_tlv(an_card.files["DG14"], 0x6E, "DG14"), spec=core.Sequence)
    oids = [core.ObjectIdentifier.load(i[0].dump()).dotted for i in dg14]
    assert oids == [lds.CA_ECDH_AES_128, lds.PK_ECDH, lds.AA]
    key = keys.PublicKeyInfo.load(dg14[1][1].dump())
    assert key["algorithm"]["parameters"].chosen.dotted == "1.3.36.3.3.2.8.1.1.7"
    expected = an_card.keys.chip_auth.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    assert key["public_key"].native == expected


def test_explicit_parameters_describe_brainpool_p256r1():
    """With explicit_ec_params the DG14/DG15 keys carry a SpecifiedECDomain equal to
    brainpoolP256r1 (RFC 5639), which readers must map back to the named curve."""
    card = personalize(load_resident("001090012345"), aa="EC", explicit_ec_params=True)
    info = keys.PublicKeyInfo.load(expect_tlv(card.files["DG15"], 0x6F, "DG15"))
    params = info["algorithm"]["parameters"]
    assert params.name == "specified"
    domain = params.chosen
    assert domain["field_id"]["parameters"].native == lds.BRAINPOOL_P256R1["p"]
    assert domain["order"].native == lds.BRAINPOOL_P256R1["n"]
    with pytest.raises((ValueError, UnsupportedAlgorithm)):  # readers must map it (REFERENCE §1)
        serialization.load_der_public_key(info.dump())


def test_dg15_rsa_is_the_default(an_card):
    """The demo default AA key is RSA (2048 bits); tests choose EC."""
    card = personalize(load_resident("001192023456"), rsa_bits=1024)
    key = serialization.load_der_public_key(expect_tlv(card.files["DG15"], 0x6F, "DG15"))
    assert key.key_size == 1024 and card.keys.aa_hash == "SHA-1"
    assert isinstance(an_card.keys.active_auth, ec.EllipticCurvePrivateKey)


def test_sod_signature_hashes_and_chain_verify(an_card):
    """EF.SOD: the DS signature over the signed attributes verifies, the message digest is
    the LDS security object's hash, each DG hash is SHA-256 of the raw file, and the DS
    certificate chains to the committed TEST CSCA."""
    content, signer = sod_parts(an_card.files["SOD"])
    encap = content["encap_content_info"]
    assert encap["content_type"].dotted == "2.23.136.1.1.1"
    lds_so_der = encap["content"].native
    attrs = {a["type"].native: a["values"][0] for a in signer["signed_attrs"]}
    assert attrs["message_digest"].native == hashlib.sha256(lds_so_der).digest()
    ds_cert = x509.load_der_x509_certificate(content["certificates"][0].dump())
    to_verify = b"\x31" + signer["signed_attrs"].dump()[1:]
    ds_cert.public_key().verify(signer["signature"].native, to_verify, ec.ECDSA(hashes.SHA256()))
    csca = x509.load_pem_x509_certificate((TRUST_DIR / "TEST-CSCA-VN-demo.pem").read_bytes())
    ds_cert.verify_directly_issued_by(csca)
    lds_so = core.Sequence.load(lds_so_der)
    hashes_by_group = {core.Integer.load(e[0].dump()).native: core.OctetString.load(e[1].dump()).native
                       for e in core.SequenceOf.load(lds_so[2].dump(), spec=core.Sequence)}
    assert sorted(hashes_by_group) == [1, 2, 3, 13, 14, 15]  # DG3 too, though unreadable
    for number, digest in hashes_by_group.items():
        assert digest == hashlib.sha256(an_card.files[f"DG{number}"]).digest()


def test_committed_trust_anchor_is_the_deterministic_demo_pki():
    """resources/trust/test holds exactly the public CSCA and CRL that demo_pki() rebuilds,
    so the committed anchor can never drift from the keys that sign the demo cards."""
    pki = make_pki("demo")
    assert (TRUST_DIR / "TEST-CSCA-VN-demo.pem").read_bytes() == pki.csca_pem
    assert (TRUST_DIR / "TEST-CSCA-VN-demo.crl").read_bytes() == pki.crl.public_bytes(
        serialization.Encoding.DER)
    assert not list(TRUST_DIR.glob("*key*"))
    assert "TEST" in pki.csca_cert.subject.rfc4514_string()


def test_unknown_csca_fault_signs_with_another_anchor():
    """Faults(unknown_csca=True): the SOD's DS cert is not issued by the demo CSCA."""
    card = personalize(load_resident("001090012345"), aa="EC", faults=Faults(unknown_csca=True))
    content, _ = sod_parts(card.files["SOD"])
    ds_cert = x509.load_der_x509_certificate(content["certificates"][0].dump())
    with pytest.raises((ValueError, InvalidSignature)):
        ds_cert.verify_directly_issued_by(demo_pki().csca_cert)
    ds_cert.verify_directly_issued_by(make_pki("unknown").csca_cert)


def test_tampered_group_no_longer_matches_its_hash(an_card):
    """Faults(tampered_group=n) changes DG n after signing: same length, other hash, and a
    tampered DG1 still parses (only passive authentication can tell)."""
    for group in (1, 2, 13, 14, 15):
        card = personalize(load_resident("001090012345"), aa="EC", keys=an_card.keys,
                           faults=Faults(tampered_group=group))
        name = f"DG{group}"
        assert len(card.files[name]) == len(an_card.files[name])
        assert card.files[name] != an_card.files[name]
        assert card.files["SOD"] == an_card.files["SOD"]
    tampered = personalize(load_resident("001090012345"), aa="EC", keys=an_card.keys,
                           faults=Faults(tampered_group=1))
    parse_td1(expect_tlv(expect_tlv(tampered.files["DG1"], 0x61, "DG1"), 0x5F1F, "MRZ").decode())


@pytest.mark.parametrize("name", ["COM", "DG1", "DG13", "DG14", "CardAccess", "SOD"])
def test_malformed_tlv_fault_breaks_the_inner_tlv(name, an_card):
    """Faults(malformed_tlv=file) leaves the outer TLV intact but its first inner TLV
    unparseable; for a DG the SOD still matches (the parser must catch it)."""
    card = personalize(load_resident("001090012345"), aa="EC", keys=an_card.keys,
                       faults=Faults(malformed_tlv=name))
    raw = card.files[name]
    tag, value, end = decode_tlv(raw)
    assert end == len(raw)
    with pytest.raises(TlvError):
        list(iter_tlv(value))
    if name.startswith("DG"):
        assert card.files["SOD"] != an_card.files["SOD"]


def test_sod_options_make_the_broken_variants(an_card):
    """SodOptions produce MD5 hashes, a wrong message digest, a bad signature and a wrong
    content type, each still a parseable CMS."""
    resident = load_resident("001090012345")
    for options, check in [
        (SodOptions(digest="md5"), lambda c, s: s["digest_algorithm"]["algorithm"].native == "md5"),
        (SodOptions(content_type="1.2.840.113549.1.7.1"),
         lambda c, s: c["encap_content_info"]["content_type"].dotted == "1.2.840.113549.1.7.1"),
        (SodOptions(wrong_message_digest=True), lambda c, s: True),
        (SodOptions(wrong_signature=True), lambda c, s: True),
    ]:
        card = personalize(resident, aa="EC", keys=an_card.keys, sod_options=options)
        content, signer = sod_parts(card.files["SOD"])
        assert check(content, signer)
        assert card.files["SOD"] != an_card.files["SOD"]


def test_com_and_sod_groups_can_be_made_to_differ(an_card):
    """For the negative case 'COM and SOD list different groups' the two lists are chosen
    independently; the DG3 placeholder is a tag-63 TLV."""
    card = personalize(load_resident("001090012345"), aa="EC", keys=an_card.keys,
                       com_groups=(1, 2, 13), sod_groups=(1, 2, 13, 14, 15))
    assert dict(iter_tlv(expect_tlv(card.files["COM"], 0x60, "COM")))[0x5C] == b"\x61\x75\x6d"
    content, _ = sod_parts(card.files["SOD"])
    lds_so = core.Sequence.load(content["encap_content_info"]["content"].native)
    assert len(core.SequenceOf.load(lds_so[2].dump(), spec=core.Sequence)) == 5
    assert expect_tlv(an_card.files["DG3"], 0x63, "DG3").startswith(b"\x7f\x61")


def test_write_card_files_for_vicc(tmp_path):
    """write_card_files writes COM.bin … SOD.bin and MRZ.txt for vicc's --dg-dir / --mrz."""
    paths = write_card_files("001192023456", tmp_path, aa="EC")
    assert sorted(p.name for p in paths) == sorted(
        ["COM.bin", "DG1.bin", "DG2.bin", "DG13.bin", "DG14.bin", "DG15.bin", "SOD.bin", "MRZ.txt"])
    mrz = (tmp_path / "MRZ.txt").read_text().strip()
    assert len(mrz) == 90 and mrz.startswith("IDVNM192023456")


def test_unknown_resident_and_bad_options_are_typed_errors():
    """Unknown IDs and unknown fault options raise BadInput subclasses with the choices."""
    with pytest.raises(UnknownResident, match="001090012345"):
        load_resident("999999999999")
    with pytest.raises(FaultConfigError, match="6282"):
        Faults(end_of_file="404")
    with pytest.raises(BadInput):
        personalize(load_resident("001090012345"), aa="DSA")


def test_pki_variants_for_the_negative_cases():
    """make_pki builds the document signers TR-03105 asks about: expired, revoked (listed
    in the CRL), from another country, and issued by a different CSCA."""
    import datetime as dt

    expired = make_pki("expired", ds_not_after=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    assert expired.ds_cert.not_valid_after_utc.year == 2024
    expired.ds_cert.verify_directly_issued_by(expired.csca_cert)
    revoked = make_pki("revoked", revoke_ds=True)
    assert revoked.crl.get_revoked_certificate_by_serial_number(revoked.ds_cert.serial_number)
    assert demo_pki().crl.get_revoked_certificate_by_serial_number(demo_pki().ds_cert.serial_number) is None
    foreign = make_pki("foreign", ds_country="LA")
    assert "C=LA" in foreign.ds_cert.subject.rfc4514_string()
    stray = make_pki("stray", ds_issued_by="elsewhere")
    with pytest.raises((ValueError, InvalidSignature)):
        stray.ds_cert.verify_directly_issued_by(stray.csca_cert)
    assert make_pki("demo").csca_pem == demo_pki().csca_pem  # deterministic


def test_card_repr_and_wipe_keep_personal_data_out(an_card):
    """A personalized card never shows its MRZ or ID in repr (logs, tracebacks), and
    wipe() drops its files and MRZ."""
    assert "NGUYEN" not in repr(an_card) and "001090012345" not in repr(an_card)
    card = personalize(load_resident("001090012345"), aa="EC", keys=an_card.keys)
    card.wipe()
    assert card.files == {} and card.mrz == "" and card.id_number == ""


def test_explicit_parameter_pki_is_signed_correctly():
    """make_pki(explicit_params=True) re-encodes the CSCA and DS keys with explicit
    brainpoolP256r1 parameters and re-signs: each signature verifies with the issuer's key,
    and cryptography cannot load the key unmapped (what the reader must handle)."""
    from asn1crypto import x509 as asn1_x509

    pki = make_pki("explicit", explicit_params=True)
    for cert in (pki.csca_cert, pki.ds_cert):
        parsed = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
        assert parsed["tbs_certificate"]["subject_public_key_info"]["algorithm"][
            "parameters"].name == "specified"
        pki.csca_key.public_key().verify(cert.signature, cert.tbs_certificate_bytes,
                                         ec.ECDSA(hashes.SHA256()))
    with pytest.raises(UnsupportedAlgorithm):
        pki.ds_cert.public_key()
    card = personalize(load_resident("001090012345"), pki, aa="EC")
    content, _ = sod_parts(card.files["SOD"])
    assert content["certificates"][0].dump() == pki.ds_cert.public_bytes(serialization.Encoding.DER)
