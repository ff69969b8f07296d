"""Building the kiosk's window: fonts, style, translations, the QML engine and the journey."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, QtMsgType, QUrl, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickImageProvider, QQuickWindow
from PySide6.QtQuickControls2 import QQuickStyle

from kiosk.config import RESOURCES
from kiosk.journey import Journey
from kiosk.processes import return_freed_memory
from kiosk.ui.journey_model import JourneyModel
from kiosk.ui.translations import Translations

QML_DIR = Path(__file__).resolve().parent / "qml"
FONT_DIR = RESOURCES / "fonts"
FONT_FAMILY = "Noto Sans"

log = logging.getLogger(__name__)
qml_log = logging.getLogger("kiosk.qml")


class WindowError(RuntimeError):
    """The QML could not be loaded: a packaging fault, reported with Qt's own messages."""


def _route_qt_messages(kind: QtMsgType, _context: object, message: str) -> None:
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
    qml_log.log(level, "%s", message)


def application(argv: list[str] | None = None) -> QGuiApplication:
    """The one QGuiApplication of the process, with the bundled font as the default."""
    app = QGuiApplication.instance()
    if app is None:
        QQuickStyle.setStyle("Basic")
        app = QGuiApplication(argv or ["kiosk"])
        app.setApplicationName("kiosk")
        qInstallMessageHandler(_route_qt_messages)
    families: set[str] = set()
    for font_file in sorted(FONT_DIR.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(font_file))
        if font_id < 0:
            log.error("could not register bundled font %s", font_file.name)
        else:
            families.update(QFontDatabase.applicationFontFamilies(font_id))
    if FONT_FAMILY in families:
        app.setFont(QFont(FONT_FAMILY, 14))
    else:
        log.error("bundled font %s missing; Vietnamese may render with a system font", FONT_FAMILY)
    return app


def _collect_garbage_after_sessions(journey: Journey, engine: QQmlApplicationEngine) -> None:
    """Screens created during a session (keyboards, form pages) are JavaScript-owned and
    freed only by the QML garbage collector, which runs rarely on an idle kiosk: without
    this, memory grew ~12 MB a session. Deferred, so no QML handler is still running."""
    previous = {"screen": journey.screen}

    def after_change(changed: Journey) -> None:
        if changed.screen.value == "attract" and previous["screen"].value != "attract":
            # With the engine as context: cancelled if the engine is gone before it fires.
            QTimer.singleShot(0, engine, engine.collectGarbage)
            QTimer.singleShot(50, engine, return_freed_memory)
        previous["screen"] = changed.screen

    journey.subscribe(after_change)


@dataclass
class KioskWindow:
    app: QGuiApplication
    engine: QQmlApplicationEngine
    model: JourneyModel
    translations: Translations
    window: QQuickWindow


def build_window(journey: Journey, centre_name: str, fullscreen: bool = False,
                 size: tuple[int, int] = (1280, 800), extra_context: dict[str, QObject] | None = None,
                 images: dict[str, QQuickImageProvider] | None = None) -> KioskWindow:
    app = application()
    from kiosk.ui.keyboard_model import register_qml_types

    register_qml_types()
    engine = QQmlApplicationEngine()
    for name, provider in (images or {}).items():
        engine.addImageProvider(name, provider)
    model = JourneyModel(journey, centre_name, parent=engine)
    translations = Translations(engine)
    model.languageChanged.connect(translations.switch)
    context = engine.rootContext()
    context.setContextProperty("journey", model)
    context.setContextProperty("appFontFamily", FONT_FAMILY)
    for name, value in (extra_context or {}).items():
        context.setContextProperty(name, value)
    errors: list[str] = []
    engine.warnings.connect(lambda warnings: errors.extend(w.toString() for w in warnings))
    engine.load(QUrl.fromLocalFile(str(QML_DIR / "Main.qml")))
    roots = engine.rootObjects()
    if not roots:
        raise WindowError("the kiosk's QML failed to load:\n" + "\n".join(errors))
    window = roots[0]
    assert isinstance(window, QQuickWindow)
    _collect_garbage_after_sessions(journey, engine)
    window.resize(*size)
    if fullscreen:
        window.setFlags(window.flags() | Qt.WindowType.FramelessWindowHint)
        window.showFullScreen()
    else:
        window.show()
    translations.switch(journey.session.language)
    return KioskWindow(app, engine, model, translations, window)
