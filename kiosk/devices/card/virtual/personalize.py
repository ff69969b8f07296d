"""Personalization of the virtual CCCD: a demo resident's record becomes the chip's files.

Every file follows the real card's profile (REFERENCE §1): EF.CardAccess announcing
PACE-ECDH-GM-AES-128 on brainpoolP256r1, EF.COM (LDS 1.7, Unicode 4.0.0, DG1 DG2 DG3
DG13 DG14 DG15), DG1 (TD1 MRZ), DG2 (JPEG face), DG13 (the Vietnamese personal data by
field number), DG14 (Chip Authentication), DG15 (Active Authentication key) and EF.SOD
signed by the TEST document signer. The same bytes feed the virtual chip and vicc.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kiosk.config import RESOURCES
from kiosk.devices.card.mrz import LIFELONG_EXPIRY, check_digit
from kiosk.devices.card.tlv import encode_tlv
from kiosk.devices.card.virtual import lds_objects as lds
from kiosk.devices.card.virtual.faults import Faults, malform_tlv, tamper
from kiosk.devices.card.virtual.portrait import encode_dg2, portrait_for
from kiosk.devices.card.virtual.sod import SodOptions, build_sod
from kiosk.devices.card.virtual.test_pki import TestPki, demo_pki, derive_ec_key, make_pki
from kiosk.errors import BadInput

__all__ = ["RESIDENTS_FILE", "UnknownResident", "ResidentDataError", "CardKeys",
           "PersonalizedCard", "load_resident", "mrz_for", "dg13_entries", "encode_dg1",
           "encode_com", "encode_dg13", "encode_dg3_placeholder", "CARD_GROUPS", "personalize", "write_card_files", "VICC_FILE_NAMES"]

RESIDENTS_FILE = RESOURCES / "demo" / "residents.json"
VICC_FILE_NAMES = ("COM", "DG1", "DG2", "DG13", "DG14", "DG15", "SOD")
# The groups of a CCCD (REFERENCE §1). DG3 is there but readable only after Terminal
# Authentication, so the reader can never hash it; its hash is in the SOD all the same.
CARD_GROUPS = (1, 2, 3, 13, 14, 15)
_GROUP_TAGS = {1: 0x61, 2: 0x75, 3: 0x63, 13: 0x6D, 14: 0x6E, 15: 0x6F}
_LIFELONG_TEXT = "Không thời hạn"  # printed on lifelong cards; the chip's value is unverified


class UnknownResident(BadInput):
    """No demo resident has this ID; the message lists the demo IDs to choose from."""


class ResidentDataError(BadInput):
    """A demo resident record cannot be personalized (a malformed date or ID)."""


def load_resident(resident_id: str, path: Path = RESIDENTS_FILE) -> dict:
    """The demo resident record with this 12-digit ID, from the shared demo data file."""
    residents = json.loads(path.read_text(encoding="utf-8"))["residents"]
    for resident in residents:
        if resident["id"] == resident_id:
            return resident
    known = ", ".join(r["id"] for r in residents)
    raise UnknownResident(f"no demo resident has the ID given; demo IDs: {known}")


def _yymmdd(text: str, what: str) -> str:
    match = re.fullmatch(r"([0-9]{2})/([0-9]{2})/[0-9]{2}([0-9]{2})", text)
    if not match:
        raise ResidentDataError(f"the demo record's {what} is not a dd/mm/yyyy date")
    return match.group(3) + match.group(2) + match.group(1)


def _mrz_name(full_name: str) -> str:
    """ICAO 9303-3 §6: Latin letters without diacritics, surname << given names."""
    plain = unicodedata.normalize("NFD", full_name.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).upper()
    words = [re.sub(r"[^A-Z]", "<", word) for word in plain.split()]
    if not words:
        raise ResidentDataError("the demo record has no name")
    name = words[0] + "<<" + "<".join(words[1:])
    return name[:30].ljust(30, "<")


def mrz_for(resident: dict) -> str:
    """The 90-character TD1 MRZ of the card (ICAO 9303-5; the CCCD layout of REFERENCE §1).

    The document number is the last 9 digits of the ID; the optional data holds the full
    12-digit ID, '<<' and the ID's check digit.
    """
    id12 = resident["id"]
    if not re.fullmatch(r"[0-9]{12}", id12):
        raise ResidentDataError("the demo record's ID is not 12 digits")
    document = id12[-9:]
    line1 = "IDVNM" + document + str(check_digit(document)) + id12 + "<<" + str(check_digit(id12))
    dob = _yymmdd(resident["date_of_birth"], "date of birth")
    doe = (_yymmdd(resident["date_of_expiry"], "date of expiry")
           if resident.get("date_of_expiry") else LIFELONG_EXPIRY)
    sex = {"Nam": "M", "Nữ": "F"}.get(resident.get("sex", ""), "<")
    line2 = (dob + str(check_digit(dob)) + sex + doe + str(check_digit(doe)) + "VNM"
             + "<" * 11)
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    line2 += str(check_digit(composite))
    return line1 + line2 + _mrz_name(resident["full_name"])


def encode_dg1(mrz: str) -> bytes:
    """EF.DG1: tag 61 around 5F1F holding the MRZ characters (ICAO 9303-10 §4.7.1)."""
    return encode_tlv(0x61, encode_tlv(0x5F1F, mrz.encode("ascii")))


def encode_com(groups: tuple[int, ...] = CARD_GROUPS) -> bytes:
    """EF.COM: LDS 1.7, Unicode 4.0.0 and the tags of the groups present (ICAO 9303-10 §4.6.1)."""
    return encode_tlv(0x60, encode_tlv(0x5F01, b"0107") + encode_tlv(0x5F36, b"040000")
                      + encode_tlv(0x5C, bytes(_GROUP_TAGS[g] for g in groups)))


def dg13_entries(resident: dict) -> list[tuple[int, str | tuple[str, ...]]]:
    """The DG13 fields of the record, by number (REFERENCE §1 table); 14 and 15 only when
    the resident has them."""
    expiry = resident.get("date_of_expiry") or _LIFELONG_TEXT
    entries: list[tuple[int, str | tuple[str, ...]]] = [
        (1, resident["id"]), (2, resident["full_name"]), (3, resident["date_of_birth"]),
        (4, resident["sex"]), (5, resident["nationality"]), (6, resident["ethnicity"]),
        (7, resident["religion"]), (8, resident["place_of_origin"]), (9, resident["residence"]),
        (10, resident.get("identifying_marks", "")), (11, resident["date_of_issue"]),
        (12, expiry), (13, (resident["father_name"], resident["mother_name"])),
    ]
    if resident.get("spouse_name"):
        entries.append((14, (resident["spouse_name"],)))
    if resident.get("old_id"):
        entries.append((15, resident["old_id"]))
    # Field 16's meaning is unknown (REFERENCE §1): 16 hex characters, here a stable stand-in.
    entries.append((16, hashlib.sha256(f"dg13/16/{resident['id']}".encode()).hexdigest()[:16].upper()))
    return entries


def encode_dg13(entries: list[tuple[int, str | tuple[str, ...] | bytes]]) -> bytes:
    """EF.DG13 (tag 6D): SEQUENCE { 1, OID 1.0.10646.1.0.8, SET OF { field number, value } }.

    A str value becomes a UTF8String (NFC), a tuple a nested SEQUENCE of UTF8Strings, and
    bytes are taken as an already-encoded value, so tests can write broken fields. Fields
    are written in the order given (real cards use field order, not DER SET order).
    """
    def value_of(value: str | tuple[str, ...] | bytes) -> bytes:
        if isinstance(value, bytes):
            return value
        if isinstance(value, tuple):
            return encode_tlv(0x30, b"".join(value_of(v) for v in value))
        return encode_tlv(0x0C, unicodedata.normalize("NFC", value).encode("utf-8"))

    fields = b"".join(encode_tlv(0x30, lds.der_integer(number) + value_of(value))
                      for number, value in entries)
    body = lds.der_integer(1) + lds.der_oid(lds.DG13_OID) + encode_tlv(0x31, fields)
    return encode_tlv(0x6D, encode_tlv(0x30, body))


def encode_dg3_placeholder() -> bytes:
    """EF.DG3 (tag 63) with no fingerprint: 63 { 7F61 { 02 00 } }. It is EAC-protected on the
    card (the chip answers 69 82), so only its size and its SOD hash matter."""
    return encode_tlv(0x63, encode_tlv(0x7F61, encode_tlv(0x02, b"\x00")))


@dataclass
class CardKeys:
    """The chip's private keys: Chip Authentication (ECDH) and Active Authentication."""

    chip_auth: ec.EllipticCurvePrivateKey
    active_auth: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    aa_hash: str = "SHA-1"  # RSA ISO 9796-2 hash; the EC variant signs with SHA-256


