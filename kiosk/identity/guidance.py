"""What the face check asks of the resident, as codes; the words are the UI's, from ``TEXTS``.

The core returns a ``Guidance`` code and never a sentence, so a check's outcome can be
tested, logged (a code is not personal data) and shown in either language. ``TEXTS``
holds the Vietnamese and English words the UI can start from (kiosk/ui/ owns the final
wording and its translation files).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Guidance", "TEXTS", "text"]


class Guidance(StrEnum):
    """One instruction or reason, shown to the resident while the face check runs."""

    OK = "ok"
    NO_FACE = "no_face"
    TWO_FACES = "two_faces"
    TOO_DARK = "too_dark"
    TOO_FAR = "too_far"
    CHIP_PHOTO_UNUSABLE = "chip_photo_unusable"
    LOOK_STRAIGHT = "look_straight"
    BLINK = "blink"
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    TIME_UP = "time_up"
    NOT_MATCHED = "not_matched"
    CAMERA_UNAVAILABLE = "camera_unavailable"
    CANCELLED = "cancelled"


# Starting texts for the UI: short, in the second person, polite ("Ông/Bà" is the kiosk's
# form of address elsewhere).
TEXTS: dict[Guidance, dict[str, str]] = {
    Guidance.OK: {"vi": "Đã xác thực khuôn mặt.", "en": "Face confirmed."},
    Guidance.NO_FACE: {"vi": "Không thấy khuôn mặt. Xin nhìn thẳng vào camera.",
                       "en": "No face found. Please look straight at the camera."},
    Guidance.TWO_FACES: {"vi": "Chỉ một người đứng trước camera.",
                         "en": "Only one person in front of the camera, please."},
    Guidance.TOO_DARK: {"vi": "Quá tối. Xin đứng ra chỗ sáng hơn.",
                        "en": "Too dark. Please move to more light."},
    Guidance.TOO_FAR: {"vi": "Xin lại gần camera hơn.", "en": "Please move closer to the camera."},
    Guidance.CHIP_PHOTO_UNUSABLE: {
        "vi": "Ảnh trong thẻ không dùng được để so khớp. Xin chọn cách xác thực khác.",
        "en": "The card's photo cannot be used for a face check. Please choose another way."},
    Guidance.LOOK_STRAIGHT: {"vi": "Xin nhìn thẳng vào camera.",
                             "en": "Please look straight at the camera."},
    Guidance.BLINK: {"vi": "Xin chớp mắt.", "en": "Please blink."},
    Guidance.TURN_LEFT: {"vi": "Xin quay đầu sang trái.", "en": "Please turn your head to the left."},
    Guidance.TURN_RIGHT: {"vi": "Xin quay đầu sang phải.",
                          "en": "Please turn your head to the right."},
    Guidance.TIME_UP: {"vi": "Hết thời gian. Xin thử lại.", "en": "Time is up. Please try again."},
    Guidance.NOT_MATCHED: {"vi": "Khuôn mặt chưa khớp với ảnh trong thẻ. Xin thử lại.",
                           "en": "Your face did not match the card's photo. Please try again."},
    Guidance.CAMERA_UNAVAILABLE: {"vi": "Camera không hoạt động. Xin chọn cách xác thực khác.",
                                  "en": "The camera is not working. Please choose another way."},
    Guidance.CANCELLED: {"vi": "Đã dừng kiểm tra khuôn mặt.", "en": "The face check was stopped."},
}


def text(code: Guidance, language: str = "vi") -> str:
    """The starting text for ``code`` in ``language`` ("vi" or "en")."""
    return TEXTS[code][language]
