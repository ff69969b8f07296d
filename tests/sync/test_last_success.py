"""The time of the last successful sync survives restarts, for the technician's doctor."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.sync.status import last_success, record_success


def test_last_success_round_trip(demo_settings) -> None:
    """Never synchronised → None; after a success the same moment is read back."""
    assert last_success(demo_settings) is None
    moment = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    record_success(demo_settings, moment)
    assert last_success(demo_settings) == moment


def test_garbled_file_reads_as_never(demo_settings) -> None:
    """A damaged record is not a crash: the doctor then reports 'never synchronised'."""
    record_success(demo_settings, datetime.now(UTC))
    path = demo_settings.data_dir / "sync" / "last_success"
    path.write_text("yesterday-ish", encoding="ascii")
    assert last_success(demo_settings) is None
