"""Speech output for residents who cannot read the screen well: espeak-ng's Vietnamese
voice (English when the session is in English), through the kiosk's headphone jack.

One utterance at a time: a new one stops the previous. The volume a resident chose is
theirs alone: ``reset()`` at the end of every session puts it back (EN 301 549 §5.1).
No Qt here; the UI calls ``say`` with the text of the screen or the receipt.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from pathlib import Path

from kiosk.processes import die_with_parent, stop

log = logging.getLogger(__name__)

DEFAULT_AMPLITUDE = 100  # espeak-ng's 0..200 scale
AMPLITUDE_STEP = 30
VOICES = {"vi": "vi", "en": "en"}


class Speaker:
    def __init__(self, program: str | None = None, rate_wpm: int = 150,
                 write_to: Path | None = None) -> None:
        """``write_to``: a folder to write WAV files into instead of playing (tests)."""
        self.program = program or shutil.which("espeak-ng")
        self.rate_wpm = rate_wpm
        self.write_to = write_to
        self.amplitude = DEFAULT_AMPLITUDE
        self._lock = threading.Lock()
        self._current: subprocess.Popen[bytes] | None = None
        self.utterances = 0

    @property
    def available(self) -> bool:
        return self.program is not None

    def say(self, text: str, language: str = "vi") -> bool:
        """Speak ``text`` now (stopping anything still being said); False if no voice."""
        if not self.available or not text.strip():
            return False
        command = [self.program, "-v", VOICES.get(language, "vi"), "-a", str(self.amplitude),
                   "-s", str(self.rate_wpm)]
        with self._lock:
            self._stop_locked()
            self.utterances += 1
            if self.write_to is not None:
                self.write_to.mkdir(parents=True, exist_ok=True)
                command += ["-w", str(self.write_to / f"utterance-{self.utterances:03d}.wav")]
            # The text goes on standard input, never on the command line (ps would show it).
            self._current = subprocess.Popen(command + ["--stdin"], stdin=subprocess.PIPE,
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                             preexec_fn=die_with_parent)  # noqa: PLW1509
            assert self._current.stdin is not None
            self._current.stdin.write(text.encode("utf-8"))
            self._current.stdin.close()
        return True

    def wait(self, timeout: float = 30.0) -> None:
        with self._lock:
            current = self._current
        if current is not None:
            current.wait(timeout=timeout)

    def louder(self) -> int:
        self.amplitude = min(200, self.amplitude + AMPLITUDE_STEP)
        return self.amplitude

    def softer(self) -> int:
        self.amplitude = max(10, self.amplitude - AMPLITUDE_STEP)
        return self.amplitude

    def _stop_locked(self) -> None:
        stop(self._current, grace_s=2)
        self._current = None

    def reset(self) -> None:
        """End of session: stop speaking and put the volume back to the default."""
        with self._lock:
            self._stop_locked()
        self.amplitude = DEFAULT_AMPLITUDE
