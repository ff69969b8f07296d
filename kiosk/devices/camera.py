"""The camera in front of the resident: frames in, as numpy BGR arrays, whatever the camera is.

Two kinds stand behind the same ``Camera`` protocol:

- ``OpenCvCamera`` reads a USB/V4L2 camera with OpenCV's ``VideoCapture`` (the headless
  build: no Qt, no GUI). It is what a kiosk with a webcam uses.
- ``VirtualCamera`` plays frames from image files, a folder of images (sorted by name) or
  a video file, at a fixed frame rate, optionally looping: for the demo (a live-like
  sequence made from the resident's own chip photo) and for the tests.

Frames are biometric data as soon as a face is in them: they are handed to the caller
and never kept here beyond the current frame, never written and never logged. The UI
preview gets them through kiosk/ui/ (a QML image provider): this module knows nothing of
Qt.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Protocol

import cv2
import numpy as np

from kiosk.errors import BadInput, KioskError

__all__ = ["Camera", "CameraError", "CameraMissing", "CameraStopped", "FramesUnreadable",
           "OpenCvCamera", "VirtualCamera", "open_camera", "KINDS", "IMAGE_SUFFIXES"]

log = logging.getLogger(__name__)

KINDS = ("virtual", "opencv")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")
VIDEO_SUFFIXES = (".mp4", ".avi", ".mkv", ".mov", ".webm", ".mjpeg")


class CameraError(KioskError):
    """The camera cannot give frames; the message says what to check."""


class CameraMissing(CameraError):
    """No camera at the configured index, or the device cannot be opened."""


class CameraStopped(CameraError):
    """The camera is closed, or a non-looping virtual camera has played its last frame."""


class FramesUnreadable(BadInput):
    """The frames given to a virtual camera are missing or are not images or a video."""


class Camera(Protocol):
    """What a holder check holds: open it, read frames, close it (or use ``with``)."""

    def open(self) -> None: ...

    def read(self) -> np.ndarray: ...

    def close(self) -> None: ...

    def __enter__(self) -> Camera: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None: ...


class _ContextCamera:
    """``with camera:`` opens and closes, so a failed check never leaves the camera on."""

    def open(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def __enter__(self) -> _ContextCamera:
        self.open()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


class OpenCvCamera(_ContextCamera):
    """A V4L2/USB camera through OpenCV's VideoCapture (opencv-python-headless).

    The first frames of many webcams are black while the exposure settles: ``warmup``
    frames are read and dropped at open.
    """

    def __init__(self, index: int = 0, width: int = 640, height: int = 480, warmup: int = 3,
                 capture: Callable[[int], cv2.VideoCapture] | None = None) -> None:
        if index < 0:
            raise BadInput(f"camera index must be 0 or more, not {index}: /dev/video0 is index 0")
        self.index = index
        self.width = width
        self.height = height
        self.warmup = warmup
        self._capture_factory = capture or (lambda i: cv2.VideoCapture(i, cv2.CAP_ANY))
        self._capture: cv2.VideoCapture | None = None

    def open(self) -> None:
        if self._capture is not None:
            return
        capture = self._capture_factory(self.index)
        if capture is None or not capture.isOpened():
            if capture is not None:
                capture.release()
            raise CameraMissing(f"no camera at index {self.index} (/dev/video{self.index}): "
                                "check the cable and the camera index in the face settings")
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        self._capture = capture
        for _ in range(self.warmup):
            capture.read()
        log.info("camera %d open", self.index)

    def read(self) -> np.ndarray:
        if self._capture is None:
            raise CameraStopped("the camera is closed: open it before reading frames")
        ok, frame = self._capture.read()
        if not ok or frame is None:
            raise CameraMissing(f"camera {self.index} stopped sending frames: check the cable")
        return frame

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None
            log.info("camera %d closed", self.index)


class VirtualCamera(_ContextCamera):
    """Plays frames from image files, a folder of images or a video file.

    ``source`` is a list of image paths, a folder (its images in name order), one video
    file, or frames already in memory (numpy BGR arrays: the demo's synthetic sequence,
    never written to disk); one image file is a still camera (repeat it with ``loop=True``). With
    ``realtime`` the camera paces reads to ``fps`` like a real one (the demo); without, it
    returns frames as fast as they are asked for (tests, and the technician's command that
    replays a recording) and ``position_s`` gives the recording's own time.
    """

    def __init__(self, source: str | Path | Sequence[str | Path | np.ndarray], fps: float = 15.0,
                 loop: bool = False, realtime: bool = False,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if fps <= 0:
            raise BadInput(f"a virtual camera needs a frame rate above 0, not {fps}")
        self.fps = fps
        self.loop = loop
        self.realtime = realtime
        self._sleep = sleep
        self._clock = clock
        self._images, self._video = _resolve(source)
        self._capture: cv2.VideoCapture | None = None
        self._opened = False
        self._next_at = 0.0
        self.frames_read = 0

    @property
    def position_s(self) -> float:
        """Seconds of recording played so far (frames read / fps)."""
        return self.frames_read / self.fps

    def open(self) -> None:
        if self._opened:
            return
        if self._video is not None:
            self._capture = cv2.VideoCapture(str(self._video))
            if not self._capture.isOpened():
                self._capture.release()
                self._capture = None
                raise FramesUnreadable(f"cannot open the video {self._video.name}: "
                                       "give an .mp4/.avi file OpenCV can decode")
        self._opened = True
        self.frames_read = 0
        self._next_at = self._clock()

    def read(self) -> np.ndarray:
        if not self._opened:
            raise CameraStopped("the virtual camera is closed: open it before reading frames")
        if self.realtime:
            wait = self._next_at - self._clock()
            if wait > 0:
                self._sleep(wait)
            self._next_at = max(self._next_at, self._clock()) + 1.0 / self.fps
        frame = self._next_frame()
        self.frames_read += 1
        return frame

    def _next_frame(self) -> np.ndarray:
        if self._capture is not None:
            ok, frame = self._capture.read()
            if not ok and self.loop and self.frames_read > 0:
                self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, frame = self._capture.read()
            if not ok or frame is None:
                raise CameraStopped("the video has no more frames")
            return frame
        if not self._images:
            raise CameraStopped("the virtual camera has no frames left (they were forgotten)")
        index = self.frames_read
        if index >= len(self._images):
            if not self.loop:
                raise CameraStopped("the virtual camera has played its last image")
            index %= len(self._images)
        item = self._images[index]
        return item.copy() if isinstance(item, np.ndarray) else _read_image(item)

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None
        self._opened = False

    def forget(self) -> None:
        """Zero and drop in-memory frames (a demo sequence made from a chip photo)."""
        for item in self._images:
            if isinstance(item, np.ndarray):
                item.fill(0)
        self._images = []


def _resolve(source: str | Path | Sequence[str | Path | np.ndarray],
             ) -> tuple[list[Path | np.ndarray], Path | None]:
    """The image list or the video a virtual camera plays; a typed error when there is none."""
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            images = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            if not images:
                raise FramesUnreadable(f"the folder {path.name} holds no images "
                                       f"({', '.join(IMAGE_SUFFIXES)})")
            return images, None
        if not path.is_file():
            raise FramesUnreadable(f"{path.name} does not exist: give image files, a folder "
                                   "of images or a video file")
        if path.suffix.lower() in VIDEO_SUFFIXES:
            return [], path
        if path.suffix.lower() in IMAGE_SUFFIXES:
            return [path], None
        raise FramesUnreadable(f"{path.name} is neither an image nor a video this camera plays")
    if len(source) == 0:
        raise FramesUnreadable("a virtual camera needs at least one image")
    images: list[Path | np.ndarray] = []
    for item in source:
        if isinstance(item, np.ndarray):
            if item.ndim != 3 or item.shape[2] != 3 or item.dtype != np.uint8:
                raise FramesUnreadable("in-memory frames must be 8-bit BGR arrays (h, w, 3)")
            images.append(item)
        else:
            images.append(Path(item))
    missing = [p.name for p in images if isinstance(p, Path) and not p.is_file()]
    if missing:
        raise FramesUnreadable(f"missing image files: {', '.join(missing[:5])}")
    return images, None


def _read_image(path: Path) -> np.ndarray:
    frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if frame is None:
        raise FramesUnreadable(f"{path.name} is not an image OpenCV can decode")
    return frame


def open_camera(kind: str, index: int = 0, frames: str = "", fps: float = 15.0,
                loop: bool = True, realtime: bool = True) -> OpenCvCamera | VirtualCamera:
    """The camera a kiosk's face settings name; not opened yet."""
    if kind == "opencv":
        return OpenCvCamera(index)
    if kind == "virtual":
        if not frames:
            raise BadInput("the virtual camera needs a frames folder or video: set "
                           "face.virtual_frames_dir (or KIOSK_FACE_VIRTUAL_FRAMES_DIR)")
        return VirtualCamera(frames, fps=fps, loop=loop, realtime=realtime)
    raise BadInput(f"unknown camera kind {kind!r}: use one of {', '.join(KINDS)}")
