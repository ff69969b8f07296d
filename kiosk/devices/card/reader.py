"""One call for the rest of the kiosk: read a resident's identity from the chip.

Order (REFERENCE §1): EF.CardAccess → access (PACE-CAN when announced, else BAC; never a
silent downgrade) → COM → DG1 → DG13 → SOD → DG14/DG15 → CA/AA → DG2, so a form can be
pre-filled before the photo arrives; then passive authentication and the cross-checks.
On any error every byte read so far is dropped before the error propagates.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import date, datetime

from kiosk.devices.card.access import AccessKey
from kiosk.devices.card.apdu import SW_OK, CommandApdu
from kiosk.devices.card.authenticity import (
    active_authentication,
    chip_authentication,
    passive_authentication,
    verdict,
)
from kiosk.devices.card.bac import establish_bac
from kiosk.devices.card.dg13 import FIELD_KEYS, parse_dg13
from kiosk.devices.card.dg14 import parse_dg14
from kiosk.devices.card.errors import (
    CardError,
    CardRemoved,
    CommunicationError,
    ReaderUnavailable,
)
from kiosk.devices.card.files import FileReader
from kiosk.devices.card.identity import ChipIdentity, SourcedValue
from kiosk.devices.card.lds import (
    FID_BY_GROUP,
    FID_COM,
    FID_SOD,
    parse_com,
    parse_dg1,
    parse_dg2,
    parse_dg15,
)
from kiosk.devices.card.mrz import LIFELONG_EXPIRY, mrz_date
from kiosk.devices.card.pace import establish_pace, pace_infos, read_card_access
from kiosk.devices.card.session import CardSession, CountingTransport
from kiosk.devices.card.sm import SecureMessaging
from kiosk.devices.card.sod import parse_sod
from kiosk.devices.card.transport import Transport, split_sw
from kiosk.devices.card.trust import TrustStore

__all__ = ["read_identity", "IdentityMismatch", "EMRTD_AID"]

log = logging.getLogger(__name__)

EMRTD_AID = bytes.fromhex("A0000002471001")
ProgressCallback = Callable[[str, float], None]
_NUMBER_OF = {key: number for number, key in FIELD_KEYS.items()}
_NUMBER_OF.update(father_name=13, mother_name=13, spouse_name=14)


class IdentityMismatch(CardError):
    """The QR, DG1 and DG13 disagree about who this is: nothing is handed over."""

    exit_code = 5


def _select_application(link: Transport, channel: SecureMessaging | None) -> None:
    command = CommandApdu(0x00, 0xA4, 0x04, 0x0C, EMRTD_AID)
    if channel is None:
        _, sw = split_sw(link.transmit(command.encode()))
    else:
        _, sw = channel.unwrap(link.transmit(channel.wrap(command)))
    if sw != SW_OK:
        raise CommunicationError(f"the card has no ICAO eMRTD application ({sw:04X})", sw)


def _authenticator(key: AccessKey, card_access: bytes | None,
                   ) -> tuple[str, Callable[[Transport], SecureMessaging]]:
    infos = pace_infos(card_access) if card_access else []
    supported = [info for info in infos if info.supported]
    if supported:
        info = supported[0]

        def pace(link: Transport) -> SecureMessaging:
            channel = establish_pace(link, key.can, info)
            _select_application(link, channel)
            return channel
        return "PACE", pace
    if infos:
        log.warning("EF.CardAccess lists only PACE variants we do not support; using BAC")

    def bac(link: Transport) -> SecureMessaging:
        _select_application(link, None)
        return establish_bac(link, key.mrz)
    return "BAC", bac


def read_identity(transport: Transport, access_key: AccessKey,
                  on_progress: ProgressCallback | None = None, *,
                  trust_store: TrustStore | None = None, now: datetime | None = None,
                  use_sfi: bool | None = None) -> ChipIdentity:
    """Read, verify and cross-check the card; raise a typed CardError, or return the record.

    ``trust_store`` None means an empty store (the verdict is then at best
    "untrusted_issuer"). ``use_sfi`` None: short file identifiers with PACE cards only.
    """
    started = time.perf_counter()
    progress = on_progress or (lambda stage, fraction: None)
    raw: dict[str, bytes] = {}
    session: CardSession | None = None
    try:
        link = CountingTransport(transport)
        progress("access", 0.0)
        card_access = read_card_access(link)
        access, authenticate = _authenticator(access_key, card_access)
        session = CardSession(link, authenticate)
        session.open()
        log.info("card access established with %s", access)
        files = FileReader(session, use_sfi if use_sfi is not None else access == "PACE")

        raw["COM"] = files.read(FID_COM)
        com = parse_com(raw["COM"])
        progress("COM", 0.1)
        raw["DG1"] = files.read(FID_BY_GROUP[1])
        td1 = parse_dg1(raw["DG1"])
        progress("DG1", 0.2)
        dg13: dict[str, str] = {}
        if 13 in com.groups:
            raw["DG13"] = files.read(FID_BY_GROUP[13])
            dg13 = parse_dg13(raw["DG13"])
        progress("DG13", 0.3)
        raw["SOD"] = files.read(FID_SOD)
        sod = parse_sod(raw["SOD"])
        progress("SOD", 0.4)
        for number in (14, 15):
            if number in com.groups:
                raw[f"DG{number}"] = files.read(FID_BY_GROUP[number])
        progress("DG14/DG15", 0.45)

        anti_clone = _anti_clone(session, raw, sod)
        progress("authentication", 0.5)
        face = None
        if 2 in com.groups:
            files.on_bytes = lambda fid, done, size: progress("DG2", 0.5 + 0.45 * done / size)
            raw["DG2"] = files.read(FID_BY_GROUP[2])
            face = parse_dg2(raw["DG2"])
        groups = {int(name[2:]): data for name, data in raw.items() if name.startswith("DG")}
        passive = passive_authentication(sod, groups, com.groups, trust_store or TrustStore(),
                                         now, issuing_state=td1.issuing_state)
        authenticity = verdict(passive, anti_clone)
        log.info("card read: %s, %d APDUs, verdict %s", access, link.apdus, authenticity.status)
        identity = ChipIdentity(
            fields={}, face_jpeg=face, authenticity=authenticity, access=access,
            apdus=link.apdus, bytes_read=sum(len(v) for v in raw.values()),
            seconds=time.perf_counter() - started, reauthentications=session.reauthentications)
        _fill_fields(identity, td1, dg13, passive.verified_groups
                     if authenticity.status == "genuine" else set())
        _cross_check(identity, access_key, td1, dg13, (now or datetime.now()).date())
        progress("done", 1.0)
        return identity
    finally:
        for name in list(raw):
            raw[name] = b""
        raw.clear()
        if session is not None:
            session.close()


def _anti_clone(session: CardSession, raw: dict[str, bytes], sod) -> dict[str, str]:  # noqa: ANN001
    """Chip Authentication then Active Authentication, each only when its group is covered
    by (and matches) the SOD; outcomes are 'passed', 'failed: …' or 'absent'."""
    outcomes = {"chip_authentication": "absent", "active_authentication": "absent"}

    def covered(number: int) -> bool:
        data = raw.get(f"DG{number}")
        expected = sod.hashes.get(number)
        if data is None or expected is None:
            return False
        try:
            return hashlib.new(sod.hash_algorithm, data).digest() == expected
        except ValueError:
            return False

    dg14 = parse_dg14(raw["DG14"]) if "DG14" in raw else None
    if dg14 is not None and dg14.chip_auth and covered(14):
        outcomes["chip_authentication"] = _attempt(
            session, lambda: chip_authentication(session, dg14), "chip authentication")
        if outcomes["chip_authentication"] == "passed":
            session.after_reauthentication.append(lambda s: chip_authentication(s, dg14))
    if "DG15" in raw and covered(15):
        spki = parse_dg15(raw["DG15"])
        algorithm = dg14.aa_signature_algorithm if dg14 else None
        outcomes["active_authentication"] = _attempt(
            session, lambda: active_authentication(session, spki, algorithm),
            "active authentication")
    return outcomes


def _attempt(session: CardSession, action: Callable[[], None], name: str) -> str:
    """Run CA or AA; a link error (not a wrong signature) gets one retry on a fresh session.
    Returns 'passed' or 'failed: reason'."""
    for attempt in (1, 2):
        try:
            action()
            return "passed"
        except (CardRemoved, ReaderUnavailable):
            raise
        except CommunicationError as error:
            session.reauthenticate(f"{name} failed")
            if attempt == 2:
                return f"failed: {error.message}"
        except CardError as error:
            if session.channel is None or session.channel.broken:
                session.reauthenticate(f"{name} failed")
            return f"failed: {error.message}"
    return "failed"


def _fill_fields(identity: ChipIdentity, td1, dg13: dict[str, str],  # noqa: ANN001
                 verified_groups: set[int]) -> None:
    for key, value in dg13.items():
        number = _NUMBER_OF[key]
        identity.fields[key] = SourcedValue(value, f"DG13.{number}", 13 in verified_groups)
    dg1_ok = 1 in verified_groups
    identity.fields["mrz_document_number"] = SourcedValue(td1.document_number, "DG1", dg1_ok)
    fallback = {
        "id_number": td1.id_number,
        "full_name": " ".join(p for p in (td1.primary_identifier, td1.secondary_identifier) if p),
        "date_of_birth": mrz_date(td1.date_of_birth, "date of birth"),
        "sex": {"M": "Nam", "F": "Nữ"}.get(td1.sex, ""),
        "date_of_expiry": "" if td1.date_of_expiry == LIFELONG_EXPIRY
        else mrz_date(td1.date_of_expiry, "date of expiry"),
    }
    for key, value in fallback.items():
        if key not in identity.fields and value:
            identity.fields[key] = SourcedValue(value, "DG1", dg1_ok)


def _cross_check(identity: ChipIdentity, key: AccessKey, td1, dg13: dict[str, str],  # noqa: ANN001
                 today: date) -> None:
    """QR/typed ID = DG1 ID = DG13 ID; DG1 and DG13 dates agree; flag an expired card."""
    ids = {"DG13": dg13.get("id_number", ""), "DG1": td1.id_number,
           "QR" if key.from_qr else "typed ID": key.claimed_id}
    present = {source: value for source, value in ids.items() if value}
    if len(set(present.values())) > 1:
        identity.wipe()
        raise IdentityMismatch("the personal ID differs between " + ", ".join(sorted(present))
                               + ": the card or the QR code is not this resident's")
    dob13 = dg13.get("date_of_birth", "")
    if len(dob13) == 10 and dob13[2:].replace("-", "") != td1.date_of_birth:
        identity.wipe()
        raise IdentityMismatch("the date of birth differs between DG1 and DG13")
    doe13 = dg13.get("date_of_expiry", "")
    if len(doe13) == 10 and td1.date_of_expiry != LIFELONG_EXPIRY \
            and doe13[2:].replace("-", "") != td1.date_of_expiry:
        identity.wipe()
        raise IdentityMismatch("the date of expiry differs between DG1 and DG13")
    expiry = identity.fields.get("date_of_expiry")
    if expiry is not None and len(expiry.value) == 10 and expiry.value < today.isoformat():
        identity.expired = True
        identity.warnings.append("card_expired")

