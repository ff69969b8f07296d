"""The stand-in for the resident's VNeID app on the command line.

`python -m portal_sim vneid approve SESSION --resident ID [--level 2]` and
`python -m portal_sim vneid deny SESSION` call a running simulator's admin interface, as the
app would call the real portal after the resident unlocked it. SESSION is the session id or
the whole scanned QR text. Exit codes: 0 done, 1 refused (unknown resident, session not
pending), 3 the simulator could not be reached.
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from portal_sim.vneid import session_from_qr


def add_vneid_commands(commands: argparse._SubParsersAction) -> None:
    """Add `vneid approve` and `vneid deny` to the simulator's command line."""
    vneid = commands.add_parser("vneid", help="act as the resident's VNeID app on a running simulator")
    actions = vneid.add_subparsers(dest="action", required=True)
    for name, text in (("approve", "approve a sign-in as the resident"), ("deny", "refuse a sign-in")):
        action = actions.add_parser(name, help=text)
        action.add_argument("session", help="session id, or the QR text the kiosk shows")
        if name == "approve":
            action.add_argument("--resident", required=True, help="the approving resident's ID number")
            action.add_argument("--level", type=int, choices=(1, 2), default=2, help="VNeID level")
        action.add_argument("--url", default="http://127.0.0.1:8470", help="the simulator's base URL")
        action.add_argument("--ca", type=Path, help="CA (PEM) of an HTTPS simulator")
        action.add_argument("--admin-token", default=os.environ.get("PORTAL_SIM_ADMIN_TOKEN"),
                            help="X-Admin-Token (env PORTAL_SIM_ADMIN_TOKEN)")


def run_vneid_command(args: argparse.Namespace) -> int:
    """Send the approval or denial; print the simulator's answer."""
    session_id = session_from_qr(args.session.strip())
    path = f"/admin/vneid/sessions/{quote(session_id, safe='')}/{args.action}"
    body = {"resident": args.resident, "level": args.level} if args.action == "approve" else {}
    headers = {"Content-Type": "application/json"}
    if args.admin_token:
        headers["X-Admin-Token"] = args.admin_token
    request = urllib.request.Request(args.url.rstrip("/") + path, data=json.dumps(body).encode("utf-8"),
                                     headers=headers, method="POST")
    context = ssl.create_default_context(cafile=str(args.ca)) if args.ca else None
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as answer:
            print(json.dumps(json.loads(answer.read()), ensure_ascii=False))
            return 0
    except urllib.error.HTTPError as error:
        try:
            detail = json.loads(error.read()).get("detail", "")
        except ValueError:
            detail = ""
        print(f"refused ({error.code}): {detail}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as error:
        print(f"the simulator at {args.url} could not be reached: {error}", file=sys.stderr)
        return 3
