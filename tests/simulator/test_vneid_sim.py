"""The simulator's VNeID sign-in: the contract's endpoints, its state machine on the portal clock,
the stand-in app on the command line and the serve option that approves by itself."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cbor2
import pytest
import requests

from portal_sim.app import create_app
from portal_sim.server import RunningServer
from portal_sim.vneid import QR_PREFIX, session_from_qr

KNOWN = "001090012345"
REPO = Path(__file__).resolve().parent.parent.parent
NONCE = "n" * 24


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[RunningServer]:
    server = RunningServer(create_app(state_dir=tmp_path / "state")).start()
    yield server
    server.stop()


def _open(url: str, hint: str | None = KNOWN, kiosk: str = "KIOSK-A") -> dict:
    answer = requests.post(f"{url}/v1/vneid/sessions", json={"nonce": NONCE, "hint_id": hint},
                           headers={"X-Kiosk-Id": kiosk}, timeout=5)
    assert answer.status_code == 201, answer.text
    return answer.json()


def _poll(url: str, session_id: str, wait: float = 0, kiosk: str = "KIOSK-A") -> requests.Response:
    return requests.get(f"{url}/v1/vneid/sessions/{session_id}", params={"wait": wait},
                        headers={"X-Kiosk-Id": kiosk}, timeout=30)


def _admin(url: str, session_id: str, action: str, **body: object) -> requests.Response:
    return requests.post(f"{url}/admin/vneid/sessions/{session_id}/{action}", json=body, timeout=5)


def test_open_answers_qr_code_and_expiry(portal: RunningServer) -> None:
    """A session answers its id, a QR URI carrying the id and a 6-digit code, and a 120 s expiry."""
    session = _open(portal.url)
    assert session["qr_text"].startswith(QR_PREFIX) and session["session_id"] in session["qr_text"]
    assert f"code={session['short_code']}" in session["qr_text"] and len(session["short_code"]) == 6
    assert session["expires_in_s"] == 120
    assert session_from_qr(session["qr_text"]) == session["session_id"]
    assert _poll(portal.url, session["session_id"]).json()["status"] == "pending"


@pytest.mark.parametrize("body", [{"nonce": "short"}, {"nonce": NONCE, "hint_id": "12345"},
                                  {"nonce": NONCE + "!"}, {}])
def test_bad_open_requests_are_422(portal: RunningServer, body: dict) -> None:
    """A short or odd nonce, or a hint that is not a 12-digit ID, is a validation error."""
    answer = requests.post(f"{portal.url}/v1/vneid/sessions", json=body, timeout=5)
    assert answer.status_code == 422 and answer.json()["error"] == "validation_failed"


def test_wait_is_bounded(portal: RunningServer) -> None:
    """The long poll's wait is at most 25 s; more is a validation error."""
    session = _open(portal.url)
    assert _poll(portal.url, session["session_id"], wait=26).status_code == 422


def test_assertion_once_then_already_consumed(portal: RunningServer) -> None:
    """Approval yields one signed assertion (COSE_Sign1 with the session, nonce, kiosk and the
    resident); the next poll is 409 already_consumed and the session cannot be re-approved."""
    session = _open(portal.url)
    sid = session["session_id"]
    assert _admin(portal.url, sid, "approve", resident=KNOWN, level=2).json() == {"status": "approved"}
    answer = _poll(portal.url, sid).json()
    assert answer["status"] == "approved"
    message = cbor2.loads(base64.b64decode(answer["assertion"]))
    assert message.tag == 18
    claims = cbor2.loads(message.value[2])
    assert (claims["sid"], claims["nonce"], claims["kiosk"], claims["id_number"], claims["level"]) == (
        sid, NONCE, "KIOSK-A", KNOWN, 2)
    again = _poll(portal.url, sid)
    assert again.status_code == 409 and again.json()["error"] == "already_consumed"
    assert _admin(portal.url, sid, "approve", resident=KNOWN).status_code == 409


def test_another_kiosk_cannot_see_the_session(portal: RunningServer) -> None:
    """A session is polled and cancelled only by the kiosk that opened it (404 for others)."""
    sid = _open(portal.url)["session_id"]
    assert _poll(portal.url, sid, kiosk="KIOSK-B").status_code == 404
    assert requests.delete(f"{portal.url}/v1/vneid/sessions/{sid}", headers={"X-Kiosk-Id": "KIOSK-B"},
                           timeout=5).status_code == 404
    assert _poll(portal.url, "no-such-session-id").status_code == 404


def test_long_poll_wakes_on_approval(portal: RunningServer) -> None:
    """A poll waiting 10 s answers within a fraction of a second of the app's approval."""
    sid = _open(portal.url)["session_id"]
    timer = threading.Timer(0.3, lambda: _admin(portal.url, sid, "approve", resident=KNOWN))
    timer.start()
    started = time.monotonic()
    answer = _poll(portal.url, sid, wait=10)
    timer.join()
    assert answer.json()["status"] == "approved" and time.monotonic() - started < 1.5


