"""`kiosk doctor`: each check's verdict and fix, the exit code, and no personal data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import requests
from click.testing import CliRunner

from kiosk.admin import doctor, host_checks, service_checks
from kiosk.admin.doctor import Verdict
from kiosk.cli import main

RESIDENT = {"full_name": "Trần Thị Bích Ngọc", "id_number": "079301004321",
            "date_of_birth": "14/02/1993", "phone": "0912345678",
            "residence": "Số 12 ngõ 34 Nguyễn Trãi, Thanh Xuân, Hà Nội"}


def settings_with(**overrides: str):
    from kiosk.config import load_settings

    return load_settings(demo=True, overrides={"store.key_backend": "keyfile", **overrides})


def finding(report, name: str):
    return next(f for f in report.findings if f.check == name)


def test_demo_kiosk_report_covers_every_check(kiosk_home):
    """Every check appears once, with a verdict, and the exit code is the worst verdict."""
    report = doctor.run(settings_with())
    names = [f.check for f in report.findings]
    assert names == ["versions", "pcscd", "card readers", "printer", "disk space", "portal",
                     "portal tls", "clock", "certificates", "database", "queue", "catalogue",
                     "last sync", "release"]
    versions = finding(report, "versions").details
    assert versions["qt_pyside6"] and versions["sqlcipher"] and versions["kiosk"]
    assert report.exit_code == report.worst.exit_code
    for item in report.findings:
        assert item.verdict == Verdict.OK or item.fix, f"{item.check} has no fix"


def test_pcscd_absent_is_a_failure_with_its_fix(kiosk_home, tmp_path):
    """With no PC/SC service listening, pcscd and readers fail and the exit code is 10.

    Run as a separate process: libpcsclite remembers the socket name for the life of a
    process, so pointing it at a dead socket here would break later PC/SC tests.
    """
    env = {**os.environ, "PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm")}
    result = subprocess.run([sys.executable, "-m", "kiosk", "--demo", "--set",
                             "card.backend=pcsc", "--set", "store.key_backend=keyfile",
                             "doctor", "--json"], capture_output=True, text=True, env=env,
                            timeout=60, check=False)
    data = json.loads(result.stdout)
    verdicts = {f["check"]: f for f in data["findings"]}
    assert verdicts["pcscd"]["verdict"] == "failure"
    assert "systemctl start pcscd" in verdicts["pcscd"]["fix"]
    assert verdicts["card readers"]["verdict"] == "failure"
    assert result.returncode == 10


def test_missing_cups_queue_is_a_failure(kiosk_home):
    """A configured CUPS queue that does not exist is reported with what to check."""
    settings = settings_with(**{"printer.backend": "cups", "printer.queue": "no-such-queue-x"})
    result = host_checks.check_printer(doctor.Probe(settings))
    assert result.verdict == Verdict.FAILURE and "no-such-queue-x" in result.summary


def test_portal_reachable_and_clock_in_step(kiosk_home, portal):
    """Against the portal simulator: reachable, and the clock within a second of the portal's."""
    settings = settings_with(**{"portal.url": portal.url})
    report = doctor.run(settings, [service_checks.check_portal, service_checks.check_clock])
    assert [f.verdict for f in report.findings] == [Verdict.OK, Verdict.OK]
    assert abs(report.findings[1].details["skew_s"]) < 2


def test_clock_skew_against_the_portal_is_a_failure(kiosk_home, portal):
    """A portal clock ten minutes away from ours fails the clock check with a time-sync fix."""
    requests.put(portal.url + "/admin/rules", json={"time_offset_s": 600}, timeout=5)
    settings = settings_with(**{"portal.url": portal.url})
    result = doctor.run(settings, [service_checks.check_clock]).findings[0]
    assert result.verdict == Verdict.FAILURE and "timedatectl" in result.fix
    assert result.details["skew_s"] == pytest.approx(-600, abs=5)


def test_unreachable_portal_fails_and_clock_cannot_compare(kiosk_home):
    """A portal that does not answer: failure for reachability, warning for the clock."""
    settings = settings_with(**{"portal.url": "http://127.0.0.1:9", "portal.connect_timeout_s": "1"})
    report = doctor.run(settings, [service_checks.check_portal, service_checks.check_clock])
    assert [f.verdict for f in report.findings] == [Verdict.FAILURE, Verdict.WARNING]


