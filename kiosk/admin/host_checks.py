"""Doctor checks of the machine itself: versions, pcscd and readers, the printer, the disk.

Each function returns one :class:`~kiosk.admin.doctor.Finding`; none of them touches
personal data (reader names and ATRs describe hardware, not people).
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
import shutil
import subprocess

from kiosk import __version__
from kiosk.admin.doctor import Finding, Probe, failure, ok, warning
from kiosk.errors import KioskError

COMMAND_TIMEOUT_S = 5.0
DISK_WARN_BYTES = 1024**3
DISK_FAIL_BYTES = 200 * 1024**2


def _command(*argv: str) -> subprocess.CompletedProcess[str] | None:
    """Run a system tool briefly; None if it is not installed or hangs."""
    # pcscd lives in /usr/sbin, which a kiosk user's PATH may lack.
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    program = shutil.which(argv[0], path=path)
    if program is None:
        return None
    try:
        return subprocess.run([program, *argv[1:]], capture_output=True, text=True,
                              timeout=COMMAND_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None


def _distribution_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def sqlcipher_version() -> str | None:
    """SQLCipher's own version, from an in-memory database (no key, no file)."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        return None
    connection = dbapi2.connect(":memory:")
    try:
        row = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    return row[0] if row else None


def pcsclite_version() -> str | None:
    result = _command("pcscd", "--version")
    if result is None:
        return None
    match = re.search(r"pcsc-lite version ([\w.]+?)\.?\s", result.stdout + result.stderr + " ")
    return match.group(1) if match else None


def check_versions(probe: Probe) -> Finding:
    # PySide6 is read from its metadata: importing it here would break the Qt-free core.
    versions = {
        "kiosk": __version__,
        "python": platform.python_version(),
        "qt_pyside6": _distribution_version("PySide6-Essentials") or _distribution_version("PySide6"),
        "sqlcipher": sqlcipher_version(),
        "pcsc_lite": pcsclite_version(),
        "tuf": _distribution_version("tuf"),
        "os": platform.platform(terse=True),
    }
    missing = [name for name in ("qt_pyside6", "sqlcipher") if not versions[name]]
    if missing:
        return failure("versions", f"missing runtime components: {', '.join(missing)}",
                       "Reinstall the kiosk package (apt install --reinstall kiosk).", **versions)
    return ok("versions", f"kiosk {__version__}", **versions)


def _uses_virtual_card(probe: Probe) -> bool:
    return probe.settings.card.backend == "virtual"


def _pcsc_context():  # noqa: ANN202 - (module, context) or an error text
    try:
        from smartcard import scard
    except ImportError as error:  # libpcsclite missing: pyscard cannot load
        return None, f"the PC/SC library cannot be loaded ({type(error).__name__})"
    result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if result != scard.SCARD_S_SUCCESS:
        return None, scard.SCardGetErrorMessage(result).strip().rstrip(".")
    return (scard, context), None


def check_pcscd(probe: Probe) -> Finding:
    if _uses_virtual_card(probe):
        return ok("pcscd", "not used: the card backend is the virtual demo reader")
    handle, error = _pcsc_context()
    if handle is None:
        return failure("pcscd", f"the PC/SC service does not answer: {error}",
                       "Start it with `systemctl start pcscd` (and check `journalctl -u pcscd`).")
    scard, context = handle
    scard.SCardReleaseContext(context)
    return ok("pcscd", "the PC/SC service answers", version=pcsclite_version())


# ICAO 9303-10 §3.6.2: SELECT the LDS1 eMRTD application by AID, no response data (P2=0C).
SELECT_LDS1 = [0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01]


def _probe_card(scard, context, reader: str) -> bool | None:  # noqa: ANN001 - pyscard handles
    """Does the card on ``reader`` answer as an ICAO chip? None if it cannot be asked.

    Only a SELECT: no access keys, nothing read, so no personal data is touched.
    """
    result, card, protocol = scard.SCardConnect(context, reader, scard.SCARD_SHARE_SHARED,
                                                scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
    if result != scard.SCARD_S_SUCCESS:
        return None
    try:
        result, response = scard.SCardTransmit(card, protocol, SELECT_LDS1)
    finally:
        scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)
    if result != scard.SCARD_S_SUCCESS or len(response) < 2:
        return None
    return response[-2:] == [0x90, 0x00]