def test_deny_cancel_and_unknown_resident(portal: RunningServer) -> None:
    """Deny and cancel close a session for good; an unknown ID number cannot approve."""
    denied, cancelled, pending = (_open(portal.url)["session_id"] for _ in range(3))
    assert _admin(portal.url, denied, "deny").status_code == 200
    assert _poll(portal.url, denied).json()["status"] == "denied"
    assert _admin(portal.url, denied, "approve", resident=KNOWN).status_code == 409
    assert requests.delete(f"{portal.url}/v1/vneid/sessions/{cancelled}", headers={"X-Kiosk-Id": "KIOSK-A"},
                           timeout=5).status_code == 204
    assert _poll(portal.url, cancelled).json()["status"] == "cancelled"
    assert _admin(portal.url, cancelled, "approve", resident=KNOWN).status_code == 409
    refused = _admin(portal.url, pending, "approve", resident="099999999999")
    assert refused.status_code == 404 and "unknown_resident" in refused.json()["detail"]
    assert _admin(portal.url, pending, "approve", resident=KNOWN, level=3).status_code == 422
    assert _poll(portal.url, pending).json()["status"] == "pending"


def test_expiry_follows_the_portal_clock(portal: RunningServer) -> None:
    """Moving the portal's clock past the expiry (PUT /admin/rules time_offset_s) expires a
    pending session and an approved one not yet collected."""
    pending, approved = _open(portal.url)["session_id"], _open(portal.url)["session_id"]
    _admin(portal.url, approved, "approve", resident=KNOWN)
    requests.put(f"{portal.url}/admin/rules", json={"time_offset_s": 121}, timeout=5)
    assert _poll(portal.url, pending).json()["status"] == "expired"
    assert _poll(portal.url, approved).json() == {"session_id": approved, "status": "expired",
                                                  "assertion": None}


def test_auto_approve_only_with_a_known_hint(tmp_path: Path) -> None:
    """The auto-approving stand-in app approves a session whose hint is a known resident after
    the delay; without a hint, or with an unknown one, the session stays pending."""
    with RunningServer(create_app(state_dir=tmp_path / "s", vneid_auto_approve_after_s=0.2)) as server:
        known = _open(server.url)["session_id"]
        anonymous = _open(server.url, hint=None)["session_id"]
        stranger = _open(server.url, hint="099999999999")["session_id"]
        assert _poll(server.url, known).json()["status"] == "pending"
        assert _poll(server.url, known, wait=3).json()["status"] == "approved"
        assert _poll(server.url, anonymous, wait=0.5).json()["status"] == "pending"
        assert _poll(server.url, stranger).json()["status"] == "pending"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "portal_sim", "vneid", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=30, env={**os.environ, "PYTHONPATH": str(REPO)})


def test_command_line_app_approves_and_denies(portal: RunningServer) -> None:
    """`python -m portal_sim vneid approve SESSION --resident ID` (id or the whole QR text) and
    `vneid deny` act on a running simulator; refusals exit 1, an absent simulator 3."""
    session = _open(portal.url)
    done = _cli("approve", session["qr_text"], "--resident", KNOWN, "--level", "1", "--url", portal.url)
    assert done.returncode == 0, done.stderr
    assert _poll(portal.url, session["session_id"]).json()["status"] == "approved"
    other = _open(portal.url)["session_id"]
    refused = _cli("approve", other, "--resident", "099999999999", "--url", portal.url)
    assert refused.returncode == 1 and "unknown_resident" in refused.stderr
    assert _cli("deny", other, "--url", portal.url).returncode == 0
    assert _poll(portal.url, other).json()["status"] == "denied"
    assert _cli("deny", other, "--url", f"http://127.0.0.1:{_free_port()}").returncode == 3


def test_serve_option_auto_approves(tmp_path: Path) -> None:
    """`serve --vneid-auto-approve-after S` starts a simulator whose sign-ins with a known hint
    are approved after S seconds (what the demo kiosk relies on)."""
    port_file = tmp_path / "port"
    process = subprocess.Popen([sys.executable, "-m", "portal_sim", "serve", "--port", "0", "--port-file",
                                str(port_file), "--state-dir", str(tmp_path / "state"),
                                "--vneid-auto-approve-after", "0.2", "--vneid-ttl", "30"], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists():
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        url = f"http://127.0.0.1:{int(port_file.read_text())}"
        session = _open(url)
        assert session["expires_in_s"] == 30
        assert _poll(url, session["session_id"], wait=5).json()["status"] == "approved"
    finally:
        process.terminate()
        process.wait(timeout=10)
