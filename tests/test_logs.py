"""Personal data never reaches the log file, whichever way it is logged."""

from __future__ import annotations

import json
import logging
import sys
import threading
import unicodedata
import warnings
from pathlib import Path

import pytest

from kiosk.logs import configure_logging, forget_personal, remember_personal

NAME = "Nguyễn Thị Ánh Tuyết"
ID_NUMBER = "001192023456"
OLD_ID = "013456789"
DOB = "03/08/1992"
PHONE = "0987654321"
ADDRESS = "Số 12 ngõ 34 phố Nguyễn Trãi"
MRZ = "IDVNM0230234561001192023456<<8\n9208038F3208038VNM<<<<<<<<<<<6"
SECRETS = [NAME, ID_NUMBER, OLD_ID, DOB, PHONE, ADDRESS, "9208038", "Anh Tuyet"]


def _all_forms(value: str) -> list[bytes]:
    forms = {value, value.upper(), value.lower(), unicodedata.normalize("NFD", value)}
    return [form.encode("utf-8") for form in forms]


@pytest.fixture
def log_file(tmp_path: Path):
    path = configure_logging(tmp_path / "logs", level="DEBUG")
    remember_personal(NAME, ADDRESS, "Nguyen Thi Anh Tuyet")
    yield path
    forget_personal()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk_handler", False):
            root.removeHandler(handler)
            handler.close()
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__
    logging.captureWarnings(False)


def test_every_log_path_is_redacted(log_file: Path) -> None:
    """Messages, %-arguments, extra fields, exceptions, stacks, warnings and uncaught
    exceptions in threads and the main hook all pass through the redactor."""
    log = logging.getLogger("kiosk.test")
    log.info("resident %s with id %s born %s phone %s", NAME, ID_NUMBER, DOB, PHONE)
    log.info("address: " + ADDRESS.upper())
    log.warning("card read", extra={"resident": {"name": NAME, "ids": [ID_NUMBER, OLD_ID]}})
    log.debug("mrz %s", MRZ)
    log.info("decomposed %s", unicodedata.normalize("NFD", NAME))
    log.info("stripped %s", "NGUYEN THI ANH TUYET")
    try:
        raise ValueError(f"bad record for {NAME} {ID_NUMBER}")
    except ValueError:
        log.exception("lookup failed")
    log.info("stack", stack_info=True, extra={"note": f"{ID_NUMBER}"})
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(f"odd date {DOB} for {NAME}", stacklevel=1)
    thread = threading.Thread(target=lambda: (_ for _ in ()).throw(RuntimeError(ID_NUMBER + NAME)))
    thread.start()
    thread.join()
    try:
        raise KeyError(PHONE)
    except KeyError:
        sys.excepthook(*sys.exc_info())
    for handler in logging.getLogger().handlers:
        handler.flush()

    content = log_file.read_bytes()
    lines = content.decode("utf-8").splitlines()
    assert len(lines) >= 10, "every path must still produce its line"
    for line in lines:
        json.loads(line)
    for secret in SECRETS:
        for form in _all_forms(secret):
            assert form not in content, f"{secret!r} leaked into the log"
    assert b"[redacted]" in content


def test_harmless_numbers_survive(log_file: Path) -> None:
    """Redaction keeps what technicians need: counts, ports, short codes, versions."""
    logging.getLogger("kiosk.test").info("sent %d dossiers to port %d in %.2f s (v%s)", 42, 8470,
                                         1.25, "6.12.0")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "sent 42 dossiers to port 8470 in 1.25 s (v6.12.0)" in text


def test_forget_drops_the_session_strings(log_file: Path) -> None:
    """After the session ends, the redactor no longer holds the resident's name."""
    from kiosk.logs import redactor

    forget_personal()
    assert redactor.redact("Tuyết") == "Tuyết"
    assert not redactor._personal
