"""Live-like frames made from one still photo: a blink and head turns, by warping the face.

Why: the tests and the demo need a "person" who blinks and turns on request, and we
have only still portraits (public-domain images for the tests; the invented resident's
chip photo in the demo). The face's 68 landmarks are moved and the picture follows with
a piecewise affine warp (scikit-image's ``PiecewiseAffineTransform``):

- blink: the upper-eyelid landmarks (iBUG points 37, 38, 43, 44) and a crease just above
  them move down toward the lower lid (40, 41, 46, 47), closing the eye; at full closure
  the opening is painted over with skin (OpenCV's inpainting) and a lash line;
- turn: the inner face (brows, eyes, nose, mouth: points 17-67) slides sideways relative
  to the jaw outline (0-16), the nose most, as in a rotation about the neck.

The result fools our own liveness check by construction: it is a test and demo stand-in
for a live resident, never a claim about real attackers (see docs/identity.md).

Only the face's surroundings are warped (a crop twice the face's size), and each pose is
rendered once and reused, so a sequence of ~90 frames takes about a second to make.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from skimage.transform import PiecewiseAffineTransform, warp

from kiosk.devices.camera import VirtualCamera
from kiosk.errors import BadInput
from kiosk.identity.face import (
    ChipPhotoUnusable,
    as_bgr_frame,
    decode_photo,
    find_face,
)
from kiosk.identity.models import FaceModels, models

__all__ = ["SyntheticFace", "Pose", "live_sequence", "still_sequence", "sequence_for",
           "demo_camera", "ACTIONS"]

ACTIONS = ("blink", "turn_left", "turn_right")
_UPPER_LID = {37: 41, 38: 40, 43: 47, 44: 46}     # upper-lid point -> the lower-lid point below it
_INNER_FACE = range(17, 68)
_NOSE = range(27, 36)
_CREASE = 0.05            # the crease above the lid, in eye widths: more confuses the landmarks
_SHUT = 0.85              # from this closure on, the eye is painted shut (skin and a lash line)


@dataclass(frozen=True)
class Pose:
    """How far the eyes are closed (0 open, 1 shut) and the head turned (+1 full left)."""

    blink: float = 0.0
    turn: float = 0.0


class SyntheticFace:
    """One photo's face, ready to be rendered in any ``Pose``."""

    def __init__(self, photo: bytes | np.ndarray, face_models: FaceModels | None = None,
                 max_turn_fraction: float = 0.22) -> None:
        image = decode_photo(photo) if isinstance(photo, bytes | bytearray) else as_bgr_frame(photo)
        self._models = face_models or models()
        sighting = find_face(image, self._models, min_face_fraction=0.0, dark_luminance=0.0)
        if sighting.box is None:
            raise ChipPhotoUnusable(f"the photo has no single usable face ({sighting.guidance.value}): "
                                    "a live-like sequence needs a real portrait")
        box = sighting.box
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        shape = self._models.landmarks68(rgb, box.rectangle())
        self.landmarks = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
        self.image = image.copy()
        rgb.fill(0)
        if isinstance(photo, bytes | bytearray):
            image.fill(0)
        self.face_width = float(box.width)
        self.max_turn = max_turn_fraction * self.face_width
        height, width = image.shape[:2]
        cx, cy = box.center
        half = self.face_width  # the crop is twice the face's width on each axis
        self._x0, self._x1 = max(0, int(cx - half)), min(width, int(cx + half))
        self._y0, self._y1 = max(0, int(cy - half * 1.1)), min(height, int(cy + half * 1.1))
        self._cache: dict[Pose, np.ndarray] = {}

    def _border(self) -> np.ndarray:
        w, h = self._x1 - self._x0 - 1, self._y1 - self._y0 - 1
        steps = np.linspace(0, 1, 5)
        points = [(s * w, 0) for s in steps] + [(s * w, h) for s in steps]
        points += [(0, s * h) for s in steps[1:-1]] + [(w, s * h) for s in steps[1:-1]]
        return np.array(points, dtype=np.float64)

    def moved_landmarks(self, pose: Pose) -> np.ndarray:
        """Where the 68 landmarks go in ``pose`` (full-image coordinates)."""
        return self._control_points(pose)[1][:68]

    def _control_points(self, pose: Pose) -> tuple[np.ndarray, np.ndarray]:
        """Warp control points before and after: the 68 landmarks, then a crease per upper lid.

        The crease (skin a third of an eye's width above the lid) comes down with the lid,
        so skin covers the whole visible eye and not only the band between the landmarks.
        """
        closing = min(max(pose.blink, 0.0), 0.9)  # never quite shut: coincident points break the mesh
        creases = []
        for upper in _UPPER_LID:
            corners = (36, 39) if upper < 42 else (42, 45)
            width = float(np.linalg.norm(self.landmarks[corners[0]] - self.landmarks[corners[1]]))
            creases.append(self.landmarks[upper] - (0.0, _CREASE * width))
        source = np.vstack([self.landmarks, np.array(creases)])
        target = source.copy()
        for index, (upper, lower) in enumerate(_UPPER_LID.items()):
            bottom = self.landmarks[lower]
            target[upper] += closing * (bottom - (0.0, 0.5) - source[upper])
            crease = 68 + index
            target[crease] += closing * (bottom - (0.0, 1.0) - source[crease])
        shift = pose.turn * self.max_turn
        for index in [*_INNER_FACE, *range(68, 68 + len(creases))]:
            target[index, 0] += shift * (1.0 if index in _NOSE else 0.75)
        return source, target

    def render(self, pose: Pose) -> np.ndarray:
        """The photo with the face in ``pose`` (a new BGR array; the same one for equal poses)."""
        cached = self._cache.get(pose)
        if cached is not None:
            return cached.copy()
        frame = self.image.copy()
        if pose != Pose():
            offset = np.array([self._x0, self._y0], dtype=np.float64)
            before, after = self._control_points(pose)
            source = np.vstack([before - offset, self._border()])
            target = np.vstack([after - offset, self._border()])
            # warp() wants the map from output pixels back to input pixels: target -> source.
            transform = _piecewise_affine(target, source)
            crop = frame[self._y0:self._y1, self._x0:self._x1]
            warped = warp(crop, transform, output_shape=crop.shape, preserve_range=True,
                          mode="edge")
            frame[self._y0:self._y1, self._x0:self._x1] = np.clip(warped, 0, 255).astype(np.uint8)
            if pose.blink >= _SHUT:
                frame = self._paint_shut(frame)
        self._cache[pose] = frame
        return frame.copy()

    def _paint_shut(self, frame: np.ndarray) -> np.ndarray:
        """Skin over the eye opening (inpainted from around it) and a dark lash line below.

        The warp alone leaves a sliver of iris that the landmark predictor still reads as
        an open eye on some faces; a real shut eye is skin down to the lashes.
        """
        mask = np.zeros(frame.shape[:2], dtype=np.uint8)
        lines = []
        for eye in (range(36, 42), range(42, 48)):
            points = self.landmarks[list(eye)]
            width = float(np.linalg.norm(points[0] - points[3]))
            cv2.fillPoly(mask, [points.astype(np.int32)], 255)
            lash = points[[0, 5, 4, 3]].copy()
            middle_y = (points[0, 1] + points[3, 1]) / 2
            lash[1:3, 1] -= (lash[1:3, 1] - middle_y) * 0.5
            lines.append((lash, max(1, round(width / 14))))
        grow = max(3, int(self.face_width / 40)) | 1
        mask = cv2.dilate(mask, np.ones((grow, grow), np.uint8))
        painted = cv2.inpaint(frame, mask, 5, cv2.INPAINT_TELEA)
        for lash, thickness in lines:
            cv2.polylines(painted, [lash.astype(np.int32)], False, (40, 35, 35), thickness,
                          cv2.LINE_AA)
        return painted

    def forget(self) -> None:
        """Zero the photo and every rendered pose (the demo's chip photo is personal data)."""
        self.image.fill(0)
        for frame in self._cache.values():
            frame.fill(0)
        self._cache.clear()
        self.landmarks.fill(0)


