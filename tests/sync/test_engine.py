"""The engine's workers, its status callback, status polling and the `kiosk sync` commands."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from click.testing import CliRunner
from sync_fixtures import Portal, dossier, sync_settings

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.store import Store, open_store
from kiosk.store.keys import load_or_create_key
from kiosk.sync import PortalClient, SyncEngine, SyncStatus
from kiosk.sync.status import StatusPoller


def test_workers_drain_and_report_through_the_callback(store: Store, portal: Portal) -> None:
    """Started workers go offline during an outage (reported once through on_status), resume
    when the portal returns, drain the queue and report online with nothing queued."""
    seen: list[SyncStatus] = []
    drained = threading.Event()

    def on_status(status: SyncStatus) -> None:
        seen.append(status)
        if status.state == "online" and status.queued == 0 and status.accepted == 6:
            drained.set()

    portal.faults("outage=1")
    for number in range(6):
        store.capture(dossier(number))
    settings = sync_settings(**{"sync.workers": 2})
    engine = SyncEngine(store, PortalClient.from_settings(settings, portal.url), settings, on_status)
    engine.start()
    try:
        deadline = time.monotonic() + 10
        while not any(status.state == "offline" for status in seen):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        portal.faults("")
        assert drained.wait(15), seen[-1]
    finally:
        engine.stop()
    assert len(portal.submissions()) == 6
    assert all(status.queued + status.accepted + status.sending == 6 for status in seen)


def test_status_poller_brings_portal_status_home(store: Store, portal: Portal) -> None:
    """After the back office moves a dossier on, the poller records the new status locally."""
    item = store.capture(dossier(1))
    settings = sync_settings()
    client = PortalClient.from_settings(settings, portal.url)
    SyncEngine(store, client, settings).run_once()
    portal.admin("PUT", f"/submissions/{item.submission_id}/status", json={"status": "result_ready"})
    assert StatusPoller(store, client).poll() == 1
    assert store.get(item.submission_id).portal_status == "result_ready"
    assert StatusPoller(store, client).poll() == 0  # final: not asked again


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    return {"KIOSK_DEMO": "1", "KIOSK_PORTAL_URL": url, "KIOSK_PATHS_DATA_DIR": str(tmp_path / "data"),
            "KIOSK_SYNC_WORKERS": "1", "KIOSK_SYNC_BACKOFF_BASE_S": "0.01", "KIOSK_SYNC_BACKOFF_CAP_S": "0.02"}


def test_sync_commands(tmp_path: Path, portal: Portal, monkeypatch) -> None:  # noqa: ANN001
    """`kiosk sync status --json` shows the queue and the connection; `kiosk sync run --once`
    sends what is due and exits 0, or exits 3 when the portal cannot be reached."""
    env = _env(tmp_path, portal.url)
    for key in list(os.environ):
        if key.startswith("KIOSK_"):
            monkeypatch.delenv(key)
    settings = load_settings(demo=True, environ=env)
    store = open_store(settings.database_path, load_or_create_key(settings))
    for number in range(3):
        store.capture(dossier(number))
    store.close()
    runner = CliRunner()
    status = runner.invoke(main, ["sync", "status", "--json"], env=env)
    assert status.exit_code == 0, status.output
    data = json.loads(status.output)
    assert (data["state"], data["queued"]) == ("online", 3)
    portal.faults("outage=1")
    offline = runner.invoke(main, ["sync", "run", "--once"], env=env)
    assert offline.exit_code == 3
    assert json.loads(offline.output.splitlines()[-1])["state"] == "offline"
    portal.faults("")
    sent = runner.invoke(main, ["sync", "run", "--once"], env=env)
    assert sent.exit_code == 0, sent.output
    assert json.loads(sent.output.splitlines()[-1])["attempts"] == {"accepted": 3}
    human = runner.invoke(main, ["sync", "status", "--offline"], env=env)
    assert "accepted: 3" in human.output


def test_status_without_a_database_does_not_create_one(tmp_path: Path, portal: Portal) -> None:
    """Asking for the status of a kiosk with no database reports it instead of creating one."""
    env = _env(tmp_path, portal.url)
    result = CliRunner().invoke(main, ["sync", "status", "--offline"], env=env)
    assert result.exit_code != 0
    assert "no kiosk database" in result.output
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())


def test_demo_engine_applies_the_simulators_catalogue(store: Store, tmp_path: Path) -> None:
    """In demo mode on loopback the maintenance worker fetches, verifies and applies the
    simulator's signed catalogue (anchored on the simulator's CA)."""
    from sync_fixtures import start_portal

    from kiosk.sync.catalogue import catalogue_sync_for, current

    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "birth.yaml").write_text("procedure_code: '1.000894'\n", encoding="utf-8")
    running = start_portal(tmp_path, forms_dir=forms)
    try:
        settings = sync_settings(**{"paths.data_dir": str(tmp_path / "data")})
        client = PortalClient.from_settings(settings, running.url)
        engine = SyncEngine(store, client, settings, catalogue=catalogue_sync_for(settings, client))
        engine.start()
        deadline = time.monotonic() + 10
        while current(tmp_path / "data" / "catalogue") is None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        engine.stop()
        applied = current(tmp_path / "data" / "catalogue")
        assert (applied.folder / "birth.yaml").read_text(encoding="utf-8").startswith("procedure_code")
        assert engine.status().catalogue_version == applied.version
    finally:
        running.server.stop()


def test_sync_run_stops_cleanly_on_sigterm(tmp_path: Path, portal: Portal) -> None:
    """`kiosk sync run` (as systemd stops it) finishes the dossier in hand, exits 0 and leaves
    nothing in "sending"; what was not sent stays queued."""
    import signal
    import subprocess
    import sys

    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}, **_env(tmp_path, portal.url)}
    settings = load_settings(demo=True, environ=env)
    store = open_store(settings.database_path, load_or_create_key(settings))
    for number in range(40):
        store.capture(dossier(number))
    store.close()
    portal.faults("submissions:latency=0.2")
    process = subprocess.Popen([sys.executable, "-m", "kiosk", "sync", "run"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while len(portal.submissions()) < 3:
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0, process.stderr.read().decode()[-1000:]
    process.stderr.close()
    store = open_store(settings.database_path, load_or_create_key(settings))
    try:
        stats = store.queue_stats()
        assert stats.sending == 0
        assert stats.accepted == len(portal.submissions()) and stats.queued == 40 - stats.accepted > 0
    finally:
        store.close()
