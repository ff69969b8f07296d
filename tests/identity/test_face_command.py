"""`kiosk face match`: exit codes 0 / 1 / 2 and the JSON a technician's script reads."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.identity.synthetic_frames import still_sequence


def _run(*args: str, settings: tuple[str, ...] = ()) -> tuple[int, dict | str]:
    flags = [part for item in settings for part in ("--set", item)]
    result = CliRunner().invoke(main, [*flags, "face", "match", *args])
    try:
        return result.exit_code, json.loads(result.stdout)
    except json.JSONDecodeError:
        return result.exit_code, result.output


@pytest.fixture
def astronaut_files(kiosk_home: Path, astronaut: np.ndarray, astronaut_live) -> dict[str, Path]:
    """The astronaut as a chip photo, and her live-like sequence and a still as frame folders."""
    chip = kiosk_home / "chip.jpg"
    cv2.imwrite(str(chip), astronaut)
    live, still = kiosk_home / "live", kiosk_home / "still"
    live.mkdir()
    still.mkdir()
    for index, frame in enumerate(astronaut_live):
        cv2.imwrite(str(live / f"{index:03d}.png"), frame)
    for index, frame in enumerate(still_sequence(astronaut, 60)):
        cv2.imwrite(str(still / f"{index:03d}.png"), frame)
    return {"chip": chip, "live": live, "still": still}


def test_same_person_still_image_exits_0(kiosk_home: Path, public_images: Path) -> None:
    """--image with the same person: exit 0, JSON decision 'match', liveness skipped (null)."""
    code, out = _run("--photo", str(public_images / "obama.jpg"),
                     "--image", str(public_images / "obama2.jpg"), "--json")
    assert code == 0, out
    assert out["decision"] == "match" and out["matched"] is True
    assert out["band"] in ("strong", "match") and out["guidance"] == "ok"
    assert 0 < out["distance"] < out["threshold"] == 0.5 and out["liveness"] is None


def test_other_person_exits_1(kiosk_home: Path, public_images: Path) -> None:
    """--image with another person: exit 1 and a no-match band; the text output says so too."""
    code, out = _run("--photo", str(public_images / "obama.jpg"),
                     "--image", str(public_images / "biden.jpg"), "--json")
    assert code == 1 and out["decision"] == "no_match" and out["band"] == "no_match"
    code, text = _run("--photo", str(public_images / "obama.jpg"),
                      "--image", str(public_images / "biden.jpg"))
    assert code == 1 and "decision: no_match" in text and "liveness: skipped" in text


def test_bad_input_exits_2(kiosk_home: Path, public_images: Path, tmp_path: Path) -> None:
    """Unreadable or faceless chip photos, no live source or two of them: exit 2."""
    from kiosk.devices.card.virtual.portrait import synthetic_portrait

    drawn = tmp_path / "drawn.jpg"
    drawn.write_bytes(synthetic_portrait("001090012345"))
    text_file = tmp_path / "chip.jpg"
    text_file.write_text("not a picture")
    live = str(public_images / "obama2.jpg")
    for args in (["--photo", str(drawn), "--image", live],
                 ["--photo", str(text_file), "--image", live],
                 ["--photo", str(tmp_path / "missing.jpg"), "--image", live],
                 ["--photo", live],
                 ["--photo", live, "--image", live, "--camera", "0"]):
        code, out = _run(*args)
        assert code == 2, (args, out)


def test_frames_with_liveness_exit_0(astronaut_files: dict[str, Path]) -> None:
    """--frames replaying a live-like sequence: liveness passes, the face matches, exit 0."""
    code, out = _run("--photo", str(astronaut_files["chip"]), "--frames",
                     str(astronaut_files["live"]), "--seed", "4", "--json")
    assert code == 0, out
    assert out["liveness"]["state"] == "passed" and len(out["liveness"]["done"]) == 3
    assert out["method"] == "face_liveness" and out["attempts"] == 1 and out["matched"]


def test_frames_of_a_still_fail_liveness_but_match_without_it(
        astronaut_files: dict[str, Path]) -> None:
    """A still replayed as frames fails liveness (exit 1); --no-liveness matches it (exit 0)."""
    code, out = _run("--photo", str(astronaut_files["chip"]), "--frames",
                     str(astronaut_files["still"]), "--fps", "10", "--json",
                     settings=("face.attempts=1", "face.liveness_time_limit_s=3"))
    assert code == 1, out
    assert out["liveness"]["state"] == "failed" and out["liveness"]["done"] == []
    assert out["guidance"] == "time_up" and out["attempts"] == 1
    code, out = _run("--photo", str(astronaut_files["chip"]), "--frames",
                     str(astronaut_files["still"]), "--no-liveness", "--json")
    assert code == 0 and out["method"] == "face_only" and out["liveness"] is None


def test_nothing_biometric_is_written_or_logged(astronaut_files: dict[str, Path], kiosk_home: Path,
                                                matcher, astronaut: np.ndarray,
                                                caplog: pytest.LogCaptureFixture) -> None:
    """A seeded face check from the command writes no file holding frame or template bytes,
    and its log lines carry no distance, descriptor or landmark numbers."""
    import logging

    inputs = {p for p in kiosk_home.rglob("*") if p.is_file()}
    caplog.set_level(logging.DEBUG)
    code, out = _run("--photo", str(astronaut_files["chip"]), "--frames",
                     str(astronaut_files["live"]), "--seed", "2", "--json")
    assert code == 0, out
    _, jpeg = cv2.imencode(".jpg", astronaut)
    template = matcher.enroll_chip_photo(jpeg.tobytes())
    needles = [template.vector.tobytes()[:32], template.vector.astype(np.float32).tobytes()[:16],
               astronaut[256, 200:264].tobytes(), cv2.cvtColor(astronaut, cv2.COLOR_BGR2RGB)[256, 200:264].tobytes()]
    template.wipe()
    written = [p for p in kiosk_home.rglob("*") if p.is_file() and p not in inputs]
    for path in written:
        data = path.read_bytes()
        assert not any(needle in data for needle in needles), path
    distance = f"{out['distance']:.3f}"
    assert all(distance not in record.getMessage() for record in caplog.records)
