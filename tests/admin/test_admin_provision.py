"""Provisioning against the portal simulator's enrolment endpoint, and deprovisioning."""

from __future__ import annotations

import os
import stat
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from cryptography import x509

from kiosk.admin.errors import DeprovisionRefused, EnrolmentRefused, ProvisioningFailed
from kiosk.admin.provision import deprovision, enrolment_files, provision
from kiosk.cli import main
from kiosk.config import default_config_file, load_settings

KIOSK_ID = "KIOSK-TX-07"
CENTRE = "HN-00101"


def new_code(portal, kiosk_id: str = KIOSK_ID, centre: str = CENTRE) -> str:
    answer = requests.post(portal.url + "/admin/enrolment-codes",
                           json={"kiosk_id": kiosk_id, "centre_code": centre,
                                 "centre_name": "Trung tâm phường Thanh Xuân"}, timeout=5)
    answer.raise_for_status()
    return answer.json()["code"]


def everything_under(*folders: Path) -> dict[str, bytes | None]:
    state: dict[str, bytes | None] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.exists() else []:
            state[str(path)] = path.read_bytes() if path.is_file() else None
    return state


@pytest.fixture
def settings(kiosk_home):
    return load_settings(demo=True, overrides={"store.key_backend": "keyfile"})


def test_provision_enrols_and_writes_settings(settings, portal):
    """A good code yields certificates for our own keys, 0600 keys, and a settings file."""
    enrolment = provision(settings, portal_url=portal.url, centre_code=CENTRE,
                          enrolment_code=new_code(portal), kiosk_id=KIOSK_ID)
    assert enrolment.changed and enrolment.kiosk_id == KIOSK_ID
    files = enrolment_files(settings)
    device = x509.load_pem_x509_certificate(files.device_cert.read_bytes())
    assert device.not_valid_after_utc > datetime.now(UTC)
    for key in (files.device_key, files.receipt_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    config = tomllib.loads(default_config_file().read_text(encoding="utf-8"))
    assert config["kiosk"]["kiosk_id"] == KIOSK_ID and config["kiosk"]["demo"] is False
    assert config["portal"]["client_cert"] == str(files.device_cert)
    reloaded = load_settings()
    assert reloaded.portal.url == portal.url and reloaded.card.backend == "pcsc"
    registered = requests.get(portal.url + "/admin/kiosks", timeout=5).json()
    assert {"kiosk_id": KIOSK_ID, "centre_code": CENTRE, "status": "active"} in registered


def test_provision_again_is_idempotent(settings, portal):
    """Running the same provisioning twice changes nothing and needs no second code."""
    provision(settings, portal_url=portal.url, centre_code=CENTRE,
              enrolment_code=new_code(portal), kiosk_id=KIOSK_ID)
    before = everything_under(settings.data_dir, settings.config_dir)
    again = provision(settings, portal_url=portal.url, centre_code=CENTRE,
                      enrolment_code="already-used", kiosk_id=KIOSK_ID)
    assert not again.changed
    assert everything_under(settings.data_dir, settings.config_dir) == before


def test_wrong_code_leaves_nothing(settings, portal):
    """A refused code raises EnrolmentRefused and writes no file at all."""
    before = everything_under(settings.data_dir, settings.config_dir)
    with pytest.raises(EnrolmentRefused, match="new code"):
        provision(settings, portal_url=portal.url, centre_code=CENTRE,
                  enrolment_code="WRONG-CODE-1234", kiosk_id=KIOSK_ID)
    assert everything_under(settings.data_dir, settings.config_dir) == before


def test_code_for_another_centre_is_not_kept(settings, portal):
    """A code issued for another centre is detected; no certificate is kept."""
    with pytest.raises(ProvisioningFailed, match="belongs to centre"):
        provision(settings, portal_url=portal.url, centre_code="HCM-00999",
                  enrolment_code=new_code(portal), kiosk_id=KIOSK_ID)
    assert not enrolment_files(settings).folder.exists()
    assert not default_config_file().exists()


def test_unreachable_portal_leaves_nothing(settings):
    """No portal listening: a clear error and no files."""
    before = everything_under(settings.data_dir, settings.config_dir)
    with pytest.raises(ProvisioningFailed, match="cannot be reached"):
        provision(settings, portal_url="http://127.0.0.1:9", centre_code=CENTRE,
                  enrolment_code="ABCD-1234", kiosk_id=KIOSK_ID)
    assert everything_under(settings.data_dir, settings.config_dir) == before


def test_force_reenrols_with_new_keys(settings, portal):
    """--force replaces the enrolment with new keys, atomically, leaving no temporary folder."""
    provision(settings, portal_url=portal.url, centre_code=CENTRE,
              enrolment_code=new_code(portal), kiosk_id=KIOSK_ID)
    old_key = enrolment_files(settings).device_key.read_bytes()
    provision(settings, portal_url=portal.url, centre_code=CENTRE,
              enrolment_code=new_code(portal), kiosk_id=KIOSK_ID, force=True)
    assert enrolment_files(settings).device_key.read_bytes() != old_key
    assert [p.name for p in settings.data_dir.iterdir() if p.name.startswith(".")] == []


def _queue_one(settings) -> None:
    from kiosk.store import Consent, NewDossier, open_configured_store

    store = open_configured_store(settings)
    try:
        store.capture(NewDossier("1.004227", "ct01", "1", {"full_name": "Lê Văn Tám"}, {},
                                 Consent("v1", datetime.now(UTC), ("submit",))))
    finally:
        store.close()


def _export(settings, folder: Path) -> Path:
    from kiosk.store import open_configured_store
    from kiosk.store.backlog import export_backlog

    store = open_configured_store(settings)
    try:
        return export_backlog(store, folder, b"correct horse battery", KIOSK_ID, "tech-1").manifest
    finally:
        store.close()


def test_deprovision_needs_an_export_holding_every_unsent_dossier(settings, portal, tmp_path):
    """Unsent dossiers block deprovisioning until a backlog export holds each of them."""
    provision(settings, portal_url=portal.url, centre_code=CENTRE,
              enrolment_code=new_code(portal), kiosk_id=KIOSK_ID)
    _queue_one(settings)
    with pytest.raises(DeprovisionRefused, match="1 dossier"):
        deprovision(settings)
    stale = _export(settings, tmp_path / "usb-old")
    _queue_one(settings)  # queued after that export was made
    with pytest.raises(DeprovisionRefused, match="1 unsent dossier"):
        deprovision(settings, exported=stale)
    assert settings.database_path.exists()
    manifest = _export(settings, tmp_path / "usb")
    result = deprovision(settings, exported=manifest)
    assert result.unsent_discarded == 2
    assert list(settings.data_dir.iterdir()) == []
    assert not default_config_file().exists()


def test_deprovision_last_resort_without_a_readable_database(settings):
    """A database whose key is gone cannot be counted: refused, unless --discard-unsent."""
    _queue_one(settings)
    for sealed in settings.data_dir.glob("db-key.*"):
        sealed.unlink()
    with pytest.raises(DeprovisionRefused, match="cannot be opened"):
        deprovision(settings)
    deprovision(settings, discard_unsent=True)
    assert not settings.database_path.exists()


def test_provision_and_deprovision_commands(kiosk_home, portal):
    """The CLI: provision prints a summary, deprovision --yes wipes an empty kiosk (exit 0)."""
    runner = CliRunner()
    code = new_code(portal)
    args = ["--demo", "--set", "store.key_backend=keyfile", "provision", "--portal", portal.url,
            "--centre", CENTRE, "--enrolment-code", code, "--kiosk-id", KIOSK_ID,
            "--set-technician-pin"]
    result = runner.invoke(main, args, input="730519\n730519\n")
    assert result.exit_code == 0, result.output
    assert "technician PIN set" in result.output and "730519" not in result.output
    assert "provisioned" in result.output and CENTRE in result.output
    result = runner.invoke(main, ["--set", "store.key_backend=keyfile", "provision", "--portal",
                                  portal.url, "--centre", CENTRE, "--enrolment-code", "x" * 8,
                                  "--kiosk-id", "KIOSK-OTHER-1"])
    assert result.exit_code == 6, result.output
    result = runner.invoke(main, ["deprovision", "--yes"])
    assert result.exit_code == 0, result.output
    assert not os.path.exists(default_config_file())


def test_wrong_code_command_exit_code(kiosk_home, portal):
    """`kiosk provision` with a refused code exits 7 with the portal's reason."""
    result = CliRunner().invoke(main, ["--demo", "provision", "--portal", portal.url,
                                       "--centre", CENTRE, "--enrolment-code", "NOPE-NOPE"])
    assert result.exit_code == 7, result.output
    assert "refused" in result.output


def test_provision_over_tls_then_doctor_is_clean_for_the_portal(kiosk_home, tls_portal):
    """Over HTTPS: enrol with the portal's CA, then the doctor's portal checks all pass."""
    from kiosk.admin import doctor, service_checks
    from kiosk.admin.doctor import Verdict

    settings = load_settings(demo=True, overrides={"store.key_backend": "keyfile"})
    with pytest.raises(ProvisioningFailed, match="not trusted"):
        provision(settings, portal_url=tls_portal.url, centre_code=CENTRE,
                  enrolment_code="ABCD-1234", kiosk_id=KIOSK_ID)
    code = requests.post(tls_portal.url + "/admin/enrolment-codes",
                         json={"kiosk_id": KIOSK_ID, "centre_code": CENTRE},
                         verify=str(tls_portal.ca_file), timeout=5).json()["code"]
    provision(settings, portal_url=tls_portal.url, centre_code=CENTRE, enrolment_code=code,
              kiosk_id=KIOSK_ID, ca_bundle=str(tls_portal.ca_file))
    provisioned = load_settings(overrides={"store.key_backend": "keyfile"})
    assert not provisioned.kiosk.demo
    report = doctor.run(provisioned, [service_checks.check_portal, service_checks.check_portal_tls,
                                      service_checks.check_clock,
                                      service_checks.check_certificates])
    assert [f.verdict for f in report.findings] == [Verdict.OK] * 4, report.as_text()
    assert report.findings[1].details["days_left"] > 300