def _piecewise_affine(source: np.ndarray, target: np.ndarray) -> PiecewiseAffineTransform:
    if hasattr(PiecewiseAffineTransform, "from_estimate"):  # scikit-image >= 0.26
        return PiecewiseAffineTransform.from_estimate(source, target)
    transform = PiecewiseAffineTransform()
    transform.estimate(source, target)
    return transform


def _ramp(key: str, steps: int) -> list[Pose]:
    """A there-and-back movement for one action, in ``steps`` frames each way."""
    levels = [i / steps for i in range(1, steps + 1)]
    out = levels + levels[-2::-1] + [0.0]
    if key == "blink":
        return [Pose(blink=v) for v in out]
    sign = 1.0 if key == "turn_left" else -1.0
    return [Pose(turn=sign * v) for v in out]


def live_sequence(face: SyntheticFace, actions: Iterable[str] = ACTIONS, *, rounds: int = 1,
                  rest_frames: int = 3, blink_steps: int = 2, turn_steps: int = 3,
                  hold_frames: int = 2) -> list[np.ndarray]:
    """Frames of a "resident" looking straight, then doing each action in turn, ``rounds`` times.

    A liveness check asks for the actions in a random order and ignores the ones it did not
    ask for yet, so a sequence that performs every action in each round passes whatever
    the order within ``len(ACTIONS)`` rounds: that is how the demo's virtual camera answers.
    """
    actions = list(actions)
    unknown = [a for a in actions if a not in ACTIONS]
    if unknown:
        raise BadInput(f"unknown actions {unknown}: use {ACTIONS}")
    poses: list[Pose] = [Pose()] * rest_frames
    for _ in range(rounds):
        for action in actions:
            ramp = _ramp(action, blink_steps if action == "blink" else turn_steps)
            peak = ramp.index(max(ramp, key=lambda p: abs(p.blink) + abs(p.turn)))
            poses += ramp[:peak + 1] + [ramp[peak]] * hold_frames + ramp[peak + 1:]
            poses += [Pose()] * rest_frames
    return [face.render(pose) for pose in poses]


def still_sequence(photo: np.ndarray, count: int) -> list[np.ndarray]:
    """A printed-photo replay: the same still image ``count`` times."""
    frame = as_bgr_frame(photo)
    return [frame.copy() for _ in range(count)]


def sequence_for(photo: bytes | np.ndarray, actions: Sequence[str] = ACTIONS,
                 rounds: int = 3) -> list[np.ndarray]:
    """The demo's camera frames for one resident: every action, ``rounds`` times."""
    face = SyntheticFace(photo)
    try:
        return live_sequence(face, actions, rounds=rounds)
    finally:
        face.forget()


def demo_camera(chip_photo: bytes | np.ndarray, fps: float = 15.0) -> VirtualCamera:
    """The demo's camera: the resident's own chip photo, blinking and turning, looped.

    Call ``forget()`` on it when the session ends: its frames are made from the photo.
    """
    return VirtualCamera(sequence_for(chip_photo), fps=fps, loop=True, realtime=True)
