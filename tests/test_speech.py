"""Speech output: Vietnamese through espeak-ng, one utterance at a time, volume reset."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from kiosk.speech import DEFAULT_AMPLITUDE, Speaker


@pytest.fixture
def speaker(tmp_path: Path) -> Speaker:
    found = Speaker(write_to=tmp_path)
    if not found.available:
        pytest.skip("espeak-ng not installed (scripts/apt-run.txt installs it)")
    return found


def test_vietnamese_receipt_is_spoken(speaker: Speaker, tmp_path: Path) -> None:
    """A Vietnamese sentence becomes audible speech: a WAV file of a plausible length."""
    assert speaker.say("Hồ sơ của bạn đã được tiếp nhận. Mã hồ sơ: H, không một, chấm, không không một.")
    speaker.wait()
    files = list(tmp_path.glob("*.wav"))
    assert len(files) == 1
    with wave.open(str(files[0])) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    assert 2.0 < seconds < 30.0


def test_volume_is_the_residents_own(speaker: Speaker) -> None:
    """A resident may raise the volume; the next resident starts at the default again."""
    speaker.louder()
    speaker.louder()
    assert speaker.amplitude > DEFAULT_AMPLITUDE
    speaker.reset()
    assert speaker.amplitude == DEFAULT_AMPLITUDE


def test_nothing_to_say_and_no_voice(tmp_path: Path) -> None:
    """Blank text says nothing; a kiosk without espeak-ng reports it instead of failing."""
    mute = Speaker(program=None, write_to=tmp_path)
    mute.program = None
    assert not mute.available and not mute.say("Xin chào")
    assert not Speaker(write_to=tmp_path).say("   ")
