"""Who is calling: the kiosk named by its mutual-TLS client certificate.

Over TLS the certificate has already been verified against the simulator's CA by the TLS
layer; here we read its subject (CN = kiosk id, O = centre code) and refuse kiosks that
were revoked or never enrolled. Over plain HTTP (loopback demo and tests only) the kiosk
names itself in headers: the simulator trusts it because nothing real is at stake.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID
from fastapi import Request

from portal_sim.faults import TRANSPORT_KEY


@dataclass(frozen=True)
class Caller:
    kiosk_id: str
    centre_code: str
    centre_name: str


class NotAuthenticated(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def _attribute(name: x509.Name, oid) -> str:  # noqa: ANN001 - an ObjectIdentifier
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def peer_certificate(request: Request) -> bytes | None | bool:
    """DER of the verified client certificate; None without one; False on a plain connection."""
    transport = request.scope.get("extensions", {}).get(TRANSPORT_KEY)
    ssl_object = transport.get_extra_info("ssl_object") if transport is not None else None
    if ssl_object is None:
        return False
    return ssl_object.getpeercert(binary_form=True)


def identify(request: Request) -> Caller:
    """The calling kiosk, or NotAuthenticated (401 without a certificate, 403 revoked/unknown)."""
    portal = request.app.state.portal
    der = peer_certificate(request)
    if der is False:
        kiosk_id = request.headers.get("x-kiosk-id", "KIOSK-DEMO-01")[:64]
        centre = request.headers.get("x-centre-code", "DEMO-01001")[:64]
        return Caller(kiosk_id, centre, portal.centre_name(centre))
    if der is None:
        raise NotAuthenticated(401, "client_certificate_required",
                               "present the kiosk's device certificate (mutual TLS); enrol first")
    cert = x509.load_der_x509_certificate(der)
    kiosk_id = _attribute(cert.subject, NameOID.COMMON_NAME)
    centre = _attribute(cert.subject, NameOID.ORGANIZATION_NAME)
    record = portal.db.kiosk(kiosk_id)
    if record is None or record["device_cert"] != der:
        if not portal.accept_unenrolled:
            raise NotAuthenticated(403, "device_not_enrolled", "this device certificate was not issued "
                                   "by enrolment here; enrol the kiosk again")
        return Caller(kiosk_id, centre, portal.centre_name(centre))
    if record["status"] != "active":
        raise NotAuthenticated(403, "device_revoked", "this kiosk was revoked; contact the portal operator")
    return Caller(kiosk_id, record["centre_code"], record["centre_name"])