@dataclass
class PersonalizedCard:
    """Everything a chip holds: raw EF bytes by name, its MRZ (for BAC) and keys."""

    id_number: str
    mrz: str
    files: dict[str, bytes]
    keys: CardKeys
    pki: TestPki
    supports_pace: bool = True
    supports_bac: bool = True

    @property
    def can(self) -> str:
        """The PACE password: the last 6 digits of the ID (REFERENCE §1)."""
        return self.id_number[-6:]

    @property
    def card_access(self) -> bytes | None:
        return self.files.get("CardAccess")

    def __repr__(self) -> str:  # the files and MRZ are personal data: never in logs
        return f"PersonalizedCard(<redacted>, files={sorted(self.files)})"

    def wipe(self) -> None:
        """Drop the personal data this object holds (files and MRZ)."""
        self.files.clear()
        self.mrz = ""
        self.id_number = ""


def _aa_key(aa: str, rsa_bits: int, label: str) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    if aa == "RSA":
        return rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits)
    if aa == "EC":
        return derive_ec_key(label)
    raise BadInput("aa must be 'RSA' or 'EC'")


def personalize(resident: dict, pki: TestPki | None = None, *, aa: str = "RSA",
                aa_hash: str = "SHA-1", rsa_bits: int = 1024, explicit_ec_params: bool = False,
                pace: bool = True, bac: bool = True, photo: bytes | None = None,
                keys: CardKeys | None = None, faults: Faults | None = None,
                sod_options: SodOptions | None = None,
                com_groups: tuple[int, ...] = CARD_GROUPS,
                sod_groups: tuple[int, ...] = CARD_GROUPS) -> PersonalizedCard:
    """Build the files of ``resident``'s card, signed by ``pki`` (the demo TEST PKI).

    ``aa`` picks the Active Authentication key (RSA with ISO 9796-2 and ``aa_hash``, or EC
    brainpoolP256r1 with plain ECDSA-SHA256). RSA is 1024 bits by default, as in ICAO's
    Appendix F and many issued chips: its protected answer fits a short APDU, so AA works on
    readers without extended length (a 2048-bit answer would not); ``explicit_ec_params`` writes DG14/DG15 EC
    keys with explicit curve parameters, as real cards do; ``pace=False`` makes a BAC-only
    card without EF.CardAccess. ``com_groups`` / ``sod_groups`` choose what EF.COM lists
    and what EF.SOD hashes (make them differ for the TR-03105 negative case). File faults (malformed TLV, tampered group, unknown CSCA)
    are applied here; chip faults by the VirtualCard.
    """
    faults = faults or Faults()
    sod_options = sod_options or SodOptions()
    if aa_hash not in ("SHA-1", "SHA-256"):
        raise BadInput("aa_hash must be 'SHA-1' or 'SHA-256'")
    pki = pki or demo_pki()
    if faults.unknown_csca:
        pki = make_pki("unknown")
    if keys is None:
        label = f"card/{resident['id']}"
        keys = CardKeys(chip_auth=derive_ec_key(f"{label}/ca"),
                        active_auth=_aa_key(aa, rsa_bits, f"{label}/aa"), aa_hash=aa_hash)
    aa_is_ec = isinstance(keys.active_auth, ec.EllipticCurvePrivateKey)
    mrz = mrz_for(resident)
    jpeg = photo if photo is not None else portrait_for(resident)
    files = {
        "COM": encode_com(com_groups),
        "DG1": encode_dg1(mrz),
        "DG2": encode_dg2(jpeg, resident.get("sex", "")),
        "DG3": encode_dg3_placeholder(),
        "DG13": encode_dg13(dg13_entries(resident)),
        "DG14": lds.encode_dg14(keys.chip_auth.public_key(), aa_is_ec, explicit_ec_params),
        "DG15": lds.encode_dg15(keys.active_auth.public_key(), explicit_ec_params),
    }
    if pace:
        files["CardAccess"] = lds.encode_card_access()
    if faults.malformed_tlv is not None and faults.malformed_tlv != "SOD":
        files[faults.malformed_tlv] = malform_tlv(files[faults.malformed_tlv])
    groups = {number: files[f"DG{number}"] for number in sod_groups}
    files["SOD"] = build_sod(groups, pki, sod_options)
    if faults.malformed_tlv == "SOD":
        files["SOD"] = malform_tlv(files["SOD"])
    if faults.tampered_group is not None:
        name = f"DG{faults.tampered_group}"
        files[name] = tamper(files[name], faults.tampered_group)
    return PersonalizedCard(id_number=resident["id"], mrz=mrz, files=files, keys=keys, pki=pki,
                            supports_pace=pace, supports_bac=bac)


def write_card_files(resident_id: str, out_dir: Path, pki: TestPki | None = None,
                     **options: object) -> list[Path]:
    """Write the card's EFs as COM.bin DG1.bin … SOD.bin for vicc's ``--dg-dir`` (its
    README), plus MRZ.txt with the 90 MRZ characters for its ``--mrz``. ``options`` go to
    :func:`personalize`."""
    card = personalize(load_resident(resident_id), pki, **options)  # type: ignore[arg-type]
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in VICC_FILE_NAMES:
        path = out_dir / f"{name}.bin"
        path.write_bytes(card.files[name])
        written.append(path)
    mrz_path = out_dir / "MRZ.txt"
    mrz_path.write_text(card.mrz + "\n", encoding="ascii")
    written.append(mrz_path)
    return written