def check_card_readers(probe: Probe) -> Finding:
    if _uses_virtual_card(probe):
        return ok("card readers", "virtual demo reader")
    handle, error = _pcsc_context()
    if handle is None:
        return failure("card readers", "cannot list readers without the PC/SC service",
                       "Fix pcscd first (see its check above).")
    scard, context = handle
    try:
        result, readers = scard.SCardListReaders(context, [])
        if result == scard.SCARD_E_NO_READERS_AVAILABLE or (result == 0 and not readers):
            return failure("card readers", "no card reader is connected",
                           "Plug the NFC reader in (a different USB port if it stays missing).")
        if result != scard.SCARD_S_SUCCESS:
            return failure("card readers", scard.SCardGetErrorMessage(result).strip(),
                           "Restart pcscd, then reconnect the reader.")
        states = [(name, scard.SCARD_STATE_UNAWARE) for name in readers]
        result, states = scard.SCardGetStatusChange(context, 0, states)
        found = []
        for name, event_state, atr in states if result == scard.SCARD_S_SUCCESS else []:
            present = bool(event_state & scard.SCARD_STATE_PRESENT)
            found.append({"reader": name, "card_present": present,
                          "atr": bytes(atr).hex(" ").upper() if present and atr else None,
                          "icao_applet": _probe_card(scard, context, name) if present else None})
    finally:
        scard.SCardReleaseContext(context)
    wanted = probe.settings.card.reader
    if wanted and wanted not in readers:
        return failure("card readers", f"the configured reader {wanted!r} is not connected",
                       "Connect it, or set card.reader to one of the listed readers.",
                       readers=found)
    return ok("card readers", f"{len(readers)} reader(s) connected", readers=found)


PRINTER_FIXES = {
    "offline": "Switch the printer on, check its cable, then re-enable the queue "
               "(`cupsenable QUEUE`) if it was stopped.",
    "out_of_paper": "Load a new paper roll.",
    "cover_open": "Close the printer cover.",
    "paper_low": "Have a spare paper roll ready.",
    "unknown": "Check the printer's cable and power.",
}


def check_printer(probe: Probe) -> Finding:
    """The configured receipt printer's state, as the printer driver itself sees it."""
    printer = probe.settings.printer
    if printer.backend == "pdf":
        if probe.settings.kiosk.demo:
            return ok("printer", "receipts are written as PDF files (demo)")
        return warning("printer", "receipts are only written as PDF files",
                       "Set printer.backend = \"cups\" and printer.queue to the receipt printer.")
    try:
        from kiosk.devices.printer import open_printer
    except ImportError:
        return warning("printer", "not available: this build has no printer driver",
                       "Nothing to do on site; report it to the kiosk developers.")
    queue = printer.queue
    if printer.backend == "cups" and not queue:
        default = _command("lpstat", "-d")
        match = re.search(r"destination: (\S+)", default.stdout if default else "")
        if not match:
            return failure("printer", "no CUPS queue configured and no default printer",
                           "Set printer.queue, or make the receipt printer the CUPS default.")
        queue = match.group(1)
    try:
        status = open_printer(printer.backend, queue, probe.settings.cache_dir).status()
    except KioskError as error:
        return failure("printer", f"{printer.backend} printer {queue!r}: {error.message}",
                       PRINTER_FIXES["unknown"], queue=queue)
    details: dict = {"backend": printer.backend, "queue": queue, "state": status.state}
    if printer.backend == "cups":
        jobs = _command("lpstat", "-o", queue)
        details["pending_jobs"] = len([x for x in (jobs.stdout if jobs else "").splitlines() if x])
    if status.state in ("offline", "out_of_paper", "cover_open", "unknown"):
        return failure("printer", f"printer {queue!r} is {status.state.replace('_', ' ')}"
                       + (f" ({status.detail[:120]})" if status.detail else ""),
                       PRINTER_FIXES[status.state], **details)
    if status.state == "paper_low" or details.get("pending_jobs", 0) > 3:
        return warning("printer", f"printer {queue!r}: {status.state.replace('_', ' ')}, "
                       f"{details.get('pending_jobs', 0)} job(s) waiting",
                       PRINTER_FIXES["paper_low"] if status.state == "paper_low" else
                       "Check paper and cover; cancel stuck jobs with `cancel -a`.", **details)
    return ok("printer", f"printer {queue!r} ready", **details)


def check_disk_space(probe: Probe) -> Finding:
    folder = probe.settings.data_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    usage = shutil.disk_usage(folder)
    details = {"path": str(folder), "free_mib": usage.free // 1024**2,
               "total_mib": usage.total // 1024**2}
    free_mib = usage.free // 1024**2
    if usage.free < DISK_FAIL_BYTES:
        return failure("disk space", f"only {free_mib} MiB free for the data directory",
                       "Export and clear old logs (`kiosk logs export`), or replace the disk.",
                       **details)
    if usage.free < DISK_WARN_BYTES:
        return warning("disk space", f"{free_mib} MiB free for the data directory",
                       "Free space soon: export old logs and remove unneeded files.", **details)
    return ok("disk space", f"{free_mib} MiB free", **details)


CHECKS = [check_versions, check_pcscd, check_card_readers, check_printer, check_disk_space]
