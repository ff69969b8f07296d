"""The simulator starts as a real HTTP server and serves its health and OpenAPI documents."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def test_serve_reports_port_and_answers_health(tmp_path: Path) -> None:
    """`python -m portal_sim serve --port 0 --port-file F` binds loopback, reports its port,
    and answers /health with the seeded residents count and /openapi.json with the contract."""
    port_file = tmp_path / "port"
    process = subprocess.Popen([sys.executable, "-m", "portal_sim", "serve", "--port", "0",
                                "--port-file", str(port_file)])
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists():
            assert process.poll() is None, "simulator exited early"
            assert time.monotonic() < deadline, "simulator did not report its port"
            time.sleep(0.05)
        base = f"http://127.0.0.1:{int(port_file.read_text())}"
        health = json.load(urllib.request.urlopen(f"{base}/health", timeout=5))
        assert health["status"] == "ok"
        assert health["residents"] >= 5
        openapi = json.load(urllib.request.urlopen(f"{base}/openapi.json", timeout=5))
        assert "/health" in openapi["paths"]
    finally:
        process.terminate()
        process.wait(timeout=10)
