"""`python -m portal_sim serve --port N`: run the portal simulator on loopback."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import uvicorn

from portal_sim.app import create_app
from portal_sim.residents import DEFAULT_RESIDENTS_FILE


class PortReportingServer(uvicorn.Server):
    """A uvicorn server that writes the port it actually bound (for --port 0) to a file."""

    def __init__(self, config: uvicorn.Config, port_file: Path | None) -> None:
        super().__init__(config)
        self.port_file = port_file

    async def startup(self, sockets=None) -> None:  # noqa: ANN001 - uvicorn's signature
        await super().startup(sockets=sockets)
        if self.port_file is not None and self.servers:
            port = self.servers[0].sockets[0].getsockname()[1]
            temporary = self.port_file.with_suffix(".tmp")
            temporary.write_text(str(port), encoding="ascii")
            os.replace(temporary, self.port_file)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal_sim")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the simulator's HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8470, help="0 picks a free port")
    serve.add_argument("--port-file", type=Path, help="write the bound port to this file once listening")
    serve.add_argument("--residents", type=Path, default=DEFAULT_RESIDENTS_FILE)
    args = parser.parse_args(argv)

    if args.command == "serve":
        config = uvicorn.Config(create_app(args.residents), host=args.host, port=args.port,
                                log_level="warning", access_log=False)
        PortReportingServer(config, args.port_file).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
