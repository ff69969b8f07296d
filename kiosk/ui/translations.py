"""Switching the interface language with Qt's translation system.

Source strings in QML are Vietnamese (the kiosk's first language); English comes from
compiled catalogues (i18n/kiosk_en.ts → kiosk_en.qm, built by `make`). Switching
installs or removes the translator and asks the engine to re-evaluate every qsTr().
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtQml import QQmlEngine

I18N_DIR = Path(__file__).resolve().parent / "i18n"
SOURCE_LANGUAGE = "vi"
LANGUAGES = ("vi", "en")

log = logging.getLogger(__name__)


class Translations:
    def __init__(self, engine: QQmlEngine) -> None:
        self._engine = engine
        self._translator: QTranslator | None = None
        self.language = SOURCE_LANGUAGE

    def switch(self, language: str) -> None:
        if language == self.language:
            return
        app = QCoreApplication.instance()
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        if language != SOURCE_LANGUAGE:
            catalogue = I18N_DIR / f"kiosk_{language}.qm"
            translator = QTranslator(app)
            if not translator.load(str(catalogue)):
                log.error("translation catalogue missing: %s (run make)", catalogue.name)
            else:
                app.installTranslator(translator)
                self._translator = translator
        self.language = language
        self._engine.retranslate()
