"""Pictures of the session for QML: the chip photo, QR codes (the receipt's seal, the VNeID
sign-in, the fee payment) and the camera preview of the face check.

Served through one image provider (``image://session/face``, ``image://session/seal``,
``image://session/vneid``, ``image://session/payment``, ``image://session/camera``) so the
bytes never pass through QML strings; ``clear()`` drops them when the session ends, and the
camera frame is overwritten with zeros as soon as the face check ends.
Each new picture gets a new URL (a counter), so QML never shows a cached previous one.
"""

from __future__ import annotations

import io
import threading
from typing import Any

import qrcode
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider


class SessionImages(QQuickImageProvider):
    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self._lock = threading.Lock()
        self._face: QImage | None = None
        self._codes: dict[str, QImage] = {}
        self._camera: QImage | None = None
        self.generation = 0

    def set_face(self, jpeg: bytes | None) -> None:
        image = QImage()
        if jpeg:
            image.loadFromData(jpeg)
        with self._lock:
            self._face = image if not image.isNull() else None
            self.generation += 1

    def set_seal(self, seal_text: str) -> None:
        self.set_code("seal", seal_text)

    def set_code(self, name: str, text: str) -> None:
        """A QR code picture of ``text`` under ``image://session/<name>``."""
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=2, box_size=6)
        code.add_data(text)
        code.make(fit=True)
        buffer = io.BytesIO()
        code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
        image = QImage()
        image.loadFromData(buffer.getvalue())
        with self._lock:
            self._codes[name] = image
            self.generation += 1

    def clear_code(self, name: str) -> None:
        with self._lock:
            self._codes.pop(name, None)

    def set_camera(self, frame_bgr: Any) -> None:
        """The newest camera frame (a numpy BGR array) for the preview; called from a worker."""
        height, width = frame_bgr.shape[:2]
        image = QImage(frame_bgr.data, width, height, int(frame_bgr.strides[0]),
                       QImage.Format.Format_BGR888).copy()
        with self._lock:
            old, self._camera = self._camera, image
        if old is not None:
            old.fill(0)

    def clear_camera(self) -> None:
        with self._lock:
            old, self._camera = self._camera, None
        if old is not None:
            old.fill(0)

    def clear(self) -> None:
        self.clear_camera()
        with self._lock:
            if self._face is not None:
                self._face.fill(0)
            self._face = None
            self._codes.clear()
            self.generation += 1

    def holds_data(self) -> bool:
        with self._lock:
            return self._face is not None or bool(self._codes) or self._camera is not None

    def requestImage(self, image_id: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802
        name = image_id.split("?")[0]
        with self._lock:
            image = self._face if name == "face" else self._camera if name == "camera" \
                else self._codes.get(name)
            result = QImage(image) if image is not None else QImage(1, 1, QImage.Format.Format_ARGB32)
        if image is None:
            result.fill(0)
        if size is not None:
            size.setWidth(result.width())
            size.setHeight(result.height())
        return result
