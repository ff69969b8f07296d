"""``kiosk outbox``: every subcommand, --json, redaction, demo-only seeding (issue 4 §8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_samples import SECRET_ID, SECRET_NAME, secret_dossier

from kiosk.cli import main
from kiosk.store import open_configured_store, open_store
from kiosk.store.backlog import export_key


@pytest.fixture
def run(kiosk_home: Path):
    passphrase = kiosk_home / "passphrase"
    passphrase.write_text("correct horse battery staple\n")
    base = ["--set", f"paths.data_dir={kiosk_home / 'data'}", "--set", "store.key_backend=keyfile",
            "--set", f"store.key_passphrase_file={passphrase}"]

    def invoke(*args: str, demo: bool = True, ok: bool = True):
        flags = ["--demo"] if demo else ["--no-demo", "--set", "portal.url=https://portal.test",
                                         "--set", "card.backend=pcsc"]
        result = CliRunner().invoke(main, [*flags, *base, "outbox", *args])
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return invoke


@pytest.fixture
def settings(run, kiosk_home):
    from kiosk.config import load_settings

    return load_settings(demo=True, overrides={
        "paths.data_dir": str(kiosk_home / "data"), "store.key_backend": "keyfile",
        "store.key_passphrase_file": str(kiosk_home / "passphrase")})


def _json(result) -> object:
    return json.loads(result.output)


def test_seed_demo_list_and_stats(run):
    """seed-demo creates N queued dossiers; list and stats report them without personal data."""
    created = _json(run("seed-demo", "--count", "7", "--json"))
    assert created["created"] == 7
    listed = _json(run("list", "--json"))
    assert len(listed) == 7 and {i["state"] for i in listed} == {"queued"}
    assert _json(run("stats", "--json"))["queued"] == 7
    plain = run("list").output + run("stats").output
    assert "Nguyễn" not in plain and "001090012345" not in plain
    assert len(_json(run("list", "--state", "accepted", "--json"))) == 0
    assert len(_json(run("list", "--limit", "3", "--json"))) == 3


def test_seed_demo_refuses_outside_demo_mode(run):
    """Outside demo mode seed-demo exits 2 with a message and creates nothing."""
    result = run("seed-demo", "--count", "2", demo=False, ok=False)
    assert result.exit_code == 2 and "demo mode" in result.output


def test_show_redacts_unless_reveal_and_reveal_is_audited(run, settings):
    """show hides payload values and attachment names; --reveal shows them and is audited."""
    with open_configured_store(settings) as store:
        sid = store.capture(secret_dossier()).submission_id
    hidden = run("show", sid, "--json").output
    assert SECRET_NAME not in hidden and SECRET_ID not in hidden
    data = json.loads(hidden)
    assert data["payload"]["applicant"]["full_name"] == "•••"
    assert data["attachments"][0]["name"] == "•••"
    revealed = _json(run("show", sid, "--reveal", "--by", "tech-7", "--json"))
    assert revealed["payload"]["applicant"]["full_name"] == SECRET_NAME
    assert revealed["history"][-1]["action"] == "outbox.revealed"
    assert revealed["history"][-1]["actor"] == "technician:tech-7"
    text = run("show", sid).output
    assert "state:" in text and SECRET_NAME not in text


def test_retry_quarantine_resolve(run, settings):
    """retry makes an item due; quarantine lists rejected items with a masked reason;
    resolve --requeue sends it again; unknown ids exit 2."""
    with open_configured_store(settings) as store:
        a = store.capture(secret_dossier()).submission_id
        item = store.claim_next("sender", 30)
        store.quarantine(item.submission_id, "sender", reason=f"422 ID {SECRET_ID} invalid",
                         details={})
        b = store.capture(secret_dossier()).submission_id
    assert _json(run("retry", b, "--json"))["state"] == "queued"
    listed = _json(run("quarantine", "--json"))
    assert [i["submission_id"] for i in listed] == [a]
    assert SECRET_ID not in json.dumps(listed)
    assert run("retry", a, ok=False).exit_code == 2  # quarantined: use resolve
    assert run("resolve", a, ok=False).exit_code == 2  # must choose an action
    assert _json(run("resolve", a, "--requeue", "--json"))["state"] == "queued"
    assert _json(run("quarantine", "--json")) == []
    missing = run("show", "00000000-0000-4000-8000-000000000000", ok=False)
    assert missing.exit_code == 2 and "no dossier" in missing.output


def test_purge_dry_run_and_real(run, settings, kiosk_home):
    """purge --dry-run names what is due without touching it; purge then drops it."""
    from dataclasses import replace

    zero_day = replace(settings, store=replace(settings.store, retention_days=0))
    with open_configured_store(zero_day) as store:
        sid = store.capture(secret_dossier()).submission_id
        store.claim_next("s", 30)
        store.mark_accepted(sid, "s", official_code="OC-1", receiving_unit="U", due_date=None,
                            response={})
        kept = store.capture(secret_dossier()).submission_id
    assert _json(run("purge", "--dry-run", "--json"))["submission_ids"] == [sid]
    assert _json(run("show", sid, "--json"))["purged"] is False
    report = _json(run("purge", "--json"))
    assert report["submission_ids"] == [sid] and report["vacuumed"]
    shown = _json(run("show", sid, "--json"))
    assert shown["purged"] and shown["payload"] is None and shown["official_code"] == "OC-1"
    assert _json(run("show", kept, "--json"))["purged"] is False


def test_export_carries_the_backlog_encrypted(run, settings, tmp_path):
    """export writes an encrypted database (openable only with the passphrase) holding the
    unsent dossiers and their parents, and a manifest without personal data."""
    with open_configured_store(settings) as store:
        parent = store.capture(secret_dossier()).submission_id
        store.claim_next("s", 30)
        store.mark_accepted(parent, "s", official_code="OC-P", receiving_unit="U",
                            due_date=None, response={})
        from store_samples import dossier

        child = store.capture(dossier({"child": 1}, depends_on=(parent,))).submission_id
        waiting = store.capture(secret_dossier()).submission_id
    phrase = tmp_path / "export-pass"
    phrase.write_text("an export passphrase 42\n")
    result = _json(run("export", "--to", str(tmp_path / "usb"), "--passphrase-file", str(phrase),
                       "--json"))
    assert result["dossiers"] == 3
    manifest = Path(result["manifest"])
    assert SECRET_NAME not in manifest.read_text() and SECRET_ID not in manifest.read_text()
    database = Path(result["database"])
    assert SECRET_ID.encode() not in database.read_bytes()
    assert sorted(p.name for p in database.parent.iterdir()) == sorted(
        [database.name, manifest.name])  # one self-contained file and its manifest
    key = export_key(manifest, b"an export passphrase 42")
    with open_store(database, key, create=False) as exported:
        ids = {i.submission_id: i.state for i in exported.list_items()}
        assert ids == {parent: "accepted", child: "queued", waiting: "queued"}
        assert SECRET_NAME.encode() in exported.get(waiting).payload_bytes
        assert exported.verify_audit().ok
    from kiosk.store import WrongKey

    with pytest.raises(WrongKey):
        open_store(database, export_key(manifest, b"not the right passphrase"), create=False)


def test_verify_reports_ok(run):
    """verify checks the audit chain and pages and exits 0 on a healthy store."""
    run("seed-demo", "--count", "2")
    data = _json(run("verify", "--json"))
    assert data["audit"]["ok"] and data["integrity_problems"] == []


def test_rotate_key_keeps_the_queue(run):
    """rotate-key re-encrypts the store and the queue is unchanged afterwards."""
    run("seed-demo", "--count", "3")
    run("rotate-key", "--json")
    assert _json(run("stats", "--json"))["queued"] == 3
