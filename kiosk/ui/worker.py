"""Background work for the UI: one call, a result or an error back on the UI thread.

After Anki's QueryOp: the operation receives no UI object; ``on_success`` and
``on_failure`` run on the UI thread (Qt queues the signal from the worker thread to the
bridge object, which lives on the UI thread). The UI never waits and never spins a nested
event loop. Progress reports, if any, arrive the same way.

One bridge object serves every job, created with the pool on the UI thread and living as
long as it: a QObject per job would sometimes lose its last reference on the worker
thread and be destroyed there, away from its own thread, which crashes Qt.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Report = Callable[[str, float], None]


class _Bridge(QObject):
    succeeded = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, str, float)


class _Job(QRunnable):
    def __init__(self, job_id: int, operation: Callable[[Report], Any], bridge: _Bridge) -> None:
        super().__init__()
        self.job_id = job_id
        self.operation = operation
        self.bridge = bridge
        self.setAutoDelete(True)

    def run(self) -> None:
        bridge, job_id = self.bridge, self.job_id
        try:
            result = self.operation(lambda stage, fraction: bridge.progressed.emit(job_id, stage,
                                                                                 fraction))
        except Exception as error:  # noqa: BLE001 - every failure goes back to the UI, typed
            bridge.failed.emit(job_id, error)
        else:
            bridge.succeeded.emit(job_id, result)


class Workers:
    """Runs operations on a small thread pool; callbacks come back on the UI thread."""

    def __init__(self, max_threads: int = 4) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(max_threads)
        self._bridge = _Bridge()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._callbacks: dict[int, tuple[Callable, Callable, Callable | None]] = {}
        self._bridge.succeeded.connect(self._succeeded)
        self._bridge.failed.connect(self._failed)
        self._bridge.progressed.connect(self._progressed)

    def run(self, operation: Callable[[Report], Any], on_success: Callable[[Any], None],
            on_failure: Callable[[Exception], None], on_progress: Report | None = None) -> None:
        job_id = next(self._ids)
        with self._lock:
            self._callbacks[job_id] = (on_success, on_failure, on_progress)
        self.pool.start(_Job(job_id, operation, self._bridge))

    def _take(self, job_id: int) -> tuple[Callable, Callable, Callable | None] | None:
        with self._lock:
            return self._callbacks.pop(job_id, None)

    def _succeeded(self, job_id: int, result: Any) -> None:
        callbacks = self._take(job_id)
        if callbacks is not None:
            callbacks[0](result)

    def _failed(self, job_id: int, error: Any) -> None:
        callbacks = self._take(job_id)
        if callbacks is not None:
            callbacks[1](error)

    def _progressed(self, job_id: int, stage: str, fraction: float) -> None:
        with self._lock:
            callbacks = self._callbacks.get(job_id)
        if callbacks is not None and callbacks[2] is not None:
            callbacks[2](stage, fraction)

    def busy(self) -> bool:
        with self._lock:
            return bool(self._callbacks)

    def wait(self, milliseconds: int = 30_000) -> bool:
        """For shutdown and tests only: the UI itself never waits."""
        return self.pool.waitForDone(milliseconds)
