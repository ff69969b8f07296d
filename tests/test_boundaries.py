"""The architecture's boundaries hold: checked on the source, so a new module cannot slip by."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
QT_ALLOWED = {REPO / "kiosk" / "app.py"}
QT_ALLOWED_DIRS = {REPO / "kiosk" / "ui"}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _python_files(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def test_no_qt_outside_the_ui() -> None:
    """Only kiosk/ui/ and kiosk/app.py import PySide6 (ARCHITECTURE.md, Boundaries)."""
    offenders = []
    for path in _python_files("kiosk"):
        if path in QT_ALLOWED or any(parent in QT_ALLOWED_DIRS for parent in path.parents):
            continue
        offenders += [f"{path.relative_to(REPO)}:{line} imports {name}"
                      for line, name in _imports(path) if name.split(".")[0] in ("PySide6", "shiboken6")]
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize(("folder", "forbidden"), [("kiosk", "portal_sim"), ("portal_sim", "kiosk")])
def test_kiosk_and_simulator_meet_only_over_http(folder: str, forbidden: str) -> None:
    """The kiosk and the portal simulator never import each other: they share only the contract."""
    offenders = [f"{path.relative_to(REPO)}:{line} imports {name}"
                 for path in _python_files(folder) for line, name in _imports(path)
                 if name.split(".")[0] == forbidden]
    assert not offenders, "\n".join(offenders)


def test_only_the_store_opens_the_database() -> None:
    """sqlcipher3 / sqlite3 are imported only in kiosk/store/ (and admin's version probe)."""
    allowed = {REPO / "kiosk" / "store", REPO / "kiosk" / "admin"}
    offenders = []
    for path in _python_files("kiosk"):
        if any(parent in allowed for parent in path.parents):
            continue
        offenders += [f"{path.relative_to(REPO)}:{line} imports {name}"
                      for line, name in _imports(path) if name.split(".")[0] in ("sqlcipher3", "sqlite3")]
    assert not offenders, "\n".join(offenders)


def test_the_guard_sees_a_violation(tmp_path: Path) -> None:
    """The import scanner itself finds a PySide6 import, so the guards above can fail."""
    sample = tmp_path / "bad.py"
    sample.write_text("import os\nfrom PySide6.QtCore import QObject\n", encoding="utf-8")
    assert (2, "PySide6.QtCore") in _imports(sample)
