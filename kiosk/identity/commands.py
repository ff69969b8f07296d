"""`kiosk face match`: compare a live face with a chip photo, for technicians and tests.

    kiosk face match --photo CHIP.jpg (--image LIVE.jpg | --camera N | --frames DIR|VIDEO)
                     [--json] [--no-liveness] [--seed N] [--fps F]

Exit codes: 0 the faces match (and liveness passed, when it ran); 1 no match, liveness
failed or no usable face; 2 bad input (unreadable files, a chip photo with no face).

``--image`` compares one still picture: liveness cannot run on one frame, so it is
reported as skipped. ``--frames`` replays a folder of images (name order) or a video as a
camera, timed by the recording's own frame rate (``--fps``), not by how fast this
machine processes it. Nothing is written: frames and templates stay in memory.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import click

from kiosk.cli import load_settings_from
from kiosk.errors import BadInput
from kiosk.identity.face import FaceDecision, FaceMatcher, decode_photo
from kiosk.identity.guidance import Guidance, text

EXIT_MATCH, EXIT_NO_MATCH = 0, 1


def _read_picture(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise BadInput(f"cannot read the {what} {path.name} ({type(error).__name__})") from error


def _decision_word(matched: bool, decided: bool) -> str:
    return "match" if matched else ("no_match" if decided else "no_decision")


def _report(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, sort_keys=True))
        return
    click.echo(f"decision: {result['decision']}")
    if result.get("distance") is not None:
        click.echo(f"distance: {result['distance']:.3f} (threshold {result['threshold']})")
    click.echo(f"band: {result['band']}")
    click.echo(f"guidance: {result['guidance']} — {text(Guidance(result['guidance']), 'en')}")
    liveness = result.get("liveness")
    click.echo("liveness: " + ("skipped" if liveness is None else
                               f"{liveness['state']} ({len(liveness['done'])}/{liveness['total']})"))
    if "attempts" in result:
        click.echo(f"attempts: {result['attempts']}")


def _still(matcher: FaceMatcher, chip_photo: bytes, image: Path) -> dict[str, Any]:
    live = decode_photo(_read_picture(image, "image"))
    chip = matcher.enroll_chip_photo(chip_photo)
    try:
        decision: FaceDecision = matcher.compare(chip, live)
    finally:
        chip.wipe()
        live.fill(0)
    return {**decision.as_dict(), "decision": _decision_word(decision.matched,
                                                             decision.distance is not None),
            "liveness": None}


@click.group()
def face() -> None:
    """The face check: match a live face with the chip photo (technicians, tests)."""


@face.command("match")
@click.option("--photo", "photo", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The chip photo (DG2 JPEG) or any portrait file.")
@click.option("--image", type=click.Path(dir_okay=False, path_type=Path),
              help="One live picture (liveness is skipped).")
@click.option("--camera", "camera_index", type=int, help="A USB/V4L2 camera index (0 = /dev/video0).")
@click.option("--frames", type=click.Path(path_type=Path),
              help="A folder of frames (name order) or a video file, played as a camera.")
@click.option("--fps", type=float, default=15.0, show_default=True,
              help="Frame rate of --frames (the time limit runs on the recording's time).")
@click.option("--no-liveness", is_flag=True, help="Compare the first usable frame; no challenges.")
@click.option("--seed", type=int, help="Seed of the challenge order (reproducible runs).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
@click.pass_context
def match(ctx: click.Context, photo: Path, image: Path | None, camera_index: int | None,
          frames: Path | None, fps: float, no_liveness: bool, seed: int | None,
          as_json: bool) -> None:
    """Compare a live face with a chip photo; exit 0 match, 1 no match, 2 bad input."""
    sources = [s for s in (image, camera_index, frames) if s is not None]
    if len(sources) != 1:
        raise BadInput("give exactly one of --image, --camera or --frames")
    settings = load_settings_from(ctx)
    matcher = FaceMatcher(settings.face.threshold)
    chip_photo = _read_picture(photo, "chip photo")
    if image is not None:
        result = _still(matcher, chip_photo, image)
        _report(result, as_json)
        ctx.exit(EXIT_MATCH if result["matched"] else EXIT_NO_MATCH)

    from kiosk.devices.camera import OpenCvCamera, VirtualCamera
    from kiosk.identity.holder_check import HolderCheck

    camera: OpenCvCamera | VirtualCamera
    if frames is not None:
        camera = VirtualCamera(frames, fps=fps, loop=False, realtime=False)
        clock = (lambda: camera.position_s)  # noqa: E731 - the recording's own time
    else:
        import time

        camera = OpenCvCamera(camera_index or 0)
        clock = time.monotonic
    check = HolderCheck(matcher, camera, attempts=settings.face.attempts,
                        liveness=not no_liveness,
                        rng=random.Random(seed) if seed is not None else None, clock=clock,
                        time_limit_s=settings.face.liveness_time_limit_s,
                        challenges=settings.face.challenges)
    outcome = check.run(chip_photo)
    if outcome.guidance is Guidance.CHIP_PHOTO_UNUSABLE:
        raise BadInput("the chip photo shows no single face that can be compared")
    decision = check.last_decision
    result = {
        "decision": _decision_word(outcome.passed, decision is not None),
        "matched": outcome.passed,
        "distance": decision.distance if decision else None,
        "threshold": matcher.threshold,
        "band": outcome.score_band.value,
        "guidance": outcome.guidance.value,
        "liveness": None if no_liveness or check.last_liveness is None
        else check.last_liveness.as_dict(),
        "attempts": outcome.attempts,
        "method": outcome.method,
    }
    _report(result, as_json)
    ctx.exit(EXIT_MATCH if outcome.passed else EXIT_NO_MATCH)
