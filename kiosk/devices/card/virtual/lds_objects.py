"""The security-info objects of the virtual card: EF.CardAccess, DG14 and DG15.

ASN.1 after ICAO 9303-11 §9.2 (SecurityInfos) and BSI TR-03110-3 (object identifiers).
Small DER pieces are built with asn1crypto's primitives; keys come from ``cryptography``.
"""

from __future__ import annotations

from asn1crypto import core, keys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kiosk.devices.card.tlv import encode_tlv

__all__ = [
    "PACE_ECDH_GM_AES_128", "CA_ECDH_AES_128", "PK_ECDH", "TA", "AA", "ECDSA_PLAIN_SHA256",
    "DG13_OID", "BRAINPOOL_P256R1_ID", "der_integer", "der_oid", "spki", "encode_card_access",
    "encode_dg14", "encode_dg15", "BRAINPOOL_P256R1",
]

PACE_ECDH_GM_AES_128 = "0.4.0.127.0.7.2.2.4.2.2"  # id-PACE-ECDH-GM-AES-CBC-CMAC-128
CA_ECDH_AES_128 = "0.4.0.127.0.7.2.2.3.2.2"  # id-CA-ECDH-AES-CBC-CMAC-128
PK_ECDH = "0.4.0.127.0.7.2.2.1.2"  # id-PK-ECDH
TA = "0.4.0.127.0.7.2.2.2"  # id-TA
AA = "2.23.136.1.1.5"  # id-icao-mrtd-security-aaProtocolObject
ECDSA_PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3"  # ecdsa-plain-SHA256 (BSI TR-03111)
DG13_OID = "1.0.10646.1.0.8"
BRAINPOOL_P256R1_ID = 13  # ICAO 9303-11 §9.5.1 standardized domain parameters

# brainpoolP256r1 (RFC 5639 §3.4), for keys written with explicit parameters.
BRAINPOOL_P256R1 = {
    "p": 0xA9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377,
    "a": 0x7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9,
    "b": 0x26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6,
    "gx": 0x8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262,
    "gy": 0x547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997,
    "n": 0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7,
}


def der_integer(value: int) -> bytes:
    return core.Integer(value).dump()


def der_oid(dotted: str) -> bytes:
    return core.ObjectIdentifier(dotted).dump()


def _sequence(*parts: bytes) -> bytes:
    return encode_tlv(0x30, b"".join(parts))


def spki(key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey, explicit: bool = False) -> bytes:
    """SubjectPublicKeyInfo DER; ``explicit`` spells brainpoolP256r1 out as a SpecifiedECDomain
    (what real chips and the Vietnamese CSCA do, and what ``cryptography`` cannot load)."""
    der = key.public_bytes(serialization.Encoding.DER,
                           serialization.PublicFormat.SubjectPublicKeyInfo)
    if not explicit or not isinstance(key, ec.EllipticCurvePublicKey):
        return der
    if key.curve.name != "brainpoolP256r1":
        raise ValueError("explicit parameters are only written for brainpoolP256r1")
    info = keys.PublicKeyInfo.load(der)
    c = BRAINPOOL_P256R1
    size = 32
    domain = keys.SpecifiedECDomain({
        "version": "ecdpVer1",
        "field_id": {"field_type": "prime_field", "parameters": c["p"]},
        "curve": {"a": c["a"].to_bytes(size, "big"), "b": c["b"].to_bytes(size, "big")},
        "base": b"\x04" + c["gx"].to_bytes(size, "big") + c["gy"].to_bytes(size, "big"),
        "order": c["n"],
        "cofactor": 1,
    })
    explicit_info = keys.PublicKeyInfo({
        "algorithm": {"algorithm": "ec", "parameters": keys.ECDomainParameters(
            name="specified", value=domain)},
        "public_key": info["public_key"],
    })
    return explicit_info.dump()


def encode_card_access() -> bytes:
    """EF.CardAccess as on the CCCD: PACEInfo (ECDH-GM-AES-128, parameter id 13),
    ChipAuthenticationInfo (ECDH-AES-128 v1) and TerminalAuthenticationInfo (v1)."""
    pace_info = _sequence(der_oid(PACE_ECDH_GM_AES_128), der_integer(2),
                          der_integer(BRAINPOOL_P256R1_ID))
    ca_info = _sequence(der_oid(CA_ECDH_AES_128), der_integer(1))
    ta_info = _sequence(der_oid(TA), der_integer(1))
    return encode_tlv(0x31, pace_info + ca_info + ta_info)


def encode_dg14(chip_auth_key: ec.EllipticCurvePublicKey, aa_is_ec: bool,
                explicit: bool = False) -> bytes:
    """EF.DG14 (tag 6E): ChipAuthenticationInfo + ChipAuthenticationPublicKeyInfo, and the
    ActiveAuthenticationInfo that names the signature algorithm when the AA key is EC
    (ICAO 9303-11 §9.2.5, §9.2.6)."""
    infos = [
        _sequence(der_oid(CA_ECDH_AES_128), der_integer(1)),
        _sequence(der_oid(PK_ECDH), spki(chip_auth_key, explicit)),
    ]
    if aa_is_ec:
        infos.append(_sequence(der_oid(AA), der_integer(1), der_oid(ECDSA_PLAIN_SHA256)))
    return encode_tlv(0x6E, encode_tlv(0x31, b"".join(infos)))


def encode_dg15(aa_key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey, explicit: bool = False) -> bytes:
    """EF.DG15 (tag 6F): the Active Authentication public key (ICAO 9303-10 §4.7.15)."""
    return encode_tlv(0x6F, spki(aa_key, explicit))
