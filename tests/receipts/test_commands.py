"""`kiosk receipt`: verify's exit codes, demo rendering, and render/print from the store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import main


@pytest.fixture
def base_args(kiosk_home: Path) -> list[str]:
    passphrase = kiosk_home / "passphrase"
    passphrase.write_text("correct horse battery staple\n")
    return ["--demo", "--set", f"paths.data_dir={kiosk_home / 'data'}",
            "--set", "store.key_backend=keyfile",
            "--set", f"store.key_passphrase_file={passphrase}"]


@pytest.fixture
def demo_pdfs(base_args: list[str], kiosk_home: Path) -> Path:
    out = kiosk_home / "out"
    result = CliRunner().invoke(main, [*base_args, "receipt", "demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_demo_then_verify_pdf_is_valid(base_args, demo_pdfs) -> None:
    """`receipt demo` output verifies with exit 0 and prints the claims."""
    result = CliRunner().invoke(main, [*base_args, "receipt", "verify",
                                       str(demo_pdfs / "receipt-queued-80mm.pdf")])
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output and "status: queued" in result.output
    assert "Nguyễn" not in result.output


def test_verify_png_and_text(base_args, demo_pdfs, tmp_path) -> None:
    """A PNG scan verifies too, and so does the QR text given with --text."""
    import subprocess

    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile",
                    str(demo_pdfs / "receipt-received-a4.pdf"), str(tmp_path / "scan")], check=True)
    runner = CliRunner()
    result = runner.invoke(main, [*base_args, "receipt", "verify", str(tmp_path / "scan.png"),
                                  "--json"])
    assert result.exit_code == 0, result.output
    import json

    claims = json.loads(result.output)["claims"]
    assert claims["dossier_code"] == "000.00.12.H62-261122-0004"


def test_verify_invalid_exit_1_with_reason(base_args, demo_pdfs) -> None:
    """A tampered seal exits 1 and names the reason."""
    from kiosk.receipts.verify import read_seal_from_file

    seal = read_seal_from_file(demo_pdfs / "receipt-queued-a4.pdf")
    tampered = seal[:-10] + ("A" if seal[-10] != "A" else "B") + seal[-9:]
    result = CliRunner().invoke(main, [*base_args, "receipt", "verify", "--text", tampered,
                                       "--json"])
    assert result.exit_code == 1, result.output
    assert '"valid": false' in result.output
    assert any(r in result.output for r in ("bad_signature", "malformed"))


@pytest.mark.parametrize("args", [[], ["--text", "x", "file.pdf"], ["missing.pdf"]])
def test_verify_bad_input_exit_2(base_args, args) -> None:
    """No input, two inputs, or a missing file exit 2."""
    result = CliRunner().invoke(main, [*base_args, "receipt", "verify", *args])
    assert result.exit_code == 2, result.output


def test_verify_with_a_foreign_trust_list_is_unknown_key(base_args, demo_pdfs, tmp_path) -> None:
    """With another portal's trust list and CA, the kiosk's seal is unknown (exit 1)."""
    from datetime import timedelta

    from cryptography.hazmat.primitives import serialization

    from kiosk.receipts.keys import create_portal_pki
    from kiosk.receipts.trust_list import build_trust_list

    pki = create_portal_pki("Other")
    now = datetime.now(UTC)
    (tmp_path / "tl.cose").write_bytes(build_trust_list([], pki.trust_list_signer, issued_at=now,
                                                        expires_at=now + timedelta(days=1)))
    (tmp_path / "ca.pem").write_bytes(pki.ca.certificate.public_bytes(serialization.Encoding.PEM))
    result = CliRunner().invoke(main, [*base_args, "receipt", "verify",
                                       str(demo_pdfs / "receipt-queued-80mm.pdf"),
                                       "--trust-list", str(tmp_path / "tl.cose"),
                                       "--anchors", str(tmp_path / "ca.pem")])
    assert result.exit_code == 1, result.output
    assert "unknown_key" in result.output


def _captured(base_args: list[str]) -> str:
    from kiosk.config import load_settings
    from kiosk.store import Consent, NewAttachment, NewDossier, open_configured_store

    overrides = dict(a.split("=", 1) for a in base_args if "=" in a)
    settings = load_settings(demo=True, overrides=overrides)
    with open_configured_store(settings) as store:
        captured = store.capture(NewDossier(
            procedure_code="birth_registration", form_id="birth_registration@2025.10",
            form_version="2025.10",
            payload={"format": 1, "procedure": "birth_registration", "fee_vnd": 0,
                     "processing_working_days": 1,
                     "data": {"nguoiYeuCau": {"hoTen": "Nguyễn Văn An",
                                            "soDinhDanh": "001090012345"}}},
            provenance={}, consent=Consent("v1", datetime.now(UTC), ("submit",)),
            attachments=(NewAttachment("Giấy chứng sinh", "application/pdf", b"%PDF-1.4"),)))
    return captured.submission_id


def test_render_and_print_from_the_store(base_args, kiosk_home) -> None:
    """render DOSSIER_ID writes a verifiable PDF; print records a job; reprint keeps the seal."""
    from kiosk.config import load_settings
    from kiosk.receipts.verify import read_seal_from_file
    from kiosk.store import open_configured_store

    submission_id = _captured(base_args)
    runner = CliRunner()
    out = kiosk_home / "r.pdf"
    result = runner.invoke(main, [*base_args, "receipt", "render", submission_id, "--format",
                                  "a4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    first_seal = read_seal_from_file(out)
    import subprocess

    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True).stdout
    assert "Nguyễn Văn An" in text.decode() and "Đăng ký khai sinh" in text.decode()
    assert "Giấy chứng sinh" in text.decode()  # the attachment listed as a dossier component
    assert runner.invoke(main, [*base_args, "receipt", "verify", str(out)]).exit_code == 0
    result = runner.invoke(main, [*base_args, "receipt", "print", submission_id])
    assert result.exit_code == 0, result.output
    printed = list((kiosk_home / "data" / "receipts" / "printed").glob("*.pdf"))
    assert len(printed) == 1
    overrides = dict(a.split("=", 1) for a in base_args if "=" in a)
    with open_configured_store(load_settings(demo=True, overrides=overrides)) as store:
        receipts = store.receipts_for(submission_id)
    assert len(receipts) == 1 and receipts[0].seal_text == first_seal
    assert [job.status for job in receipts[0].print_jobs] == ["printed"]


def test_render_unknown_dossier_is_an_error(base_args, kiosk_home) -> None:
    """An unknown submission id is reported, not a traceback."""
    _captured(base_args)
    result = CliRunner().invoke(main, [*base_args, "receipt", "render", "no-such-id",
                                       "--out", str(kiosk_home / "x.pdf")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_queue_ticket_to_file_and_printer(base_args, kiosk_home) -> None:
    """`receipt ticket` writes a PDF with --out, else prints on the configured (pdf) printer."""
    runner = CliRunner()
    out = kiosk_home / "ticket.pdf"
    result = runner.invoke(main, [*base_args, "receipt", "ticket", "A-007", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    result = runner.invoke(main, [*base_args, "receipt", "ticket", "A-008"])
    assert result.exit_code == 0, result.output
    assert len(list((kiosk_home / "data" / "receipts" / "printed").glob("*.pdf"))) == 1


def test_print_failure_exits_4_and_is_recorded(base_args, kiosk_home) -> None:
    """An absent ESC/POS printer: exit 4 with the state, and a 'failed' print job in the store."""
    from kiosk.config import load_settings
    from kiosk.store import open_configured_store

    submission_id = _captured(base_args)
    args = [*base_args, "--set", "printer.backend=escpos", "--set",
            "printer.queue=/dev/usb/no-such-printer"]
    result = CliRunner().invoke(main, [*args, "receipt", "print", submission_id])
    assert result.exit_code == 4, result.output
    assert "offline" in result.output
    overrides = dict(a.split("=", 1) for a in base_args if "=" in a)
    with open_configured_store(load_settings(demo=True, overrides=overrides)) as store:
        jobs = store.receipts_for(submission_id)[0].print_jobs
    assert [j.status for j in jobs] == ["failed"]
