"""Background work for the UI: one call, a result or an error back on the UI thread.

After Anki's QueryOp: the operation receives no UI object; ``on_success`` and
``on_failure`` run on the UI thread (Qt queues the signal from the worker thread to the
bridge object, which lives on the UI thread). The UI never waits and never spins a nested
event loop. Progress reports, if any, arrive the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Bridge(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(str, float)


class _Job(QRunnable):
    def __init__(self, operation: Callable[[Callable[[str, float], None]], Any], bridge: _Bridge) -> None:
        super().__init__()
        self.operation = operation
        self.bridge = bridge
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.operation(lambda stage, fraction: self.bridge.progressed.emit(stage, fraction))
        except Exception as error:  # noqa: BLE001 - every failure goes back to the UI, typed
            self.bridge.failed.emit(error)
        else:
            self.bridge.succeeded.emit(result)


class Workers:
    """Runs operations on a small thread pool; keeps each job's bridge alive until it reports."""

    def __init__(self, max_threads: int = 4) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(max_threads)
        self._bridges: set[_Bridge] = set()

    def run(self, operation: Callable[[Callable[[str, float], None]], Any],
            on_success: Callable[[Any], None], on_failure: Callable[[Exception], None],
            on_progress: Callable[[str, float], None] | None = None) -> None:
        bridge = _Bridge()
        self._bridges.add(bridge)

        def done(callback: Callable[[Any], None], value: Any) -> None:
            self._bridges.discard(bridge)
            callback(value)

        bridge.succeeded.connect(lambda value: done(on_success, value))
        bridge.failed.connect(lambda error: done(on_failure, error))
        if on_progress is not None:
            bridge.progressed.connect(on_progress)
        self.pool.start(_Job(operation, bridge))

    def busy(self) -> bool:
        return bool(self._bridges)

    def wait(self, milliseconds: int = 30_000) -> bool:
        """For shutdown and tests only: the UI itself never waits."""
        return self.pool.waitForDone(milliseconds)
