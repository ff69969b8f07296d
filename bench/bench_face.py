"""The face check, in figures.

- model load: seconds and resident memory added, measured in a fresh process (the kiosk
  pays it once, at the first face check; the UI can preload it on a worker);
- per frame: face detection plus 68 landmarks, what liveness spends on each camera frame
  (the budget at 15 fps is 0.067 s);
- decision latency: from the read of the last liveness frame to the decision (the final
  frame's 5-point alignment, descriptor and distance; goal ≤ 1 s);
- whole check: frames and seconds of processing for a synthetic live-like sequence;
- error rates at the threshold over the only labelled portraits we have from registry
  packages: 3 photos of one person (3 genuine pairs) and 3 other people (more impostor
  pairs). That is far too few to be a real FAR/FRR: it shows the margin, nothing more.
"""

from __future__ import annotations

import itertools
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from kiosk.devices.camera import VirtualCamera  # noqa: E402
from kiosk.identity.face import DEFAULT_THRESHOLD, FaceMatcher  # noqa: E402
from kiosk.identity.holder_check import HolderCheck, HolderCheckEvent  # noqa: E402
from kiosk.identity.liveness import signals  # noqa: E402
from kiosk.identity.synthetic_frames import SyntheticFace, live_sequence  # noqa: E402

_LOAD_PROBE = """
import json, time
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) * 1024
from kiosk.identity import models as m
before = rss(); started = time.perf_counter()
m.models()
print(json.dumps({"load_s": time.perf_counter() - started, "rss_delta_mb": (rss() - before) / 2**20}))
"""


def _model_load() -> dict:
    done = subprocess.run([sys.executable, "-c", _LOAD_PROBE], capture_output=True, text=True,
                          cwd=REPO, timeout=120, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return {"model_load_s": round(figures["load_s"], 3),
            "model_rss_delta_mb": round(figures["rss_delta_mb"], 1)}


def _portraits(quick: bool) -> dict[str, np.ndarray]:
    from skimage import data

    images = {"astronaut": cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)}
    if quick:
        return images
    sys.path.insert(0, str(REPO / "tests" / "identity"))
    from face_fixtures import NAMES, fetch_public_images

    folder = fetch_public_images()
    for name in NAMES:
        images[name.removesuffix(".jpg")] = cv2.imread(str(folder / name))
    return images


def _per_frame(matcher: FaceMatcher, frames: list[np.ndarray]) -> dict:
    detect, landmarks = [], []
    for frame in frames:
        started = time.perf_counter()
        sighting = matcher.look(frame)
        detect.append(time.perf_counter() - started)
        if sighting.box is None:
            continue
        started = time.perf_counter()
        rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
        shape = matcher.models.landmarks68(rgb, sighting.box.rectangle())
        signals(np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64))
        landmarks.append(time.perf_counter() - started)
    return {"frame_detect_median_s": round(statistics.median(detect), 4),
            "frame_landmarks68_median_s": round(statistics.median(landmarks), 4),
            "frame_total_median_s": round(statistics.median(detect) + statistics.median(landmarks), 4),
            "frame_size": list(frames[0].shape[:2])}


def _holder_check(matcher: FaceMatcher, frames: list[np.ndarray], chip: np.ndarray,
                  seeds: int) -> dict:
    latencies, totals, counts = [], [], []
    for seed in range(seeds):
        reads: list[float] = []
        decided: list[float] = []
        camera = VirtualCamera(frames, loop=True)
        original_read = camera.read

        def read(original=original_read, reads=reads):  # noqa: ANN001, ANN202
            frame = original()
            reads.append(time.perf_counter())
            return frame

        camera.read = read  # type: ignore[method-assign]

        def on_progress(event: HolderCheckEvent, decided=decided) -> None:
            if event.decision is not None:
                decided.append(time.perf_counter())

        check = HolderCheck(matcher, camera, rng=random.Random(seed),
                            clock=lambda camera=camera: camera.position_s, on_progress=on_progress)
        started = time.perf_counter()
        _, encoded = cv2.imencode(".jpg", chip)
        outcome = check.run(encoded.tobytes())
        totals.append(time.perf_counter() - started)
        if not outcome.passed or not decided:
            raise RuntimeError(f"the synthetic sequence did not pass (seed {seed}): {outcome}")
        latencies.append(decided[0] - reads[-1])
        counts.append(camera.frames_read)
    return {"decision_after_last_frame_s": round(max(latencies), 4),
            "decision_after_last_frame_goal_s": 1.0,
            "check_frames_median": statistics.median(counts),
            "check_processing_s_median": round(statistics.median(totals), 3),
            "check_seeds": seeds}


def _error_rates(matcher: FaceMatcher, images: dict[str, np.ndarray]) -> dict:
    templates = {}
    for name, image in images.items():
        _, encoded = cv2.imencode(".jpg", image)
        templates[name] = matcher.enroll_chip_photo(encoded.tobytes())

    def person(name: str) -> str:
        return "obama" if name.startswith("obama") else name

    genuine, impostor = [], []
    for a, b in itertools.combinations(sorted(templates), 2):
        (genuine if person(a) == person(b) else impostor).append(templates[a].distance(templates[b]))
    for template in templates.values():
        template.wipe()
    threshold = matcher.threshold
    figures = {"threshold": threshold, "genuine_pairs": len(genuine),
               "impostor_pairs": len(impostor),
               "note": "a handful of public-domain portraits: shows the margin, not a real FAR/FRR"}
    if genuine:
        figures |= {"frr": sum(d > threshold for d in genuine) / len(genuine),
                    "genuine_distance_max": round(max(genuine), 3)}
    if impostor:
        figures |= {"far": sum(d <= threshold for d in impostor) / len(impostor),
                    "impostor_distance_min": round(min(impostor), 3)}
    return figures


def run(quick: bool = False) -> dict:
    figures: dict = {}
    if not quick:
        figures |= _model_load()
    started = time.perf_counter()
    matcher = FaceMatcher(DEFAULT_THRESHOLD)
    matcher.models  # noqa: B018 - loaded here (in-process figure below)
    figures["model_load_in_process_s"] = round(time.perf_counter() - started, 3)
    images = _portraits(quick)
    base = images["astronaut"] if quick else images["obama"]
    started = time.perf_counter()
    face = SyntheticFace(base, matcher.models)
    frames = live_sequence(face, rounds=3)
    figures["synthetic_sequence_frames"] = len(frames)
    figures["synthetic_sequence_make_s"] = round(time.perf_counter() - started, 2)
    # Per-frame cost on a kiosk camera's 640 x 480 frames.
    camera_frames = [cv2.resize(f, (480, 640)) if f.shape[0] > f.shape[1] else
                     cv2.resize(f, (640, 480)) for f in frames[: 12 if quick else 48]]
    figures |= _per_frame(matcher, camera_frames)
    chip = images["astronaut"] if quick else images["obama3"]
    figures |= _holder_check(matcher, frames, chip, seeds=1 if quick else 5)
    figures |= _error_rates(matcher, images)
    face.forget()
    return figures


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
