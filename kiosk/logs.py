"""Structured, rotated, redacted logs: nothing personal reaches a log file.

Every record is written as one JSON line. Before a line is written, a redactor removes
what is personal in the whole formatted record — message, arguments, extra fields,
exception text and stack: 12-digit personal ID numbers and 9-digit old ID numbers,
Vietnamese phone numbers, dates that look like dates of birth, e-mail addresses, and
any name, date of birth or address that a session has registered with
:func:`remember_personal` (matched regardless of case and Unicode normalization).
Redaction happens in the formatter, the last step before the file, so a log path
that forgets to be careful is still safe.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import re
import sys
import threading
import traceback
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REDACTED = "[redacted]"

# Digit runs are matched whole (no digit on either side) so that counters and ports survive.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("phone", re.compile(r"(?<![\d])(?:\+?84|0)(?:[\s.-]?\d){9,10}(?![\d])")),
    # 12-digit IDs, 9-digit old IDs, and longer runs that embed them (an MRZ's document
    # number followed by the ID in the optional data).
    ("id_number", re.compile(r"(?<![\d])\d{9,}(?![\d])")),
    ("date", re.compile(r"(?<![\d])\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(?![\d])")),
    ("mrz_dates", re.compile(r"(?<![\d])\d{7}[MF<]\d{7}")),  # TD1 line 2: DOB, sex, expiry
)


def _fold(text: str) -> str:
    """Case- and normalization-insensitive form, so 'NGUYỄN' matches 'Nguyễn' in NFD."""
    return unicodedata.normalize("NFC", text).casefold()


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("đ", "d").replace(
        "Đ", "D")


class Redactor:
    """Removes personal data from text; holds the personal strings of the current session."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._personal: set[str] = set()

    def remember(self, *values: str) -> None:
        """Register strings (a name, an address) that must never be written while held."""
        with self._lock:
            for value in values:
                if value and len(value.strip()) >= 3:
                    folded = _fold(value.strip())
                    self._personal.add(folded)
                    self._personal.add(_fold(_strip_marks(value.strip())))

    def forget_all(self) -> None:
        """End of session: the strings themselves are personal data, so drop them too."""
        with self._lock:
            self._personal.clear()

    def redact(self, text: str) -> str:
        if not text:
            return text
        for _kind, pattern in _PATTERNS:
            text = pattern.sub(REDACTED, text)
        with self._lock:
            personal = sorted(self._personal, key=len, reverse=True)
        if personal:
            text = unicodedata.normalize("NFC", text)
            for value in personal:
                text = _replace_folded(text, value)
        return text

    def redact_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {key: self.redact_value(item) for key, item in value.items()}
        if isinstance(value, (list, tuple, set)):
            return [self.redact_value(item) for item in value]
        if isinstance(value, (int, float, bool)) or value is None:
            return self.redact(str(value)) if isinstance(value, int) and not isinstance(
                value, bool) and len(str(value)) >= 9 else value
        return self.redact(repr(value))


def _replace_folded(text: str, folded_value: str) -> str:
    """Replace every occurrence of a folded value in text, with or without diacritics."""
    spans: list[tuple[int, int]] = []
    for haystack in (text.casefold(), _strip_marks(text).casefold()):
        if len(haystack) != len(text):  # folding changed lengths: positions would not line up
            continue
        start = haystack.find(folded_value)
        while start != -1:
            spans.append((start, start + len(folded_value)))
            start = haystack.find(folded_value, start + 1)
    if not spans:
        return text
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            start = position
        if start >= end:
            continue
        pieces.append(text[position:start] + REDACTED)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


redactor = Redactor()


def remember_personal(*values: str) -> None:
    """Register a session's personal strings with the process-wide redactor."""
    redactor.remember(*values)


def forget_personal() -> None:
    redactor.forget_all()


_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLineFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, extra fields, exception."""

    def __init__(self, redactor_: Redactor = redactor) -> None:
        super().__init__()
        self.redactor = redactor_

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg!s} {record.args!r}"
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        extra = {key: value for key, value in vars(record).items() if key not in _STANDARD_ATTRIBUTES}
        if extra:
            entry["extra"] = extra
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(self.redactor.redact_value(entry), ensure_ascii=False, default=str)


def configure_logging(log_dir: Path, level: str = "INFO", max_bytes: int = 5 * 1024 * 1024,
                      backups: int = 5, console: bool = False) -> Path:
    """Send every log record of the process to a rotated, redacted JSON-lines file.

    Also routes warnings and uncaught exceptions (main and other threads) through the
    same redacted path, so a crash cannot write a resident's data in a traceback.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "kiosk.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups,
                                                   encoding="utf-8")
    handler.setFormatter(JsonLineFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_kiosk_handler", False):
            root.removeHandler(old)
            old.close()
    handler._kiosk_handler = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(JsonLineFormatter())
        stream._kiosk_handler = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    root.setLevel(level)
    logging.captureWarnings(True)

    def log_uncaught(kind, value, tb) -> None:  # noqa: ANN001 - excepthook signature
        logging.getLogger("kiosk.crash").critical("uncaught exception", exc_info=(kind, value, tb))

    def log_uncaught_thread(args: threading.ExceptHookArgs) -> None:
        logging.getLogger("kiosk.crash").critical(
            "uncaught exception in thread %s", args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = log_uncaught
    threading.excepthook = log_uncaught_thread
    return path


def stop_logging() -> None:
    """Close the kiosk's log handlers (a walkthrough's log folder is deleted after it)."""
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_kiosk_handler", False):
            root.removeHandler(old)
            old.close()
