"""Running the simulator: uvicorn with the connection's transport exposed to the application.

The application needs the transport for two things a plain ASGI scope does not give: the
kiosk's TLS client certificate (device identity, mutual TLS) and resetting a connection
(fault injection). ``run_in_thread`` lets tests and benchmarks embed a server on loopback.
"""

from __future__ import annotations

import ssl
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from portal_sim.faults import TRANSPORT_KEY


class TransportExposingProtocol(H11Protocol):
    """uvicorn's h11 protocol that adds the connection's transport to each request's scope."""

    def connection_made(self, transport) -> None:  # noqa: ANN001 - asyncio's signature
        super().connection_made(transport)
        inner = self.app

        async def app(scope, receive, send) -> None:
            scope.setdefault("extensions", {})[TRANSPORT_KEY] = transport
            await inner(scope, receive, send)

        self.app = app


@dataclass(frozen=True)
class TlsFiles:
    """Server certificate and key, and the CA that client (device) certificates must chain to."""

    cert: Path
    key: Path
    client_ca: Path | None


def uvicorn_config(app, host: str, port: int, tls: TlsFiles | None) -> uvicorn.Config:
    """The config both the command line and tests use: our protocol, quiet logs, optional mTLS.

    Client certificates are optional at the TLS layer (CERT_OPTIONAL) because enrolment runs
    before the kiosk has one; every other endpoint requires a verified one (portal_sim.identity).
    """
    options: dict = {}
    if tls is not None:
        options = {"ssl_certfile": str(tls.cert), "ssl_keyfile": str(tls.key)}
        if tls.client_ca is not None:
            options.update(ssl_ca_certs=str(tls.client_ca), ssl_cert_reqs=ssl.CERT_OPTIONAL)
    return uvicorn.Config(app, host=host, port=port, http=TransportExposingProtocol, log_level="warning",
                          access_log=False, lifespan="off", timeout_keep_alive=30,
                          timeout_graceful_shutdown=3, **options)


class RunningServer:
    """A simulator served from a background thread (tests, benchmarks, the kiosk's demo mode)."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, tls: TlsFiles | None = None) -> None:
        self.app = app
        self.server = uvicorn.Server(uvicorn_config(app, host, port, tls))
        self.server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self.scheme = "https" if tls else "http"
        self.host = host
        self.thread = threading.Thread(target=self.server.run, name="portal-sim", daemon=True)

    def start(self, timeout: float = 20.0) -> RunningServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the portal simulator did not start")
            time.sleep(0.01)
        return self

    @property
    def port(self) -> int:
        return self.server.servers[0].sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def __enter__(self) -> RunningServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
