"""EF.SOD of the virtual card: a CMS SignedData over the LDS Security Object.

ICAO 9303-10 §4.6.2: the document signer signs an LDSSecurityObject that lists the hash
of each data group's raw bytes; EF.SOD is that ContentInfo wrapped in tag 77. The CMS is
built with asn1crypto and signed with ``cryptography``. :class:`SodOptions` produces the
broken variants that BSI TR-03105-5.1 asks inspection systems to reject.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from asn1crypto import algos, cms, core, x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.devices.card.tlv import encode_tlv
from kiosk.devices.card.virtual.test_pki import TestPki

__all__ = ["LDS_SECURITY_OBJECT_OID", "SodOptions", "LdsSecurityObject", "build_sod"]

LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"  # id-icao-mrtd-security-ldsSecurityObject
_SIGNING_TIME = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
_HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384,
           "sha512": hashes.SHA512}


class DataGroupHash(core.Sequence):
    _fields = [("data_group_number", core.Integer), ("data_group_hash_value", core.OctetString)]


class DataGroupHashValues(core.SequenceOf):
    _child_spec = DataGroupHash


class LdsSecurityObject(core.Sequence):
    """ICAO 9303-10 §4.6.2.2, version 0 (LDS 1.7: no ldsVersionInfo)."""

    _fields = [
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", DataGroupHashValues),
    ]


@dataclass(frozen=True)
class SodOptions:
    """How to build the SOD; the defaults give a correct one.

    ``digest`` hashes the data groups and the signed attributes ("md5" makes the weak SOD
    a reader must refuse); ``signature_digest`` is the one the ECDSA signature uses.
    """

    digest: str = "sha256"
    signature_digest: str = "sha256"
    content_type: str = LDS_SECURITY_OBJECT_OID
    wrong_message_digest: bool = False
    wrong_signature: bool = False


def _hash(name: str, data: bytes) -> bytes:
    return hashlib.new(name, data).digest()


def build_sod(groups: dict[int, bytes], pki: TestPki, options: SodOptions | None = None) -> bytes:
    """EF.SOD bytes (tag 77) listing ``groups`` (DG number -> raw EF bytes), signed by the
    document signer of ``pki``."""
    options = options or SodOptions()
    lds_so = LdsSecurityObject({
        "version": 0,
        "hash_algorithm": {"algorithm": options.digest},
        "data_group_hash_values": [
            {"data_group_number": number, "data_group_hash_value": _hash(options.digest, raw)}
            for number, raw in sorted(groups.items())
        ],
    }).dump()
    message_digest = _hash(options.digest, lds_so)
    if options.wrong_message_digest:
        message_digest = bytes([message_digest[0] ^ 0xFF]) + message_digest[1:]
    signed_attrs = cms.CMSAttributes([
        {"type": "content_type", "values": [options.content_type]},
        {"type": "signing_time", "values": [cms.Time({"utc_time": _SIGNING_TIME})]},
        {"type": "message_digest", "values": [message_digest]},
    ])
    # RFC 5652 §5.4: the signature covers the DER of the attributes as a SET OF (tag 31).
    signature = pki.ds_key.sign(
        signed_attrs.dump(),
        ec.ECDSA(_HASHES[options.signature_digest](), deterministic_signing=True))
    if options.wrong_signature:
        signature = _corrupt_ecdsa(signature)
    ds_cert = x509.Certificate.load(pki.ds_cert.public_bytes(serialization.Encoding.DER))
    signer_info = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": {
            "issuer": ds_cert.issuer, "serial_number": ds_cert.serial_number}}),
        "digest_algorithm": {"algorithm": options.digest},
        "signed_attrs": signed_attrs,
        "signature_algorithm": {"algorithm": f"{options.signature_digest}_ecdsa"},
        "signature": signature,
    })
    signed_data = cms.SignedData({
        "version": "v3",
        "digest_algorithms": [{"algorithm": options.digest}],
        "encap_content_info": {
            "content_type": options.content_type,
            "content": core.ParsableOctetString(lds_so),
        },
        "certificates": [ds_cert],
        "signer_infos": [signer_info],
    })
    content_info = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    return encode_tlv(0x77, content_info.dump())


def _corrupt_ecdsa(signature: bytes) -> bytes:
    """A well-formed ECDSA-Sig-Value whose s is off by one: parses, never verifies."""
    value = algos.DSASignature.load(signature)
    return algos.DSASignature({"r": value["r"].native, "s": value["s"].native ^ 1}).dump()
