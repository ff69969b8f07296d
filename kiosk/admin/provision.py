"""Provisioning: enrol this kiosk with the portal, keep its certificates, write its settings.

``provision`` creates two EC P-256 key pairs (the device key for mutual TLS, the
receipt-signing key for the QR seal), sends their CSRs with the one-time enrolment code
to ``POST /v1/enrolments`` (docs/portal-api.md), checks what comes back, and only then
writes anything: the files go to a hidden temporary folder that is renamed into place
at the end, and the settings file is replaced with one rename. A refused code, an
unreachable portal or a bad answer therefore leave the kiosk exactly as it was, and
running it again on a provisioned kiosk with the same portal and centre changes nothing.

``deprovision`` refuses while dossiers wait for the portal (unless the technician says
they were exported), then removes the database, its sealed key, the enrolment keys and
the cache. Deleting the sealed key is what makes the encrypted database unreadable.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.admin.errors import DeprovisionRefused, EnrolmentRefused, ProvisioningFailed
from kiosk.config import default_config_file

log = logging.getLogger(__name__)

ENROLMENT_PATH = "/v1/enrolments"
# Settings that provisioning owns; deprovisioning removes exactly these.
PROVISIONED_KEYS = {"kiosk": ("demo", "kiosk_id", "centre_code", "centre_name"),
                    "portal": ("url", "ca_bundle", "client_cert", "client_key"),
                    "card": ("backend",)}


@dataclass(frozen=True)
class EnrolmentFiles:
    """Where the enrolment lives: ``<data_dir>/enrolment`` (0700, keys 0600)."""

    folder: Path

    @property
    def device_key(self) -> Path:
        return self.folder / "device.key"

    @property
    def device_cert(self) -> Path:
        return self.folder / "device.crt"

    @property
    def receipt_key(self) -> Path:
        return self.folder / "receipt.key"

    @property
    def receipt_cert(self) -> Path:
        return self.folder / "receipt.crt"

    @property
    def ca_cert(self) -> Path:
        return self.folder / "portal-ca.pem"

    @property
    def signer_cert(self) -> Path:
        return self.folder / "portal-signer.pem"

    @property
    def record(self) -> Path:
        return self.folder / "enrolment.json"


def enrolment_files(settings: Any) -> EnrolmentFiles:
    return EnrolmentFiles(settings.data_dir / "enrolment")


@dataclass(frozen=True)
class Enrolment:
    kiosk_id: str
    centre_code: str
    centre_name: str
    portal_url: str
    device_not_after: str
    receipt_not_after: str
    changed: bool

    def summary(self) -> str:
        state = "provisioned" if self.changed else "already provisioned (nothing changed)"
        return (f"kiosk {self.kiosk_id} {state}\n  centre: {self.centre_code} {self.centre_name}\n"
                f"  portal: {self.portal_url}\n  device certificate valid until "
                f"{self.device_not_after}\n  receipt-signing certificate valid until "
                f"{self.receipt_not_after}")


def _csr(key: ec.EllipticCurvePrivateKey, kiosk_id: str, purpose: str) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, kiosk_id),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, purpose)])
    request = x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, hashes.SHA256())
    return request.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _public_der(key: Any) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _ask_portal(portal_url: str, body: dict, ca_bundle: str | None, timeout: tuple[float, float]
                ) -> dict:
    import requests

    try:
        response = requests.post(portal_url.rstrip("/") + ENROLMENT_PATH, json=body,
                                 verify=ca_bundle or True, timeout=timeout)
    except requests.exceptions.SSLError as error:
        raise ProvisioningFailed("the portal's TLS certificate is not trusted; pass the portal "
                                 "operator's CA with --ca-bundle. Nothing was changed.") from error
    except requests.RequestException as error:
        raise ProvisioningFailed(f"the portal at {portal_url} cannot be reached "
                                 f"({type(error).__name__}); check the network and try again. "
                                 "Nothing was changed.") from error
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    reason = str(answer.get("message", "")) if isinstance(answer, dict) else ""
    if response.status_code == 403:
        raise EnrolmentRefused(f"the portal refused the enrolment code: {reason or 'refused'}. "
                               "Ask the portal operator for a new code. Nothing was changed.")
    if response.status_code in (429, 503):
        raise ProvisioningFailed("the portal is busy; try again in a few minutes. "
                                 "Nothing was changed.")
    if response.status_code != 201 or not isinstance(answer, dict):
        raise ProvisioningFailed(f"the portal answered HTTP {response.status_code}"
                                 f"{': ' + reason if reason else ''}. Nothing was changed.")
    return answer


def _check_answer(answer: dict, kiosk_id: str, centre_code: str,
                  device_key: ec.EllipticCurvePrivateKey, receipt_key: ec.EllipticCurvePrivateKey
                  ) -> dict[str, x509.Certificate]:
    """Refuse an answer whose certificates are not for our keys, this kiosk, or this centre."""
    try:
        certs = {name: x509.load_pem_x509_certificate(answer[f"{name}_certificate"].encode())
                 for name in ("device", "receipt", "ca", "signer")}
    except (KeyError, ValueError, AttributeError) as error:
        raise ProvisioningFailed("the portal's enrolment answer is malformed; nothing was "
                                 "changed — report it to the portal operator") from error
    if answer.get("kiosk_id") != kiosk_id:
        raise ProvisioningFailed("the portal enrolled another kiosk id; nothing was changed")
    if answer.get("centre_code") != centre_code:
        raise ProvisioningFailed(f"the enrolment code belongs to centre "
                                 f"{answer.get('centre_code')!r}, not {centre_code!r}; check the "
                                 "centre code. Nothing was changed.")
    for name, key in (("device", device_key), ("receipt", receipt_key)):
        if _public_der(certs[name].public_key()) != _public_der(key.public_key()):
            raise ProvisioningFailed(f"the portal's {name} certificate is not for this kiosk's "
                                     "key; nothing was changed")
        try:
            certs[name].verify_directly_issued_by(certs["ca"])
        except (InvalidSignature, ValueError, TypeError) as error:
            raise ProvisioningFailed(f"the {name} certificate is not issued by the portal CA; "
                                     "nothing was changed") from error
    return certs


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write(path: Path, data: bytes, mode: int) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def render_toml(data: dict[str, dict[str, Any]]) -> str:
    """Our settings file is one level of tables with scalar values: no writer library needed."""
    lines = ["# Written by `kiosk provision`; other settings may be added by hand.", ""]
    for section, values in data.items():
        if not values:
            continue
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {_toml_value(value)}" for key, value in values.items())
        lines.append("")
    return "\n".join(lines)


def _read_config(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProvisioningFailed(f"{path} is not valid TOML; fix or remove it first") from error


def _config_path(settings: Any) -> Path:
    return settings.source_file or default_config_file()


def current_enrolment(settings: Any) -> dict | None:
    files = enrolment_files(settings)
    try:
        return json.loads(files.record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def provision(settings: Any, *, portal_url: str, centre_code: str, enrolment_code: str,
              kiosk_id: str | None = None, ca_bundle: str | None = None,
              force: bool = False) -> Enrolment:
    """Enrol this kiosk; idempotent, and all-or-nothing (see the module docstring)."""
    kiosk_id = kiosk_id or settings.kiosk.kiosk_id
    files = enrolment_files(settings)
    existing = current_enrolment(settings)
    same = existing is not None and (existing.get("kiosk_id"), existing.get("centre_code"),
                                     existing.get("portal_url")) == (kiosk_id, centre_code,
                                                                     portal_url.rstrip("/"))
    if existing is not None and not force:
        if same and files.device_cert.exists() and files.receipt_key.exists():
            return Enrolment(**{k: existing[k] for k in (
                "kiosk_id", "centre_code", "centre_name", "portal_url", "device_not_after",
                "receipt_not_after")}, changed=False)
        raise ProvisioningFailed(f"this kiosk is already enrolled as {existing.get('kiosk_id')} "
                                 f"for centre {existing.get('centre_code')}; run `kiosk "
                                 "deprovision` first, or pass --force to re-enrol with a new code")

    device_key, receipt_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(
        ec.SECP256R1())
    body = {"enrolment_code": enrolment_code, "kiosk_id": kiosk_id,
            "device_csr": _csr(device_key, kiosk_id, "device"),
            "receipt_csr": _csr(receipt_key, kiosk_id, "receipt")}
    timeout = (settings.portal.connect_timeout_s, settings.portal.read_timeout_s)
    answer = _ask_portal(portal_url, body, ca_bundle, timeout)
    certs = _check_answer(answer, kiosk_id, centre_code, device_key, receipt_key)
    enrolment = Enrolment(kiosk_id=kiosk_id, centre_code=centre_code,
                          centre_name=str(answer.get("centre_name", "")),
                          portal_url=portal_url.rstrip("/"),
                          device_not_after=certs["device"].not_valid_after_utc.date().isoformat(),
                          receipt_not_after=certs["receipt"].not_valid_after_utc.date().isoformat(),
                          changed=True)
    _install(settings, files, enrolment, certs, device_key, receipt_key, ca_bundle)
    log.info("kiosk enrolled (device cert serial %x)", certs["device"].serial_number)
    return enrolment


def _install(settings: Any, files: EnrolmentFiles, enrolment: Enrolment,
             certs: dict[str, x509.Certificate], device_key: ec.EllipticCurvePrivateKey,
             receipt_key: ec.EllipticCurvePrivateKey, ca_bundle: str | None) -> None:
    """Write everything beside the live files, then rename into place."""
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".enrolment-new-", dir=data_dir))
    config_path = _config_path(settings)
    config_new = config_path.with_name(config_path.name + ".new")
    try:
        staged = EnrolmentFiles(staging)
        _write(staged.device_key, _private_pem(device_key), 0o600)
        _write(staged.receipt_key, _private_pem(receipt_key), 0o600)
        for path, name in ((staged.device_cert, "device"), (staged.receipt_cert, "receipt"),
                           (staged.ca_cert, "ca"), (staged.signer_cert, "signer")):
            _write(path, _pem(certs[name]), 0o644)
        record = {k: v for k, v in enrolment.__dict__.items() if k != "changed"}
        record["enrolled_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        _write(staged.record, json.dumps(record, indent=2, ensure_ascii=False).encode(), 0o644)

        config = _read_config(config_path)
        config.setdefault("kiosk", {}).update(demo=False, kiosk_id=enrolment.kiosk_id,
                                              centre_code=enrolment.centre_code,
                                              centre_name=enrolment.centre_name)
        config.setdefault("portal", {}).update(url=enrolment.portal_url,
                                               ca_bundle=ca_bundle or str(files.ca_cert),
                                               client_cert=str(files.device_cert),
                                               client_key=str(files.device_key))
        if config.get("card", {}).get("backend", "virtual") == "virtual":
            config.setdefault("card", {})["backend"] = "pcsc"
        config_path.parent.mkdir(parents=True, exist_ok=True)
        if config_new.exists():
            config_new.unlink()
        _write(config_new, render_toml(config).encode("utf-8"), 0o644)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        config_new.unlink(missing_ok=True)
        raise
    retired = None
    if files.folder.exists():
        retired = data_dir / f".enrolment-old-{os.getpid()}"
        os.rename(files.folder, retired)
    os.rename(staging, files.folder)
    os.replace(config_new, config_path)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


@dataclass(frozen=True)
class Deprovisioned:
    removed: tuple[str, ...]
    unsent_discarded: int


UNSENT_STATES = ("queued", "sending", "needs_attention", "rejected")


def _unsent(settings: Any) -> dict[str, str]:
    """submission id -> payload hash of every dossier the portal has not accepted."""
    if not settings.database_path.exists():
        return {}
    from kiosk.store import open_store
    from kiosk.store.keys import load_or_create_key

    try:
        store = open_store(settings.database_path, load_or_create_key(settings), create=False)
    except Exception as error:  # noqa: BLE001 - cannot count: refuse rather than guess
        raise DeprovisionRefused(f"the database cannot be opened ({type(error).__name__}), so "
                                 "unsent dossiers cannot be counted; pass --discard-unsent if "
                                 "they are known to be lost or exported") from error
    try:
        return {item.submission_id: item.payload_sha256
                for item in store.list_items(states=UNSENT_STATES)}
    finally:
        store.close()


def _missing_from_export(unsent: dict[str, str], manifest: Path) -> int:
    """How many unsent dossiers the backlog export at ``manifest`` does not hold."""
    try:
        document = json.loads(Path(manifest).read_text(encoding="utf-8"))
        exported = {d["submission_id"]: d["payload_sha256"] for d in document["dossiers"]}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DeprovisionRefused(f"{manifest} is not a readable backlog manifest (made by "
                                 "`kiosk outbox export`)") from error
    if not Path(manifest).with_suffix(".db").exists():
        raise DeprovisionRefused(f"the export database beside {manifest} is missing; export "
                                 "the backlog again")
    return sum(1 for sid, digest in unsent.items() if exported.get(sid) != digest)


def deprovision(settings: Any, *, exported: Path | None = None,
                discard_unsent: bool = False) -> Deprovisioned:
    """Wipe keys and personal data, once every unsent dossier is proven exported.

    ``exported`` is the manifest of a backlog export (``kiosk outbox export``): every
    dossier not accepted by the portal must be in it with the same payload hash.
    ``discard_unsent`` is the last resort when the database cannot even be read.
    """
    try:
        unsent = _unsent(settings)
    except DeprovisionRefused:
        if not discard_unsent:
            raise
        unsent = {}
    if unsent and not discard_unsent:
        if exported is None:
            raise DeprovisionRefused(
                f"{len(unsent)} dossier(s) are not yet accepted by the portal. Let the kiosk "
                "sync, or export them (`kiosk outbox export --to DIR`) and pass the export's "
                "manifest with --exported DIR/backlog-….json.")
        missing = _missing_from_export(unsent, exported)
        if missing:
            raise DeprovisionRefused(f"{missing} unsent dossier(s) are not in the export "
                                     f"{Path(exported).name}; export the backlog again")
    removed = []
    # Empty the folders rather than removing them: systemd-tmpfiles owns them on a kiosk.
    for folder in (settings.data_dir, settings.cache_dir):
        if not folder.exists():
            continue
        for entry in folder.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        removed.append(f"{folder}/*")
    config_path = _config_path(settings)
    config = _read_config(config_path)
    if config:
        for section, keys in PROVISIONED_KEYS.items():
            for key in keys:
                config.get(section, {}).pop(key, None)
        remaining = {name: values for name, values in config.items() if values}
        if remaining:
            temporary = config_path.with_name(config_path.name + ".new")
            temporary.write_text(render_toml(remaining), encoding="utf-8")
            os.replace(temporary, config_path)
        else:
            config_path.unlink()
        removed.append(f"{config_path} (enrolment settings)")
    log.warning("kiosk deprovisioned: %d unsent dossier(s) left the kiosk", len(unsent))
    return Deprovisioned(removed=tuple(removed), unsent_discarded=len(unsent))
