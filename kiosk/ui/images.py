"""Pictures of the session for QML: the chip photo and the receipt's seal as a QR code.

Served through one image provider (``image://session/face``, ``image://session/seal``) so
the bytes never pass through QML strings; ``clear()`` drops them when the session ends.
Each new picture gets a new URL (a counter), so QML never shows a cached previous one.
"""

from __future__ import annotations

import io
import threading

import qrcode
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider


class SessionImages(QQuickImageProvider):
    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self._lock = threading.Lock()
        self._face: QImage | None = None
        self._seal: QImage | None = None
        self.generation = 0

    def set_face(self, jpeg: bytes | None) -> None:
        image = QImage()
        if jpeg:
            image.loadFromData(jpeg)
        with self._lock:
            self._face = image if not image.isNull() else None
            self.generation += 1

    def set_seal(self, seal_text: str) -> None:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=2, box_size=6)
        code.add_data(seal_text)
        code.make(fit=True)
        buffer = io.BytesIO()
        code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
        image = QImage()
        image.loadFromData(buffer.getvalue())
        with self._lock:
            self._seal = image
            self.generation += 1

    def clear(self) -> None:
        with self._lock:
            if self._face is not None:
                self._face.fill(0)
            self._face = None
            self._seal = None
            self.generation += 1

    def holds_data(self) -> bool:
        with self._lock:
            return self._face is not None or self._seal is not None

    def requestImage(self, image_id: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802
        name = image_id.split("?")[0]
        with self._lock:
            image = {"face": self._face, "seal": self._seal}.get(name)
            result = QImage(image) if image is not None else QImage(1, 1, QImage.Format.Format_ARGB32)
        if image is None:
            result.fill(0)
        if size is not None:
            size.setWidth(result.width())
            size.setHeight(result.height())
        return result
