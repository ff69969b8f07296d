"""Public keys from the card and the trust store, and signature checks.

``cryptography`` refuses EC keys written with explicit curve parameters, which the
Vietnamese CSCA (brainpoolP512r1) and many chips use: we recognise the parameters of a
known named curve and load the key on that curve (REFERENCE §1, "Trust").
"""

from __future__ import annotations

from asn1crypto import algos, keys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from kiosk.devices.card.errors import CardDataError

__all__ = ["PublicKey", "load_public_key", "verify_signature", "hash_by_name", "named_curve_of"]

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey

_HASHES = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
           "sha384": hashes.SHA384, "sha512": hashes.SHA512}
_CURVES = {"brainpoolP256r1": ec.BrainpoolP256R1, "brainpoolP384r1": ec.BrainpoolP384R1,
           "brainpoolP512r1": ec.BrainpoolP512R1, "secp256r1": ec.SECP256R1,
           "secp384r1": ec.SECP384R1, "secp521r1": ec.SECP521R1}
# names in the ecdsa package's table of curve parameters -> our names
_ECDSA_NAMES = {"BRAINPOOLP256r1": "brainpoolP256r1", "BRAINPOOLP384r1": "brainpoolP384r1",
                "BRAINPOOLP512r1": "brainpoolP512r1", "NIST256p": "secp256r1",
                "NIST384p": "secp384r1", "NIST521p": "secp521r1"}


def hash_by_name(name: str) -> hashes.HashAlgorithm:
    """A hash from asn1crypto's names ('sha256'); MD5 and unknown hashes are refused."""
    factory = _HASHES.get(name.lower().replace("-", ""))
    if factory is None:
        raise CardDataError(f"hash algorithm {name} is not acceptable")
    return factory()


def named_curve_of(domain: keys.SpecifiedECDomain) -> str:
    """The named curve whose parameters equal an explicit domain, or CardDataError."""
    import ecdsa.curves  # parameter tables of the named curves (a maintained library)

    p = domain["field_id"]["parameters"].native
    a = int.from_bytes(domain["curve"]["a"].native, "big")
    b = int.from_bytes(domain["curve"]["b"].native, "big")
    base = domain["base"].native
    n = domain["order"].native
    for candidate in ecdsa.curves.curves:
        ours = _ECDSA_NAMES.get(candidate.name)
        if ours is None:
            continue
        curve = candidate.curve
        generator = candidate.generator
        size = (curve.p().bit_length() + 7) // 8
        encoded = (b"\x04" + generator.x().to_bytes(size, "big")
                   + generator.y().to_bytes(size, "big"))
        if (curve.p(), curve.a() % curve.p(), curve.b(), candidate.order) == (p, a % p, b, n) \
                and base == encoded:
            return ours
    raise CardDataError("an EC key uses explicit parameters of an unknown curve")


def load_public_key(spki_der: bytes) -> PublicKey:
    """A SubjectPublicKeyInfo (DER) as a cryptography key, explicit EC parameters mapped."""
    try:
        info = keys.PublicKeyInfo.load(bytes(spki_der), strict=True)
        algorithm = info["algorithm"]["algorithm"].native
        if algorithm == "ec":
            params = info["algorithm"]["parameters"]
            if params.name == "specified":
                curve_name = named_curve_of(params.chosen)
            elif params.name == "named":
                curve_name = params.chosen.native
            else:
                raise CardDataError("an EC key inherits its curve (implicitCA): unsupported")
            curve = {name.lower(): c for name, c in _CURVES.items()}.get(curve_name.lower())
            if curve is None:
                raise CardDataError(f"EC curve {curve_name} is not supported")
            point = info["public_key"].native
            return ec.EllipticCurvePublicKey.from_encoded_point(curve(), point)
        key = load_der_public_key(info.dump())
    except CardDataError:
        raise
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise CardDataError(f"a public key does not load ({type(error).__name__})") from error
    if not isinstance(key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)):
        raise CardDataError("only RSA and EC keys are supported")
    return key


def verify_signature(key: PublicKey, signature: bytes, data: bytes,
                     algorithm: algos.SignedDigestAlgorithm, hash_name: str | None = None) -> bool:
    """Check an X.509 / CMS signature (RSA PKCS#1 v1.5, RSA-PSS, ECDSA with DER r,s)."""
    try:
        scheme = algorithm.signature_algo
        if scheme == "rsassa_pss":
            params = algorithm["parameters"]
            digest = hash_by_name(params["hash_algorithm"]["algorithm"].native)
            mgf_hash = hash_by_name(params["mask_gen_algorithm"]["parameters"]["algorithm"].native)
            if not isinstance(key, rsa.RSAPublicKey):
                return False
            key.verify(signature, data, padding.PSS(padding.MGF1(mgf_hash),
                                                    params["salt_length"].native), digest)
            return True
        try:
            digest = hash_by_name(algorithm.hash_algo)
        except ValueError:  # bare "rsa"/"ecdsa" OID: the hash comes from the digest algorithm
            if hash_name is None:
                raise
            digest = hash_by_name(hash_name)
        if scheme == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), digest)
            return True
        if scheme == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(digest))
            return True
        return False
    except InvalidSignature:
        return False
    except (ValueError, KeyError) as error:
        raise CardDataError(f"signature algorithm not supported ({type(error).__name__})") from error
