"""The kiosk's settings: one validated ``Settings`` object built at start-up.

Precedence, lowest to highest: the embedded defaults below, the TOML settings file,
environment variables (``KIOSK_<SECTION>_<KEY>``, e.g. ``KIOSK_PORTAL_URL``), and
``--set section.key=value`` flags. ``--demo`` / ``KIOSK_DEMO=1`` selects the embedded
demo defaults (virtual card, local portal simulator, demo residents); with no settings
file at all the kiosk runs in demo mode, so a fresh machine shows a working kiosk.

Every setting is declared once, with its type, default and meaning, in the section
dataclasses; ``kiosk config defaults`` prints them as a commented TOML file.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

import platformdirs

from kiosk.errors import SettingsError

APP_NAME = "vn-kiosk"
REPO_ROOT = Path(__file__).resolve().parent.parent
RESOURCES = REPO_ROOT / "resources"


def setting(default: Any, doc: str, choices: tuple[str, ...] | None = None,
            minimum: float | None = None) -> Any:
    """Declare one setting with its meaning; the metadata drives validation and docs."""
    return field(default=default, metadata={"doc": doc, "choices": choices, "minimum": minimum})


@dataclass(frozen=True)
class KioskSection:
    demo: bool = setting(False, "Embedded demo defaults: virtual card, local simulator, demo residents.")
    centre_code: str = setting("DEMO-01001", "Code of the service centre (receiving unit) this kiosk stands in.")
    centre_name: str = setting("Trung tâm Phục vụ hành chính công phường Thanh Xuân (demo)",
                               "Name of the service centre, printed on receipts.")
    kiosk_id: str = setting("KIOSK-DEMO-01", "This kiosk's identifier, given at provisioning.")


@dataclass(frozen=True)
class UiSection:
    language: str = setting("vi", "Language a session starts in.", choices=("vi", "en"))
    fullscreen: bool = setting(False, "Full-screen and frameless (the --kiosk flag sets it too).")
    idle_timeout_s: int = setting(90, "Seconds without a touch before the timeout warning shows.", minimum=10)
    idle_warning_s: int = setting(30, "Seconds the timeout warning counts down (WCAG 2.2.1: at least 20).",
                                  minimum=20)
    large_text: bool = setting(False, "Start sessions in the large-text mode.")
    high_contrast: bool = setting(False, "Start sessions in the high-contrast mode.")


@dataclass(frozen=True)
class CardSection:
    backend: str = setting("pcsc", "Card reader: 'pcsc' (a PC/SC reader through pcscd) or 'virtual'.",
                           choices=("pcsc", "virtual"))
    reader: str = setting("", "PC/SC reader name to use; empty = the first reader with a card.")
    trust_store: str = setting("", "Folder of CSCA certificates and CRLs; empty = resources/trust.")


@dataclass(frozen=True)
class PortalSection:
    url: str = setting("", "Base URL of the portal integration endpoint; empty in demo mode = start "
                           "the local portal simulator on loopback.")
    ca_bundle: str = setting("", "CA bundle (PEM) that the portal's TLS certificate must chain to.")
    client_cert: str = setting("", "This kiosk's client certificate (PEM), issued at enrolment.")
    client_key: str = setting("", "The private key of the client certificate (PEM).")
    connect_timeout_s: float = setting(5.0, "Seconds to wait for a connection to the portal.", minimum=0.1)
    read_timeout_s: float = setting(20.0, "Seconds to wait for the portal's answer.", minimum=0.1)


@dataclass(frozen=True)
class StoreSection:
    path: str = setting("", "The encrypted database file; empty = kiosk.db in the data directory.")
    retention_days: int = setting(30, "Days to keep a dossier's personal data after the portal accepted it.",
                                  minimum=0)
    attachment_max_bytes: int = setting(10 * 1024 * 1024, "Largest attachment accepted, in bytes.",
                                        minimum=1)
    key_backend: str = setting("auto", "How the database key is sealed: 'systemd-creds' (TPM2/host "
                               "key), 'keyfile' (scrypt-wrapped file), or 'auto' (the first "
                               "that works).", choices=("auto", "systemd-creds", "keyfile"))
    key_passphrase_file: str = setting("", "File holding the technician passphrase that wraps the "
                                       "key file; empty = derive from /etc/machine-id.")


@dataclass(frozen=True)
class SyncSection:
    interval_s: float = setting(15.0, "Seconds between sync rounds when the queue is idle.", minimum=0.1)
    backoff_base_s: float = setting(60.0, "First retry delay for a transient failure.", minimum=0.01)
    backoff_cap_s: float = setting(6 * 3600.0, "Longest retry delay.", minimum=0.01)
    attempts_before_alert: int = setting(12, "Failed attempts after which staff are alerted.", minimum=1)
    lease_s: float = setting(120.0, "Seconds a sender holds a dossier before a crash frees it.", minimum=0.1)
    offline_probe_base_s: float = setting(2.0, "First wait before probing an unreachable portal.",
                                          minimum=0.01)
    offline_probe_cap_s: float = setting(300.0, "Longest wait between probes of an unreachable portal.",
                                         minimum=0.01)
    max_clock_skew_s: float = setting(300.0, "Clock difference with the portal beyond which sending "
                                             "pauses and staff are alerted.", minimum=1)
    status_poll_s: float = setting(900.0, "Seconds between status checks of accepted dossiers.",
                                   minimum=0.1)
    catalogue_poll_s: float = setting(3600.0, "Seconds between catalogue update checks.", minimum=0.1)
    workers: int = setting(2, "Sender threads (each holds its own lease; one HTTP request in flight "
                              "per thread).", minimum=1)


@dataclass(frozen=True)
class ScannerSection:
    kind: str = setting("wedge", "QR scanner: 'wedge' (types like a keyboard), 'serial', or 'virtual'.",
                        choices=("wedge", "serial", "virtual"))
    port: str = setting("", "Serial device of a 'serial' scanner, e.g. /dev/ttyACM0.")
    baudrate: int = setting(9600, "Serial speed of a 'serial' scanner.", minimum=1200)
    max_gap_s: float = setting(0.05, "Longest gap between a wedge scanner's characters (people "
                                     "type slower).", minimum=0.005)


@dataclass(frozen=True)
class PrinterSection:
    backend: str = setting("pdf", "Receipt printer: 'cups', 'escpos' or 'pdf' (write files only).",
                           choices=("cups", "escpos", "pdf"))
    queue: str = setting("", "CUPS queue name, or the ESC/POS device path.")
    paper: str = setting("80mm", "Receipt layout.", choices=("80mm", "a4"))


@dataclass(frozen=True)
class PaymentSection:
    bank_bin: str = setting("", "NAPAS BIN (6 digits) of the bank holding the commune's fee "
                            "collection account; demo mode uses 970415 (VietinBank).")
    account_number: str = setting("", "The fee collection account (digits); empty = no payment "
                                  "QR, residents pay at the counter. Demo mode uses "
                                  "000000000000, a demo account that cannot receive money.")
    account_name: str = setting("", "Account holder as printed under the payment QR.")
    bank_name: str = setting("", "Bank name as printed under the payment QR.")


@dataclass(frozen=True)
class LoggingSection:
    level: str = setting("INFO", "Log level.", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    max_bytes: int = setting(5 * 1024 * 1024, "Size at which a log file is rotated.", minimum=1024)
    backups: int = setting(5, "Rotated log files kept.", minimum=0)


@dataclass(frozen=True)
class AdminSection:
    install_root: str = setting("/opt/kiosk", "Install folder: releases/<version>, the current symlink, "
                                "the embedded update root.")
    update_url: str = setting("", "TUF update repository (metadata/ and targets/ below it); "
                              "empty = <portal.url>/v1/updates.")
    update_root: str = setting("", "Trusted TUF root metadata shipped with the install; "
                               "empty = <install_root>/trust/update-root.json.")
    technician_idle_s: int = setting(300, "Seconds without a touch after which technician mode leaves.",
                                     minimum=30)
    technician_max_failures: int = setting(5, "Wrong technician PINs in a row before the lockout starts.",
                                           minimum=1)


@dataclass(frozen=True)
class FaceSection:
    threshold: float = setting(0.5, "Largest face distance (dlib 128-d, Euclidean) that counts as the "
                               "chip photo's person; lower is stricter.", minimum=0.1)
    attempts: int = setting(3, "Face check attempts before another method is offered.", minimum=1)
    liveness_time_limit_s: float = setting(20.0, "Seconds an attempt's liveness challenges may take.",
                                           minimum=3)
    challenges: str = setting("blink,turn_left,turn_right", "Liveness challenges, comma-separated, "
                              "asked in random order: blink, turn_left, turn_right.")
    camera: str = setting("none", "Camera: 'opencv' (a USB/V4L2 camera), 'virtual' (plays "
                          "frames; the demo's) or 'none' (no face check offered).",
                          choices=("virtual", "opencv", "none"))
    camera_index: int = setting(0, "Index of the 'opencv' camera (0 = /dev/video0).", minimum=0)
    virtual_frames_dir: str = setting("", "Folder of images or a video the 'virtual' camera plays; "
                                      "empty = frames made from the resident's chip photo (demo).")


@dataclass(frozen=True)
class PathsSection:
    data_dir: str = setting("", "Data directory (database, keys); empty = the platform's user data dir.")
    config_dir: str = setting("", "Config directory; empty = the platform's user config dir.")
    state_dir: str = setting("", "State directory (logs); empty = the platform's user state dir.")
    cache_dir: str = setting("", "Cache directory; empty = the platform's user cache dir.")


SECTIONS: dict[str, type] = {
    "kiosk": KioskSection,
    "ui": UiSection,
    "card": CardSection,
    "portal": PortalSection,
    "store": StoreSection,
    "sync": SyncSection,
    "scanner": ScannerSection,
    "printer": PrinterSection,
    "payment": PaymentSection,
    "logging": LoggingSection,
    "paths": PathsSection,
    "admin": AdminSection,
    "face": FaceSection,
}

# What --demo changes, and nothing else: the embedded defaults of a kiosk with no hardware.
DEMO_OVERRIDES: dict[str, dict[str, Any]] = {
    "kiosk": {"demo": True},
    "card": {"backend": "virtual"},
    "printer": {"backend": "pdf"},
    "face": {"camera": "virtual"},
    "payment": {"bank_bin": "970415", "account_number": "000000000000",
                "account_name": "TAI KHOAN DEMO - KHONG CHUYEN TIEN", "bank_name": "VietinBank (demo)"},
}


@dataclass(frozen=True)
class Settings:
    kiosk: KioskSection = field(default_factory=KioskSection)
    ui: UiSection = field(default_factory=UiSection)
    card: CardSection = field(default_factory=CardSection)
    portal: PortalSection = field(default_factory=PortalSection)
    store: StoreSection = field(default_factory=StoreSection)
    sync: SyncSection = field(default_factory=SyncSection)
    scanner: ScannerSection = field(default_factory=ScannerSection)
    printer: PrinterSection = field(default_factory=PrinterSection)
    payment: PaymentSection = field(default_factory=PaymentSection)
    logging: LoggingSection = field(default_factory=LoggingSection)
    paths: PathsSection = field(default_factory=PathsSection)
    admin: AdminSection = field(default_factory=AdminSection)
    face: FaceSection = field(default_factory=FaceSection)
    source_file: Path | None = None

    # Resolved paths: configured value, else platformdirs (so XDG_* variables move them).
    @property
    def data_dir(self) -> Path:
        return Path(self.paths.data_dir or platformdirs.user_data_dir(APP_NAME))

    @property
    def config_dir(self) -> Path:
        return Path(self.paths.config_dir or platformdirs.user_config_dir(APP_NAME))

    @property
    def state_dir(self) -> Path:
        return Path(self.paths.state_dir or platformdirs.user_state_dir(APP_NAME))

    @property
    def cache_dir(self) -> Path:
        return Path(self.paths.cache_dir or platformdirs.user_cache_dir(APP_NAME))

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def database_path(self) -> Path:
        return Path(self.store.path) if self.store.path else self.data_dir / "kiosk.db"

    @property
    def trust_store(self) -> Path:
        return Path(self.card.trust_store) if self.card.trust_store else RESOURCES / "trust"

    @property
    def demo_residents_file(self) -> Path:
        return RESOURCES / "demo" / "residents.json"

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return {name: dataclasses.asdict(getattr(self, name)) for name in SECTIONS}


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "kiosk.toml"


def _coerce(raw: Any, kind: type, where: str, problems: list[str]) -> Any:
    """Turn a TOML or environment value into the declared type, or record why not."""
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        problems.append(f"{where}: expected true or false, got {raw!r}")
        return None
    if kind in (int, float):
        if isinstance(raw, bool):
            problems.append(f"{where}: expected a number, got {raw!r}")
            return None
        try:
            value = kind(raw)
        except (TypeError, ValueError):
            problems.append(f"{where}: expected {'a whole number' if kind is int else 'a number'}, "
                            f"got {raw!r}")
            return None
        if kind is int and isinstance(raw, float) and raw != int(raw):
            problems.append(f"{where}: expected a whole number, got {raw!r}")
            return None
        return value
    if not isinstance(raw, str):
        problems.append(f"{where}: expected text, got {raw!r}")
        return None
    return raw


def _env_name(section: str, key: str) -> str:
    return f"KIOSK_{section}_{key}".upper()


def load_settings(config_file: Path | None = None, overrides: dict[str, str] | None = None,
                  demo: bool | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Build and validate the settings; raise SettingsError listing every bad value."""
    environ = dict(os.environ if environ is None else environ)
    overrides = dict(overrides or {})
    problems: list[str] = []

    explicit_file = config_file or (Path(environ["KIOSK_CONFIG"]) if environ.get("KIOSK_CONFIG") else None)
    path = explicit_file or default_config_file()
    file_values: dict[str, Any] = {}
    if path.exists():
        try:
            file_values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise SettingsError([f"{path}: not valid TOML ({error})"]) from error
    elif explicit_file is not None:
        raise SettingsError([f"{path}: settings file not found"])
    source_file = path if path.exists() else None

    for section_name in file_values:
        if section_name not in SECTIONS:
            problems.append(f"{path}: unknown section [{section_name}]")
    for key in overrides:
        section_name, _, name = key.partition(".")
        if section_name not in SECTIONS or name not in {f.name for f in fields(SECTIONS[section_name])}:
            problems.append(f"--set {key}: no such setting")

    # Demo mode: asked for explicitly, or implied by having no settings file at all.
    demo_raw: Any = demo
    if demo_raw is None:
        demo_raw = overrides.get("kiosk.demo", environ.get("KIOSK_DEMO", environ.get("KIOSK_KIOSK_DEMO")))
    if demo_raw is None:
        demo_raw = file_values.get("kiosk", {}).get("demo", source_file is None)
    demo_on = _coerce(demo_raw, bool, "KIOSK_DEMO", problems)

    built: dict[str, Any] = {}
    for section_name, cls in SECTIONS.items():
        hints = get_type_hints(cls)
        section_file = file_values.get(section_name, {})
        if not isinstance(section_file, dict):
            problems.append(f"{path}: [{section_name}] must be a table")
            section_file = {}
        for key in section_file:
            if key not in hints:
                problems.append(f"{path}: unknown setting {section_name}.{key}")
        values: dict[str, Any] = {}
        for f in fields(cls):
            kind = hints[f.name]
            raw: Any = f.default
            where = f"{section_name}.{f.name}"
            if demo_on and f.name in DEMO_OVERRIDES.get(section_name, {}):
                raw = DEMO_OVERRIDES[section_name][f.name]
            if f.name in section_file:
                raw, where = section_file[f.name], f"{path}: {section_name}.{f.name}"
            env = _env_name(section_name, f.name)
            if env in environ:
                raw, where = environ[env], env
            if section_name == "kiosk" and f.name == "demo":
                values["demo"] = bool(demo_on)
                continue
            if f"{section_name}.{f.name}" in overrides:
                raw, where = overrides[f"{section_name}.{f.name}"], f"--set {section_name}.{f.name}"
            value = _coerce(raw, kind, where, problems)
            if value is None:
                continue
            choices, minimum = f.metadata.get("choices"), f.metadata.get("minimum")
            if choices and value not in choices:
                problems.append(f"{where}: must be one of {', '.join(choices)}; got {value!r}")
            if minimum is not None and value < minimum:
                problems.append(f"{where}: must be at least {minimum}; got {value!r}")
            values[f.name] = value
        if len(values) == len(fields(cls)):
            built[section_name] = cls(**values)

    if not problems and not built["kiosk"].demo and built["card"].backend == "virtual":
        problems.append("card.backend = 'virtual' is for demo mode only; set kiosk.demo = true or use 'pcsc'")
    if not problems and not built["kiosk"].demo and not built["portal"].url:
        problems.append("portal.url: required outside demo mode (the simulator runs only in demo mode)")
    if problems:
        raise SettingsError(problems)
    return Settings(**built, source_file=source_file)


def documented_defaults() -> str:
    """A commented TOML file with every setting at its default: the settings' reference."""
    lines = ["# kiosk.toml: settings for the self-service kiosk.",
             "# Each key can also be set by the environment as KIOSK_<SECTION>_<KEY>,",
             "# or on the command line with --set section.key=value.", ""]
    for section_name, cls in SECTIONS.items():
        lines.append(f"[{section_name}]")
        for f in fields(cls):
            doc = f.metadata["doc"]
            if f.metadata.get("choices"):
                doc += f" One of: {', '.join(f.metadata['choices'])}."
            lines.append(f"# {doc}")
            value = f.default
            rendered = ("true" if value else "false") if isinstance(value, bool) else (
                f'"{value}"' if isinstance(value, str) else str(value))
            lines.append(f"{f.name} = {rendered}")
        lines.append("")
    return "\n".join(lines)
