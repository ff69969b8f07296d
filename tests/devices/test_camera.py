"""The camera: a virtual one plays files, folders, videos and in-memory frames; errors are typed."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.devices.camera import (
    CameraMissing,
    CameraStopped,
    FramesUnreadable,
    OpenCvCamera,
    VirtualCamera,
    open_camera,
)
from kiosk.errors import BadInput


def _frame(value: int, size: tuple[int, int] = (48, 64)) -> np.ndarray:
    frame = np.zeros((*size, 3), np.uint8)
    frame[:, :, 1] = value  # green carries the frame number
    return frame


def _write_images(folder: Path, values: list[int], names: list[str] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for value, name in zip(values, names or [f"{i:03d}.png" for i in range(len(values))],
                           strict=True):
        path = folder / name
        assert cv2.imwrite(str(path), _frame(value))
        paths.append(path)
    return paths


def test_plays_a_list_of_image_files_in_order(tmp_path: Path) -> None:
    """A list of files is played in the order given, then the camera says it has stopped."""
    paths = _write_images(tmp_path, [10, 20, 30])
    with VirtualCamera([paths[2], paths[0]]) as camera:
        assert camera.read()[0, 0, 1] == 30
        assert camera.read()[0, 0, 1] == 10
        with pytest.raises(CameraStopped):
            camera.read()
        assert camera.frames_read == 2


def test_plays_a_folder_sorted_by_name_and_loops(tmp_path: Path) -> None:
    """A folder plays its images in name order (other files ignored); loop=True starts over."""
    _write_images(tmp_path, [30, 10, 20], ["c.png", "a.png", "b.jpg"])
    (tmp_path / "notes.txt").write_text("not a frame")
    with VirtualCamera(tmp_path, loop=True) as camera:
        greens = [int(camera.read()[0, 0, 1]) for _ in range(5)]
    assert [abs(g - e) <= 2 for g, e in zip(greens, [10, 20, 30, 10, 20], strict=True)] == [True] * 5


def test_plays_a_video_file(tmp_path: Path) -> None:
    """A video written with cv2.VideoWriter plays frame by frame, and loops when asked."""
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    assert writer.isOpened()
    for value in (40, 120, 200):
        writer.write(_frame(value))
    writer.release()
    with VirtualCamera(video, fps=10) as camera:
        greens = [int(camera.read()[0, 0, 1]) for _ in range(3)]
        with pytest.raises(CameraStopped):
            camera.read()
    assert [abs(g - e) <= 8 for g, e in zip(greens, [40, 120, 200], strict=True)] == [True] * 3
    with VirtualCamera(video, loop=True) as camera:
        assert len([camera.read() for _ in range(7)]) == 7
        assert camera.position_s == pytest.approx(7 / 15)


def test_in_memory_frames_are_copied_and_forgotten() -> None:
    """In-memory frames (the demo's) are handed out as copies and zeroed by forget()."""
    frames = [_frame(50), _frame(60)]
    camera = VirtualCamera(frames, loop=True)
    camera.open()
    first = camera.read()
    first.fill(255)  # the caller scribbling on its frame does not touch the source
    assert frames[0][0, 0, 1] == 50
    camera.forget()
    assert not np.any(frames[0]) and not np.any(frames[1])
    with pytest.raises(CameraStopped):
        camera.read()


def test_realtime_paces_reads_to_the_frame_rate() -> None:
    """realtime=True waits for each frame's time (a fake clock and sleep prove the pacing)."""
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    camera = VirtualCamera([_frame(1)], fps=10, loop=True, realtime=True, sleep=sleep,
                           clock=lambda: now[0])
    with camera:
        for _ in range(4):
            camera.read()
    assert slept == pytest.approx([0.1, 0.1, 0.1])
    assert now[0] == pytest.approx(100.3)


def test_bad_sources_are_typed_errors(tmp_path: Path) -> None:
    """Missing paths, empty folders, non-images and bad arrays say what to give instead."""
    empty = tmp_path / "empty"
    empty.mkdir()
    text = tmp_path / "frame.txt"
    text.write_text("x")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    for source in (tmp_path / "missing", empty, text, [], [tmp_path / "gone.png"],
                   [np.zeros((4, 4), np.uint8)]):
        with pytest.raises(FramesUnreadable):
            VirtualCamera(source)
    with VirtualCamera([broken]) as camera, pytest.raises(FramesUnreadable):
        camera.read()
    with pytest.raises(BadInput):
        VirtualCamera([_frame(1)], fps=0)
    assert issubclass(FramesUnreadable, BadInput)


def test_reading_a_closed_camera_is_refused() -> None:
    """read() before open() or after close() is CameraStopped, for both kinds."""
    camera = VirtualCamera([_frame(1)])
    with pytest.raises(CameraStopped):
        camera.read()
    with pytest.raises(CameraStopped):
        OpenCvCamera(0).read()


def test_missing_opencv_camera_is_camera_missing() -> None:
    """An index with no /dev/video device is CameraMissing, with the index in the message."""
    camera = OpenCvCamera(index=63, warmup=0)
    with pytest.raises(CameraMissing) as caught:
        camera.open()
    assert "63" in caught.value.message
    with pytest.raises(BadInput):
        OpenCvCamera(index=-1)


def test_opencv_camera_reads_through_videocapture() -> None:
    """OpenCvCamera drives a VideoCapture: warm-up frames dropped, a failed read is CameraMissing."""

    class Capture:
        def __init__(self) -> None:
            self.reads, self.released, self.props = 0, False, {}

        def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
            return True

        def set(self, prop: int, value: float) -> bool:
            self.props[prop] = value
            return True

        def read(self) -> tuple[bool, np.ndarray | None]:
            self.reads += 1
            return (self.reads <= 4, _frame(self.reads) if self.reads <= 4 else None)

        def release(self) -> None:
            self.released = True

    capture = Capture()
    with OpenCvCamera(0, warmup=3, capture=lambda index: capture) as camera:
        assert camera.read()[0, 0, 1] == 4
        with pytest.raises(CameraMissing):
            camera.read()
    assert capture.released and capture.props[cv2.CAP_PROP_FRAME_WIDTH] == 640


def test_open_camera_follows_the_settings(tmp_path: Path) -> None:
    """open_camera builds the kind the [face] settings name, and refuses unknown kinds."""
    _write_images(tmp_path, [1])
    assert isinstance(open_camera("opencv", index=2), OpenCvCamera)
    assert isinstance(open_camera("virtual", frames=str(tmp_path)), VirtualCamera)
    with pytest.raises(BadInput):
        open_camera("virtual", frames="")
    with pytest.raises(BadInput):
        open_camera("webcam")
