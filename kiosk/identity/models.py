"""The face models: dlib's detector, landmark predictors and ResNet embedding network.

The weights ship inside the ``face-recognition-models`` package (installed from PyPI with
the kiosk); nothing is downloaded at run time. They weigh ~130 MB and take about a
second to load, so they are loaded once per process, on first use, behind a lock (the
UI worker and a technician's command may ask at the same time).

The package's own ``__init__`` imports ``pkg_resources``, which recent setuptools no
longer ships: the files are located from the package's folder without importing it.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dlib

from kiosk.errors import KioskError
from kiosk.processes import return_freed_memory

__all__ = ["FaceModels", "ModelsMissing", "models", "models_folder", "release"]

log = logging.getLogger(__name__)

FILES = {
    "landmarks5": "shape_predictor_5_face_landmarks.dat",
    "landmarks68": "shape_predictor_68_face_landmarks.dat",
    "embedding": "dlib_face_recognition_resnet_model_v1.dat",
}


class ModelsMissing(KioskError):
    """The face model files are not installed; the message says how to install them."""


@dataclass(frozen=True)
class FaceModels:
    """The loaded models; dlib objects are read-only after loading and safe to share."""

    detector: Any          # dlib.fhog_object_detector: HOG + linear SVM frontal face detector
    landmarks5: Any        # dlib.shape_predictor: eye corners and nose, for alignment
    landmarks68: Any       # dlib.shape_predictor: iBUG 300-W 68 points, for liveness
    embedding: Any         # dlib.face_recognition_model_v1: ResNet-34, 128-d descriptor
    load_s: float


def models_folder() -> Path:
    """The folder of face-recognition-models' .dat files, found without importing the package."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise ModelsMissing("the face models are not installed: run "
                            "`pip install face-recognition-models` in the kiosk's environment")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


_lock = threading.Lock()
_loaded: FaceModels | None = None


def models() -> FaceModels:
    """The models, loaded on first call (about a second), then shared."""
    global _loaded
    if _loaded is not None:
        return _loaded
    with _lock:
        if _loaded is None:
            folder = models_folder()
            paths = {name: folder / file for name, file in FILES.items()}
            missing = [p.name for p in paths.values() if not p.is_file()]
            if missing:
                raise ModelsMissing(f"face model files missing ({', '.join(missing)}): "
                                    "reinstall face-recognition-models")
            started = time.perf_counter()
            loaded = FaceModels(
                detector=dlib.get_frontal_face_detector(),
                landmarks5=dlib.shape_predictor(str(paths["landmarks5"])),
                landmarks68=dlib.shape_predictor(str(paths["landmarks68"])),
                embedding=dlib.face_recognition_model_v1(str(paths["embedding"])),
                load_s=time.perf_counter() - started,
            )
            log.info("face models loaded in %.2f s", loaded.load_s)
            _loaded = loaded
    return _loaded


def release() -> None:
    """Forget the loaded models (about 100 MB): the kiosk holds them only while a verify
    step may need them; the next ``models()`` loads them again."""
    global _loaded
    with _lock:
        released, _loaded = _loaded, None
    if released is not None:
        del released
        return_freed_memory()
