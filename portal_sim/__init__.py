"""A stand-in for the national public service portal's integration endpoint.

It implements the kiosk's portal contract (docs/portal-api.md) over real HTTP and
imports nothing from ``kiosk``: the two meet only on the wire.
"""

__version__ = "0.1.0"
