"""`python -m portal_sim serve --port N`: run the portal simulator on loopback.

`python -m portal_sim vneid approve|deny SESSION`: act as the resident's VNeID app against a
running simulator (through its admin interface).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import uvicorn

from portal_sim.app import create_app
from portal_sim.catalogue import DEFAULT_FORMS_DIR
from portal_sim.faults import FaultPlan, FaultSpecError
from portal_sim.residents import DEFAULT_RESIDENTS_FILE
from portal_sim.server import TlsFiles, uvicorn_config
from portal_sim.vneid_app import add_vneid_commands, run_vneid_command


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
    serve.add_argument("--forms", type=Path, default=DEFAULT_FORMS_DIR,
                       help="folder of procedure specs served as the signed catalogue")
    serve.add_argument("--state-dir", type=Path,
                       help="database and CA folder (kept across restarts); default: a temporary folder")
    serve.add_argument("--faults", default="", metavar="SPEC",
                       help="fault injection, e.g. 'drop=0.3,reset=0.1,503=0.05' (see portal_sim.faults)")
    serve.add_argument("--tls", action="store_true",
                       help="serve HTTPS with a loopback certificate from the simulator's CA, and "
                            "require enrolled device certificates (mutual TLS)")
    serve.add_argument("--tls-cert", type=Path, help="server certificate (PEM) instead of the generated one")
    serve.add_argument("--tls-key", type=Path, help="server private key (PEM)")
    serve.add_argument("--client-ca", type=Path, help="CA for client certificates; default: the simulator's")
    serve.add_argument("--admin-token", default=os.environ.get("PORTAL_SIM_ADMIN_TOKEN"),
                       help="require this X-Admin-Token on /admin (env PORTAL_SIM_ADMIN_TOKEN)")
    serve.add_argument("--vneid-ttl", type=float, default=120.0, metavar="SECONDS",
                       help="how long a VNeID sign-in session stays open")
    serve.add_argument("--vneid-auto-approve-after", type=float, default=0.0, metavar="SECONDS",
                       help="approve each VNeID sign-in that names a known resident (hint_id) after "
                            "this delay, at level 2; 0 = off (approve with `vneid approve`)")
    add_vneid_commands(commands)
    args = parser.parse_args(argv)

    if args.command == "vneid":
        return run_vneid_command(args)
    if args.command == "serve":
        if args.vneid_ttl <= 0 or args.vneid_auto_approve_after < 0:
            parser.error("--vneid-ttl must be > 0 and --vneid-auto-approve-after >= 0")
        try:
            FaultPlan.parse(args.faults)
        except FaultSpecError as error:
            parser.error(str(error))
        app = create_app(args.residents, state_dir=args.state_dir, forms_dir=args.forms, faults=args.faults,
                         admin_token=args.admin_token, vneid_ttl_s=args.vneid_ttl,
                         vneid_auto_approve_after_s=args.vneid_auto_approve_after)
        tls = None
        if args.tls or args.tls_cert:
            state = app.state.portal
            if args.tls_cert:
                if not args.tls_key:
                    parser.error("--tls-cert needs --tls-key")
                cert, key = args.tls_cert, args.tls_key
            else:
                cert, key = state.authority.server_certificate(state.state_dir)
            tls = TlsFiles(cert=cert, key=key, client_ca=args.client_ca or state.state_dir / "pki" / "ca.pem")
        PortReportingServer(uvicorn_config(app, args.host, args.port, tls), args.port_file).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
