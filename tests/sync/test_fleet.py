"""Fleet behaviour: kiosks with queued dossiers reconnecting after a portal outage (bounded;
bench/bench_sync.py runs 200 kiosks)."""

from __future__ import annotations

from pathlib import Path

from fleet import run_fleet


def test_reconnection_peak_stays_within_twice_steady_with_jitter_and_spikes_without(tmp_path: Path) -> None:
    """100 kiosks, each with a queued dossier, probe a portal that is down for 5 s. With jitter
    the busiest quarter of the reconnection window stays within 2× the even-spread rate and
    every queue drains; without jitter the same fleet comes back in a visibly sharper spike."""
    options = dict(kiosks=100, dossiers_each=1, probe_base_s=0.05, probe_cap_s=1.0, outage_s=5.0, bins=4)
    spread = run_fleet(tmp_path / "jitter", jitter=True, **options)
    herd = run_fleet(tmp_path / "herd", jitter=False, **options)
    print(f"peak/steady with jitter {spread.peak_ratio:.2f} {spread.counts} (planned "
          f"{spread.scheduled_peak_ratio:.2f}); without {herd.peak_ratio:.2f} {herd.counts} (planned "
          f"{herd.scheduled_peak_ratio:.2f})")
    assert spread.drained and herd.drained
    assert spread.requests <= 2 * spread.dossiers + 5  # one probe + one POST per kiosk, give or take
    assert spread.peak_ratio <= 2.0
    assert herd.peak_ratio > spread.peak_ratio
    # What the kiosks planned: without jitter they all meant to come back at the same moment.
    assert spread.scheduled_peak_ratio <= 2.0
    assert herd.scheduled_peak_ratio > spread.scheduled_peak_ratio
