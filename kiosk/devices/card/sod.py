"""EF.SOD: the document security object, a CMS SignedData over the LDSSecurityObject
(ICAO 9303-10 §4.6.2), parsed with asn1crypto.

This module only parses and checks internal consistency; trust decisions are made in
:mod:`authenticity`.
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import algos, cms, core, x509

from kiosk.devices.card.errors import CardDataError
from kiosk.devices.card.tlv import TlvError, expect_tlv

__all__ = ["Sod", "parse_sod", "LDS_SECURITY_OBJECT_OID"]

LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"


class _DataGroupHash(core.Sequence):
    _fields = [("data_group_number", core.Integer), ("data_group_hash_value", core.OctetString)]


class _DataGroupHashValues(core.SequenceOf):
    _child_spec = _DataGroupHash


class _LdsVersionInfo(core.Sequence):
    _fields = [("lds_version", core.PrintableString), ("unicode_version", core.PrintableString)]


class _LdsSecurityObject(core.Sequence):
    _fields = [
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", _DataGroupHashValues),
        ("lds_version_info", _LdsVersionInfo, {"optional": True}),
    ]


@dataclass
class Sod:
    """What the SOD says, plus the pieces a verifier needs, all as read."""

    content_type: str
    hash_algorithm: str  # asn1crypto name: 'sha256'
    hashes: dict[int, bytes]
    encapsulated: bytes  # eContent: the DER LDSSecurityObject
    signed_attrs: bytes | None  # DER SET OF attributes (what the signature covers)
    message_digest: bytes | None
    attr_content_type: str | None
    signer_digest_algorithm: str
    signature_algorithm: algos.SignedDigestAlgorithm
    signature: bytes
    signer_certificate: x509.Certificate | None


def parse_sod(data: bytes) -> Sod:
    """Parse EF.SOD strictly; malformed structure raises CardDataError('EF.SOD: …')."""
    try:
        content = expect_tlv(data, 0x77, "EF.SOD")
    except TlvError as error:
        raise CardDataError(f"EF.SOD: {error.message}") from error
    try:
        info = cms.ContentInfo.load(content, strict=True)
        if info["content_type"].native != "signed_data":
            raise CardDataError("EF.SOD: the CMS content is not SignedData")
        signed = info["content"]
        encap = signed["encap_content_info"]
        content_type = encap["content_type"].dotted
        econtent = encap["content"]
        if econtent is None or not isinstance(econtent, core.ParsableOctetString):
            raise CardDataError("EF.SOD: no encapsulated LDS security object")
        raw = econtent.native
        if not isinstance(raw, bytes):
            raise CardDataError("EF.SOD: the encapsulated content is not an OCTET STRING")
        lds_so = _LdsSecurityObject.load(raw, strict=True)
        hash_algorithm = lds_so["hash_algorithm"]["algorithm"].native
        hashes: dict[int, bytes] = {}
        for entry in lds_so["data_group_hash_values"]:
            number = entry["data_group_number"].native
            if number in hashes or not 1 <= number <= 16:
                raise CardDataError(f"EF.SOD: data group {number} listed twice or out of range")
            hashes[number] = entry["data_group_hash_value"].native
        signer_infos = signed["signer_infos"]
        if len(signer_infos) != 1:
            raise CardDataError(f"EF.SOD: expected one signer, found {len(signer_infos)}")
        signer = signer_infos[0]
        attrs = signer["signed_attrs"]
        message_digest = attr_type = None
        signed_attrs = None
        if attrs.native is not None and len(attrs):
            signed_attrs = b"\x31" + attrs.dump()[1:]  # RFC 5652 §5.4: signed as SET OF
            for attr in attrs:
                name = attr["type"].native
                values = attr["values"]
                if name == "message_digest":
                    message_digest = values[0].native
                elif name == "content_type":
                    attr_type = values[0].dotted
        certificate = _signer_certificate(signed, signer)
        return Sod(
            content_type=content_type, hash_algorithm=hash_algorithm, hashes=hashes,
            encapsulated=raw, signed_attrs=signed_attrs, message_digest=message_digest,
            attr_content_type=attr_type,
            signer_digest_algorithm=signer["digest_algorithm"]["algorithm"].native,
            signature_algorithm=signer["signature_algorithm"],
            signature=signer["signature"].native, signer_certificate=certificate)
    except CardDataError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise CardDataError(f"EF.SOD: malformed CMS ({type(error).__name__})") from error


def _signer_certificate(signed: cms.SignedData, signer: cms.SignerInfo) -> x509.Certificate | None:
    """The document signer certificate the SignerInfo names (issuer+serial or SKI)."""
    sid = signer["sid"]
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (cert.issuer == wanted["issuer"]
                    and cert.serial_number == wanted["serial_number"].native):
                return cert
        elif sid.name == "subject_key_identifier":
            if cert.key_identifier == sid.chosen.native:
                return cert
    return None
