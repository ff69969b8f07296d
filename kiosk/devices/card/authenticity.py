"""Is the card genuine? Passive authentication (the SOD), Chip Authentication (DG14) and
Active Authentication (DG15), and one honest verdict (issue 3, "Authenticity"):

- ``genuine``: the SOD chains to a trusted CSCA, every hash matches, and CA/AA passed;
- ``untrusted_issuer``: all of that except the anchor — never called "verified";
- ``failed``: anything else, with the reason.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

from asn1crypto import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from kiosk.devices.card import crypto
from kiosk.devices.card.apdu import SW_OK, CommandApdu
from kiosk.devices.card.dg14 import Dg14
from kiosk.devices.card.errors import CardDataError, CommunicationError
from kiosk.devices.card.identity import Authenticity
from kiosk.devices.card.keys import hash_by_name, load_public_key, verify_signature
from kiosk.devices.card.security_infos import oid_value_bytes
from kiosk.devices.card.session import CardSession
from kiosk.devices.card.sm import SecureMessaging
from kiosk.devices.card.sod import LDS_SECURITY_OBJECT_OID, Sod
from kiosk.devices.card.tlv import encode_tlv
from kiosk.devices.card.trust import TrustStore, certificate_country

__all__ = ["Authenticity", "PassiveResult", "passive_authentication", "chip_authentication",
           "active_authentication", "verdict"]

log = logging.getLogger(__name__)

_ACCEPTED_HASHES = {"sha1", "sha224", "sha256", "sha384", "sha512"}
# BSI TR-03111 ecdsa-plain-signatures 0.4.0.127.0.7.1.1.4.1.n
_PLAIN_ECDSA = {"0.4.0.127.0.7.1.1.4.1.1": "sha1", "0.4.0.127.0.7.1.1.4.1.2": "sha224",
                "0.4.0.127.0.7.1.1.4.1.3": "sha256", "0.4.0.127.0.7.1.1.4.1.4": "sha384",
                "0.4.0.127.0.7.1.1.4.1.5": "sha512"}
# ISO/IEC 9796-2 trailer hash identifiers (ISO/IEC 10118-3) for "xx CC" trailers.
_TRAILER_HASHES = {0x33: "sha1", 0x34: "sha256", 0x35: "sha512", 0x36: "sha384", 0x38: "sha224"}


@dataclass
class PassiveResult:
    ok: bool  # signature and hashes verified (trusted or not)
    trusted: bool  # chained to a CSCA of the trust store, valid and not revoked
    reason: str
    checks: dict
    verified_groups: set[int] = field(default_factory=set)


def _digest(name: str, data: bytes) -> bytes:
    if name not in _ACCEPTED_HASHES:
        raise CardDataError(f"EF.SOD uses {name}, which is not acceptable")
    return hashlib.new(name, data).digest()


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _within(cert: x509.Certificate, now: datetime) -> bool:
    validity = cert["tbs_certificate"]["validity"]
    return _utc(validity["not_before"].native) <= now <= _utc(validity["not_after"].native)


def _issued_by(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    key = load_public_key(issuer.public_key.dump())
    return verify_signature(key, child.signature, child["tbs_certificate"].dump(),
                            child["signature_algorithm"])


def _chain(ds: x509.Certificate, trust: TrustStore, now: datetime,
           checks: dict) -> tuple[bool, str | None]:
    """(trusted, failure reason). A failure reason means the card must be refused."""
    candidates = trust.issuers_of(ds)
    if not candidates:
        checks["chain"] = "no_anchor"
        return False, None
    for csca in candidates:
        if not _issued_by(ds, csca):
            continue
        checks["chain"] = "trusted"
        if certificate_country(ds.subject) != certificate_country(csca.subject):
            return False, "the document signer is from another country than its CSCA"
        if not _within(csca, now):
            return False, "the CSCA certificate is not valid today"
        if not _within(ds, now):
            return False, "the document signer certificate has expired or is not yet valid"
        checks["crl"] = "none"
        for crl in trust.crls_of(csca):
            key = load_public_key(csca.public_key.dump())
            if not verify_signature(key, crl.signature, crl["tbs_cert_list"].dump(),
                                    crl["signature_algorithm"]):
                return False, "a CRL in the trust store has a bad signature"
            revoked = {entry["user_certificate"].native
                       for entry in crl["tbs_cert_list"]["revoked_certificates"] or []}
            if ds.serial_number in revoked:
                checks["crl"] = "revoked"
                return False, "the document signer certificate is revoked"
            checks["crl"] = "checked"
        return True, None
    checks["chain"] = "signature_mismatch"
    return False, "the document signer was not issued by the trusted CSCA of that name"


def passive_authentication(sod: Sod, groups: dict[int, bytes], com_groups: tuple[int, ...],
                           trust: TrustStore, now: datetime | None = None,
                           issuing_state: str | None = None) -> PassiveResult:
    """Verify the SOD and the hashes of the raw group bytes as read (ICAO 9303-11 §5.1)."""
    now = now or datetime.now(UTC)
    checks: dict = {"hashes": {}}

    def fail(reason: str) -> PassiveResult:
        checks["passive"] = "failed"
        return PassiveResult(False, False, reason, checks)

    try:
        if sod.content_type != LDS_SECURITY_OBJECT_OID:
            return fail("EF.SOD does not hold an LDS security object (wrong content type)")
        if sod.hash_algorithm not in _ACCEPTED_HASHES:
            return fail(f"EF.SOD hashes with {sod.hash_algorithm}, which is not acceptable")
        if sod.signer_digest_algorithm not in _ACCEPTED_HASHES:
            return fail(f"EF.SOD is signed with {sod.signer_digest_algorithm}, not acceptable")
        if sod.signed_attrs is None or sod.message_digest is None:
            return fail("EF.SOD has no signed message digest")
        if sod.attr_content_type != LDS_SECURITY_OBJECT_OID:
            return fail("EF.SOD's signed content type is wrong")
        if not hmac.compare_digest(_digest(sod.signer_digest_algorithm, sod.encapsulated),
                                   sod.message_digest):
            return fail("EF.SOD's message digest does not match its content")
        if sod.signer_certificate is None:
            return fail("EF.SOD carries no document signer certificate")
        ds = sod.signer_certificate
        key = load_public_key(ds.public_key.dump())
        if not verify_signature(key, sod.signature, sod.signed_attrs, sod.signature_algorithm,
                                hash_name=sod.signer_digest_algorithm):
            checks["sod_signature"] = "failed"
            return fail("EF.SOD's signature does not verify with its document signer")
        checks["sod_signature"] = "ok"
        extra = set(sod.hashes) - set(com_groups)
        if extra:
            return fail("EF.COM and EF.SOD list different data groups")
        verified = set()
        for number, raw in sorted(groups.items()):
            expected = sod.hashes.get(number)
            if expected is None:
                checks["hashes"][f"DG{number}"] = "not_in_sod"
                return fail(f"DG{number} is not covered by EF.SOD")
            if not hmac.compare_digest(_digest(sod.hash_algorithm, raw), expected):
                checks["hashes"][f"DG{number}"] = "mismatch"
                return fail(f"DG{number} was modified: its hash does not match EF.SOD")
            checks["hashes"][f"DG{number}"] = "ok"
            verified.add(number)
        if issuing_state == "VNM" and certificate_country(ds.subject) != "VN":
            return fail("the document signer's country is not VN but the card says VNM")
        trusted, reason = _chain(ds, trust, now, checks)
        if reason is not None:
            return fail(reason)
    except CardDataError as error:
        return fail(error.message)
    checks["passive"] = "trusted" if trusted else "untrusted_issuer"
    return PassiveResult(True, trusted, "" if trusted else
                         "signature valid, but the issuer is not in the trust store",
                         checks, verified)


def chip_authentication(session: CardSession, dg14: Dg14) -> None:
    """Chip Authentication v1, ECDH with AES-128 (ICAO 9303-11 §6.2, MSE:Set AT + GENERAL
    AUTHENTICATE): new session keys from the chip's static key; the chip proves it holds
    the private key by answering correctly under them. Raises CardError on failure."""
    infos = [i for i in dg14.chip_auth if i.protocol.endswith(".3.2.2")]
    if not infos:
        raise CardDataError("DG14 offers no supported chip authentication (ECDH-AES-128)")
    info = infos[0]
    spki = dg14.chip_auth_keys.get(info.key_id) or dg14.chip_auth_keys.get(None)
    if spki is None and len(dg14.chip_auth_keys) == 1:
        spki = next(iter(dg14.chip_auth_keys.values()))
    if spki is None:
        raise CardDataError("DG14 has no chip authentication public key")
    chip_key = load_public_key(spki)
    if not isinstance(chip_key, ec.EllipticCurvePublicKey):
        raise CardDataError("the chip authentication key is not an EC key")
    ephemeral = ec.generate_private_key(chip_key.curve)
    point = ephemeral.public_key().public_bytes(serialization.Encoding.X962,
                                                serialization.PublicFormat.UncompressedPoint)
    mse = encode_tlv(0x80, oid_value_bytes(info.protocol))
    if info.key_id is not None:
        mse += encode_tlv(0x84, info.key_id.to_bytes(max(1, (info.key_id.bit_length() + 7) // 8),
                                                      "big"))
    _, sw = session.send(CommandApdu(0x00, 0x22, 0x41, 0xA4, mse))
    if sw != SW_OK:
        raise CommunicationError(f"chip authentication MSE:Set AT refused ({sw:04X})", sw)
    _, sw = session.send(CommandApdu(0x00, 0x86, 0, 0, encode_tlv(0x7C, encode_tlv(0x80, point)),
                                     ne=256))
    if sw != SW_OK:
        raise CommunicationError(f"chip authentication refused ({sw:04X})", sw)
    shared = ephemeral.exchange(ec.ECDH(), chip_key)
    session.replace_channel(SecureMessaging(crypto.kdf(shared, crypto.KDF_ENC, "AES"),
                                            crypto.kdf(shared, crypto.KDF_MAC, "AES"),
                                            bytes(16), "AES"))
    # The proof: a protected exchange under the new keys (a clone cannot compute them).
    _, sw = session.send(CommandApdu(0x00, 0xA4, 0x02, 0x0C, b"\x01\x1e"))
    if sw != SW_OK:
        raise CommunicationError(f"no answer under the chip authentication keys ({sw:04X})", sw)
    session.selected = 0x011E


def _verify_rsa_9796(key: rsa.RSAPublicKey, signature: bytes, challenge: bytes) -> bool:
    """ISO/IEC 9796-2 digital signature scheme 1 with message recovery (ICAO 9303-11 §6.1)."""
    numbers = key.public_numbers()
    k = (numbers.n.bit_length() + 7) // 8
    m = pow(int.from_bytes(signature, "big"), numbers.e, numbers.n)
    f = m.to_bytes(k, "big")
    if f[0] & 0xC0 != 0x40:
        return False
    if f[-1] == 0xBC:
        hash_name, trailer = "sha1", 1
    elif f[-1] == 0xCC and f[-2] in _TRAILER_HASHES:
        hash_name, trailer = _TRAILER_HASHES[f[-2]], 2
    else:
        return False
    digest_size = hashlib.new(hash_name).digest_size
    body = f[:-trailer]
    recovered, digest = body[1:-digest_size], body[-digest_size:]
    return hmac.compare_digest(hashlib.new(hash_name, recovered + challenge).digest(), digest)


def active_authentication(session: CardSession, dg15_spki: bytes, aa_algorithm: str | None,
                          challenge: bytes | None = None) -> None:
    """INTERNAL AUTHENTICATE with a fresh random challenge; verify with the DG15 key.
    Raises CardError when the chip's answer does not verify."""
    key = load_public_key(dg15_spki)
    challenge = challenge or os.urandom(8)
    # An RSA-2048 signature needs extended length under secure messaging.
    data, sw = session.send(CommandApdu(0x00, 0x88, 0x00, 0x00, challenge, ne=256),
                            extended=session.extended_allowed)
    if sw != SW_OK or not data:
        raise CommunicationError(f"active authentication refused ({sw:04X})", sw)
    if isinstance(key, rsa.RSAPublicKey):
        ok = _verify_rsa_9796(key, data, challenge)
    else:
        hash_name = _PLAIN_ECDSA.get(aa_algorithm or "")
        if hash_name is None:
            raise CardDataError("DG14 names no supported signature algorithm for EC active "
                                "authentication")
        half = len(data) // 2
        if len(data) % 2 or not half:
            raise CardDataError("the active authentication signature is not r||s")
        der = encode_dss_signature(int.from_bytes(data[:half], "big"),
                                   int.from_bytes(data[half:], "big"))
        try:
            key.verify(der, challenge, ec.ECDSA(hash_by_name(hash_name)))
            ok = True
        except (InvalidSignature, ValueError):
            ok = False
    if not ok:
        raise CardDataError("the active authentication signature does not verify")


def verdict(passive: PassiveResult, anti_clone: dict[str, str]) -> Authenticity:
    """Combine passive authentication and CA/AA outcomes ('passed', 'failed: …', 'absent')."""
    checks = dict(passive.checks)
    checks.update(anti_clone)
    if not passive.ok:
        return Authenticity("failed", passive.reason, checks)
    failures = [f"{name.replace('_', ' ')} {outcome}" for name, outcome in anti_clone.items()
                if outcome.startswith("failed")]
    if failures:
        return Authenticity("failed", "; ".join(failures), checks)
    if not any(outcome == "passed" for outcome in anti_clone.values()):
        return Authenticity("failed", "the chip offers neither chip nor active authentication: "
                            "it could be a copy", checks)
    if not passive.trusted:
        return Authenticity("untrusted_issuer", passive.reason, checks)
    return Authenticity("genuine", "chain to a trusted CSCA, hashes match, "
                        + " and ".join(n.replace("_", " ") for n, o in anti_clone.items()
                                       if o == "passed") + " passed", checks)

