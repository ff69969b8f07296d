"""Fixtures for the technician tools: a TUF repository, a loopback HTTP server, an install root."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tuf_repository import TufRepository, release_archive

from kiosk.admin.releases import InstallRoot
from kiosk.processes import die_with_parent

# pytest puts tests/ on sys.path (for tests/conftest.py), where the tests/portal_sim folder
# would shadow the portal_sim package as a namespace package; the checkout comes first.
REPO_ROOT = Path(__file__).resolve().parents[2]
if sys.path[:1] != [str(REPO_ROOT)]:
    sys.path.insert(0, str(REPO_ROOT))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def serve_folder() -> Iterator:
    """Start a real HTTP server on loopback for a folder; yields a function folder -> URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def tuf_repo(tmp_path: Path) -> TufRepository:
    """A signed repository offering release 0.2.0."""
    repo = TufRepository(tmp_path / "repository")
    repo.add_release("0.2.0")
    repo.publish()
    return repo


@pytest.fixture
def install_root(tmp_path: Path) -> InstallRoot:
    """An install root with release 0.1.0 current and confirmed."""
    install = InstallRoot(tmp_path / "opt-kiosk")
    archive = tmp_path / "kiosk-0.1.0.tar.gz"
    archive.write_bytes(release_archive("0.1.0"))
    install.stage("0.1.0", archive)
    install.switch_to("0.1.0")
    install.confirm_healthy()
    return install


@pytest.fixture
def update_settings(kiosk_home: Path, tuf_repo: TufRepository, install_root: InstallRoot,
                    serve_folder):
    """Settings pointing at the served repository, the install root and the trusted root."""
    from kiosk.config import load_settings

    root_file = kiosk_home / "update-root.json"
    root_file.write_bytes(tuf_repo.root_bytes())
    url = serve_folder(tuf_repo.folder)
    return load_settings(demo=True, overrides={
        "admin.install_root": str(install_root.root),
        "admin.update_root": str(root_file),
        "admin.update_url": url,
    })


@pytest.fixture
def portal(tmp_path: Path):
    """The real portal simulator (interface of docs/portal-api.md) on a loopback port."""
    from portal_sim.app import create_app
    from portal_sim.server import RunningServer

    app = create_app(state_dir=tmp_path / "portal-state")
    with RunningServer(app) as server:
        yield server


@pytest.fixture
def tls_portal(tmp_path: Path):
    """The portal simulator over HTTPS (its own CA, device certificates optional at TLS)."""
    from portal_sim.app import create_app
    from portal_sim.server import RunningServer, TlsFiles

    state_dir = tmp_path / "portal-tls-state"
    app = create_app(state_dir=state_dir)
    authority = app.state.portal.authority
    cert, key = authority.server_certificate(state_dir)
    tls = TlsFiles(cert=cert, key=key, client_ca=state_dir / "pki" / "ca.pem")
    with RunningServer(app, tls=tls) as server:
        server.ca_file = state_dir / "pki" / "ca.pem"
        yield server


@pytest.fixture(scope="session")
def cups_socket(tmp_path_factory) -> Iterator[str]:
    """A private cupsd on a Unix socket with one raw queue, 'receipts', printing to /dev/null."""
    import os
    import shutil
    import subprocess
    import time

    cupsd = shutil.which("cupsd", path="/usr/sbin:/sbin") or ""
    if not cupsd or shutil.which("lpadmin", path="/usr/sbin:/usr/bin") is None:
        pytest.skip("cupsd / cups-client not installed (see scripts/apt-test.txt)")
    root = tmp_path_factory.mktemp("doctor-cups")
    for sub in ("spool/tmp", "cache", "state", "log", "serverbin"):
        (root / sub).mkdir(parents=True)
    for item in Path("/usr/lib/cups").iterdir():
        (root / "serverbin" / item.name).symlink_to(item)
    socket_path = root / "cups.sock"
    (root / "cupsd.conf").write_text(
        f"Listen {socket_path}\nLogLevel warn\nWebInterface No\nBrowsing No\n"
        "DefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
    (root / "cups-files.conf").write_text(
        f"FileDevice Yes\nServerRoot {root}\nServerBin {root / 'serverbin'}\n"
        f"RequestRoot {root / 'spool'}\nTempDir {root / 'spool' / 'tmp'}\n"
        f"CacheDir {root / 'cache'}\nStateDir {root / 'state'}\n"
        f"AccessLog {root / 'log' / 'access_log'}\nErrorLog {root / 'log' / 'error_log'}\n"
        f"PageLog {root / 'log' / 'page_log'}\nPrintcap {root / 'printcap'}\n")
    process = subprocess.Popen([cupsd, "-f", "-c", str(root / "cupsd.conf"),
                                "-s", str(root / "cups-files.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)
    env = {**os.environ, "CUPS_SERVER": str(socket_path)}
    try:
        deadline = time.monotonic() + 15
        while not subprocess.run(["lpstat", "-r"], env=env, capture_output=True,
                                 text=True).stdout.startswith("scheduler is running"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("cupsd did not start: " + (root / "log" / "error_log").read_text(
                    errors="replace")[-1000:])
            time.sleep(0.1)
        subprocess.run(["lpadmin", "-p", "receipts", "-E", "-v", "file:///dev/null", "-m", "raw"],
                       env=env, check=True, capture_output=True)
        yield str(socket_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