def test_crashing_check_is_reported_not_raised(kiosk_home):
    """A check that raises becomes a failure finding; the other checks still run."""
    def check_broken(probe):
        raise RuntimeError("boom")

    report = doctor.run(settings_with(), [check_broken, host_checks.check_disk_space])
    assert report.findings[0].verdict == Verdict.FAILURE
    assert report.findings[1].check == "disk space"


def _seed_store(settings) -> None:
    from kiosk.store import Consent, NewDossier, open_configured_store

    store = open_configured_store(settings)
    try:
        store.capture(NewDossier(
            procedure_code="1.004227", form_id="ct01", form_version="1",
            payload=dict(RESIDENT), provenance={"full_name": "DG13.2"},
            consent=Consent("v1", datetime.now(UTC), ("submit",))))
    finally:
        store.close()


def test_store_checks_and_no_personal_data_in_the_report(kiosk_home):
    """With a dossier full of personal data queued, the report counts it and shows none of it."""
    settings = settings_with()
    _seed_store(settings)
    report = doctor.run(settings)
    queue = finding(report, "queue")
    assert queue.details["queued"] == 1
    assert finding(report, "database").verdict in (Verdict.OK, Verdict.WARNING)
    assert finding(report, "database").details["audit_entries"] >= 1
    text = report.as_text() + report.as_json()
    for value in RESIDENT.values():
        assert value not in text
    assert "079301004321" not in json.dumps(report.as_dict(), ensure_ascii=False)


def test_doctor_command_json_and_exit_code(kiosk_home):
    """`kiosk doctor --json` prints the report and exits with the worst verdict's code."""
    result = CliRunner().invoke(main, ["--demo", "--set", "store.key_backend=keyfile",
                                       "doctor", "--json"])
    data = json.loads(result.output)
    assert result.exit_code == Verdict(data["worst"]).exit_code
    assert {f["check"] for f in data["findings"]} >= {"pcscd", "queue", "clock"}


def _certificate(days_left: int) -> bytes:
    from datetime import timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "KIOSK-TEST")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=400))
            .not_valid_after(now + timedelta(days=days_left)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.mark.parametrize(("device_days", "receipt_days", "expected"), [
    (400, 400, Verdict.OK), (400, 10, Verdict.WARNING), (-1, 400, Verdict.FAILURE)])
def test_certificate_expiry(kiosk_home, device_days, receipt_days, expected):
    """The worst of the device and receipt certificates decides; expired is a failure."""
    from kiosk.admin.provision import enrolment_files

    settings = settings_with()
    files = enrolment_files(settings)
    files.folder.mkdir(parents=True)
    files.device_cert.write_bytes(_certificate(device_days))
    files.receipt_cert.write_bytes(_certificate(receipt_days))
    result = service_checks.check_certificates(doctor.Probe(settings))
    assert result.verdict == expected
    assert expected == Verdict.OK or "provision" in result.fix


def test_catalogue_version_is_reported(kiosk_home):
    """The shipped catalogue's version shows until the portal's one is installed; outside
    demo mode not having synced one is a warning."""
    result = service_checks.check_catalogue(doctor.Probe(settings_with()))
    assert result.verdict == Verdict.OK and result.details["source"] == "shipped"
    assert result.details["version"] and result.details["procedures"] > 0
    from kiosk.config import load_settings

    production = load_settings(demo=False, overrides={"portal.url": "https://portal.invalid"})
    assert not production.kiosk.demo
    assert service_checks.check_catalogue(doctor.Probe(production)).verdict == Verdict.WARNING


def test_printer_through_a_real_cups_queue(kiosk_home, cups_socket, monkeypatch):
    """A ready CUPS queue is OK; the same queue disabled is a failure that says what to do."""
    monkeypatch.setenv("CUPS_SERVER", cups_socket)
    settings = settings_with(**{"printer.backend": "cups", "printer.queue": "receipts"})
    ready = host_checks.check_printer(doctor.Probe(settings))
    assert ready.verdict == Verdict.OK, ready
    assert ready.details["state"] == "ready" and ready.details["pending_jobs"] == 0
    subprocess.run(["cupsdisable", "-r", "paper jam", "receipts"], check=True,
                   env={**os.environ, "CUPS_SERVER": cups_socket})
    try:
        stopped = host_checks.check_printer(doctor.Probe(settings))
        assert stopped.verdict == Verdict.FAILURE and stopped.details["state"] == "offline"
        assert "cupsenable" in stopped.fix
    finally:
        subprocess.run(["cupsenable", "receipts"], check=True,
                       env={**os.environ, "CUPS_SERVER": cups_socket})
