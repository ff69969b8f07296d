"""Every string in the QML is translated to English, with the same placeholders."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "kiosk" / "ui"
PLACEHOLDER = re.compile(r"%(?:\d+|n|L\d+)")
QSTR = re.compile(r'qsTr\("((?:[^"\\]|\\.)*)"')


def _messages() -> dict[str, ET.Element]:
    tree = ET.parse(UI / "i18n" / "kiosk_en.ts")
    return {message.findtext("source"): message for message in tree.iter("message")}


def test_every_qml_string_is_in_the_catalogue() -> None:
    """A qsTr() added to QML without running lupdate is caught here."""
    catalogue = _messages()
    missing = []
    for qml in UI.joinpath("qml").rglob("*.qml"):
        for raw in QSTR.findall(qml.read_text(encoding="utf-8")):
            source = raw.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
            if source not in catalogue:
                missing.append(f"{qml.name}: {source[:60]}")
    assert not missing, "\n".join(missing)


def test_translations_are_finished_with_matching_placeholders() -> None:
    """No unfinished entry, and '%1' in the source is '%1' in the translation (and vice versa)."""
    problems = []
    for source, message in _messages().items():
        translation = message.find("translation")
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not translation.text:
            problems.append(f"unfinished: {source[:60]}")
            continue
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation.text)):
            problems.append(f"placeholders differ: {source[:60]}")
    assert not problems, "\n".join(problems)


def test_placeholder_check_catches_a_mismatch() -> None:
    """The placeholder comparison itself detects a dropped %1."""
    assert PLACEHOLDER.findall("sau %1 giây") != PLACEHOLDER.findall("in seconds")
