"""Doctor checks of what the kiosk talks to and keeps: portal, clock, certificates, store, queue.

The store is read only through its public API (``kiosk.store``): counts and states,
never a dossier. Where a part of the kiosk does not offer what a check needs, the check
says "not available" as a warning instead of pretending.
"""

from __future__ import annotations

import importlib
import socket
import ssl
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from cryptography import x509

from kiosk.admin.doctor import Finding, Probe, failure, ok, warning
from kiosk.admin.releases import InstallRoot

CERT_WARN = timedelta(days=30)
SKEW_WARN_S = 60.0
SKEW_FAIL_S = 300.0
QUEUE_AGE_WARN = timedelta(hours=24)
QUEUE_AGE_FAIL = timedelta(hours=72)


def _optional(module: str, attribute: str) -> Any | None:
    """A function another part of the kiosk may offer; None if that part has not landed."""
    try:
        return getattr(importlib.import_module(module), attribute, None)
    except ImportError:
        return None


# -- portal -----------------------------------------------------------------------------
def _fetch_portal(probe: Probe) -> None:
    """GET the portal's /v1/time once; the reachability and clock checks share the answer."""
    if probe.portal_answer is not None or probe.portal_error is not None:
        return
    import requests

    portal = probe.settings.portal
    cert = (portal.client_cert, portal.client_key) if portal.client_cert else None
    started = datetime.now(UTC)
    try:
        response = requests.get(portal.url.rstrip("/") + "/v1/time", cert=cert,
                                verify=portal.ca_bundle or True,
                                timeout=(portal.connect_timeout_s, portal.read_timeout_s))
        response.raise_for_status()
        body = response.json()
    except requests.exceptions.SSLError:
        probe.portal_error = "TLS handshake failed (certificate not trusted or expired)"
        return
    except requests.HTTPError as error:
        probe.portal_error = f"HTTP {error.response.status_code}"
        return
    except (requests.RequestException, ValueError) as error:
        probe.portal_error = f"{type(error).__name__}"
        return
    finished = datetime.now(UTC)
    probe.portal_answer = {"status": response.status_code, "body": body,
                           "date_header": response.headers.get("Date"),
                           "sent_at": started, "received_at": finished}


def check_portal(probe: Probe) -> Finding:
    if not probe.settings.portal.url:
        return ok("portal", "demo mode: the kiosk starts its local portal simulator itself")
    _fetch_portal(probe)
    if probe.portal_answer is None:
        return failure("portal", f"the portal does not answer: {probe.portal_error}",
                       "Check the network cable or 4G modem; dossiers wait safely in the queue.")
    elapsed = (probe.portal_answer["received_at"] - probe.portal_answer["sent_at"]).total_seconds()
    return ok("portal", f"reachable in {elapsed:.2f} s", round_trip_s=round(elapsed, 3))


def _peer_certificate(url: str, ca_bundle: str, timeout: float) -> x509.Certificate:
    parsed = urlparse(url)
    context = ssl.create_default_context(cafile=ca_bundle or None)
    with socket.create_connection((parsed.hostname, parsed.port or 443), timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname=parsed.hostname) as tls:
            return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))


def _expiry_finding(check: str, what: str, certificate: x509.Certificate, now: datetime,
                    fix: str) -> Finding:
    expires = certificate.not_valid_after_utc
    days = (expires - now).days
    details = {"not_after": expires.isoformat(), "days_left": days}
    if expires <= now:
        return failure(check, f"{what} expired on {expires.date()}", fix, **details)
    if expires - now < CERT_WARN:
        return warning(check, f"{what} expires in {days} days", fix, **details)
    return ok(check, f"{what} valid until {expires.date()}", **details)


def check_portal_tls(probe: Probe) -> Finding:
    portal = probe.settings.portal
    if not portal.url:
        return ok("portal tls", "demo mode: plain HTTP on loopback")
    if urlparse(portal.url).scheme != "https":
        if probe.settings.kiosk.demo:
            return ok("portal tls", "plain HTTP (demo)")
        return failure("portal tls", "the portal URL is not HTTPS",
                       "Set portal.url to the https:// address given at provisioning.")
    try:
        certificate = _peer_certificate(portal.url, portal.ca_bundle, portal.connect_timeout_s)
    except ssl.SSLCertVerificationError as error:
        return failure("portal tls", f"the portal's certificate is not trusted ({error.reason})",
                       "Check the clock first; then re-provision to refresh the CA bundle.")
    except (OSError, ssl.SSLError) as error:
        return failure("portal tls", f"no TLS connection ({type(error).__name__})",
                       "Check the network; see the portal check.")
    return _expiry_finding("portal tls", "the portal's certificate", certificate, probe.now,
                           "Tell the portal operator; the kiosk will stop syncing when it expires.")


def _portal_time(answer: dict[str, Any]) -> datetime | None:
    stated = answer["body"].get("now") if isinstance(answer["body"], dict) else None
    try:
        if stated:
            moment = datetime.fromisoformat(stated)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if answer["date_header"]:
            return parsedate_to_datetime(answer["date_header"])
    except (TypeError, ValueError):
        return None
    return None


def check_clock(probe: Probe) -> Finding:
    if not probe.settings.portal.url:
        return ok("clock", f"local time {probe.now.isoformat(timespec='seconds')} (demo: not compared)")
    _fetch_portal(probe)
    if probe.portal_answer is None:
        return warning("clock", "cannot compare with the portal while it is unreachable",
                       "Fix the portal connection, then run the doctor again.")
    portal_time = _portal_time(probe.portal_answer)
    if portal_time is None:
        return warning("clock", "the portal did not state its time",
                       "Compare the clock with a trusted source by hand.")
    sent, received = probe.portal_answer["sent_at"], probe.portal_answer["received_at"]
    midpoint = sent + (received - sent) / 2
    skew = (midpoint - portal_time).total_seconds()
    details = {"skew_s": round(skew, 1)}
    if abs(skew) > SKEW_FAIL_S:
        return failure("clock", f"the clock is {skew:+.0f} s off the portal's",
                       "Enable time sync (`timedatectl set-ntp true`) and check the network time "
                       "server; receipts and TLS need a correct clock.", **details)
    if abs(skew) > SKEW_WARN_S:
        return warning("clock", f"the clock is {skew:+.0f} s off the portal's",
                       "Enable time sync with `timedatectl set-ntp true`.", **details)
    return ok("clock", f"within {abs(skew):.1f} s of the portal", **details)


def check_certificates(probe: Probe) -> Finding:
    """This kiosk's own enrolment certificates (portal client and receipt signing)."""
    from kiosk.admin.provision import enrolment_files

    files = enrolment_files(probe.settings)
    if not files.device_cert.exists():
        if probe.settings.kiosk.demo:
            return ok("certificates", "demo mode: the demo PKI is used, no enrolment")
        return failure("certificates", "this kiosk is not provisioned",
                       "Run `kiosk provision --portal URL --centre CODE --enrolment-code CODE`.")
    worst: Finding | None = None
    for label, path in (("device certificate", files.device_cert),
                        ("receipt-signing certificate", files.receipt_cert)):
        try:
            certificate = x509.load_pem_x509_certificate(path.read_bytes())
        except (OSError, ValueError):
            return failure("certificates", f"the {label} is missing or unreadable",
                           "Re-provision the kiosk with a new enrolment code.")
        finding = _expiry_finding("certificates", f"the {label}", certificate, probe.now,
                                  "Re-provision the kiosk with a new enrolment code before then.")
        if worst is None or finding.verdict.rank > worst.verdict.rank:
            worst = finding
    assert worst is not None
    return worst


# -- store ------------------------------------------------------------------------------
def _open_store(probe: Probe):  # noqa: ANN202 - (store, None) or (None, Finding)
    """Open the existing database read-write through the store API, never creating one."""
    open_store = _optional("kiosk.store", "open_store")
    load_key = _optional("kiosk.store.keys", "load_or_create_key")
    if open_store is None or load_key is None:
        return None, warning("database", "not available: this build has no store API",
                             "Nothing to do on site; report it to the kiosk developers.")
    path = probe.settings.database_path
    if not path.exists():
        return None, warning("database", "no database yet (it is created at the first start)",
                             "Start the kiosk once; if this stays, check the data directory.")
    try:
        # The database exists, so the store never pairs it with a fresh key (issue 4).
        store = open_store(path, load_key(probe.settings), create=False)
    except Exception as error:  # noqa: BLE001 - any failure to open is the finding
        return None, failure("database", f"the database cannot be opened ({type(error).__name__})",
                             "If the key is lost see 'Recovering a kiosk whose database key is "
                             "lost' in docs/operations.md.")
    return store, None


def _database_size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def check_database(probe: Probe) -> Finding:
    store, problem = _open_store(probe)
    if store is None:
        return problem
    size = _database_size(probe.settings.database_path)
    try:
        problems = list(store.integrity_problems())
        audit = store.verify_audit()
    finally:
        store.close()
    details = {"size_bytes": size, "audit_entries": audit.entries,
               "integrity_checked": problems is not None}
    if problems:
        return failure("database", f"integrity check found {len(problems)} problem(s)",
                       "Export the queue and logs, then call support before changing anything.",
                       **details, problems=len(problems))
    if not audit.ok:
        return failure("database", f"the audit log chain is broken at entry {audit.first_bad_seq}",
                       "Do not repair it: export the logs and report possible tampering.", **details)
    if problems is None:
        return warning("database", f"opens with its key, audit chain intact ({size} bytes); page "
                       "integrity check not offered by the store API", "Nothing to do on site.",
                       **details)
    return ok("database", f"opens, passes its integrity check, audit chain intact ({size} bytes)",
              **details)


def check_queue(probe: Probe) -> Finding:
    store, problem = _open_store(probe)
    if store is None:
        return Finding("queue", problem.verdict, problem.summary.replace("database", "queue"),
                       problem.fix)
    try:
        stats = store.queue_stats()
    finally:
        store.close()
    oldest = stats.oldest_queued_at
    age = (probe.now - oldest) if oldest else None
    details = {"queued": stats.queued, "sending": stats.sending, "accepted": stats.accepted,
               "quarantined": stats.quarantined, "needs_attention": stats.needs_attention,
               "oldest_age_h": round(age.total_seconds() / 3600, 1) if age else None}
    summary = f"{stats.queued} waiting, {stats.quarantined} quarantined"
    if age and age > QUEUE_AGE_FAIL:
        return failure("queue", summary + f", oldest {details['oldest_age_h']} h old",
                       "Fix the portal connection; then run `kiosk sync now`.", **details)
    if stats.quarantined or stats.needs_attention or (age and age > QUEUE_AGE_WARN):
        return warning("queue", summary, "Review quarantined dossiers with staff in technician "
                       "mode; check the portal connection.", **details)
    return ok("queue", summary, **details)


def check_catalogue(probe: Probe) -> Finding:
    """The procedure catalogue in force: the one synced from the portal, else the shipped one."""
    synced = _optional("kiosk.sync.catalogue", "current")
    active = _optional("kiosk.forms.catalogue", "active_catalogue")
    if synced is None or active is None:
        return warning("catalogue", "not available: this build has no procedure catalogue",
                       "Nothing to do on site; report it to the kiosk developers.")
    # The sync engine keeps downloaded catalogues under <data_dir>/catalogue (kiosk.sync).
    installed = synced(probe.settings.data_dir / "catalogue")
    try:
        catalogue = active(installed.folder if installed else None)
    except Exception as error:  # noqa: BLE001 - a catalogue that does not load is the finding
        return failure("catalogue", f"the procedure catalogue does not load ({type(error).__name__})",
                       "Run `kiosk sync now` to fetch a fresh signed catalogue; if it stays, "
                       "reinstall the package.")
    details = {"version": catalogue.version, "source": "portal" if installed else "shipped",
               "procedures": len(catalogue.info.procedures)}
    if installed is None and not probe.settings.kiosk.demo:
        return warning("catalogue", f"shipped catalogue {catalogue.version}; none synced from the "
                       "portal yet", "Check the portal connection; it downloads at the next sync.",
                       **details)
    return ok("catalogue", f"catalogue {catalogue.version} ({details['source']}, "
              f"{details['procedures']} procedures)", **details)


def check_last_sync(probe: Probe) -> Finding:
    last_success = _optional("kiosk.sync.status", "last_success")
    if last_success is None:
        return warning("last sync", "not available: this build does not record sync times",
                       "Nothing to do on site.")
    moment = last_success(probe.settings)
    if moment is None:
        return warning("last sync", "never synchronised with the portal",
                       "Check the portal connection, then run `kiosk sync now`.")
    age = probe.now - moment
    details = {"last_success": moment.isoformat(), "age_h": round(age.total_seconds() / 3600, 1)}
    if age > QUEUE_AGE_WARN:
        return warning("last sync", f"last successful sync {details['age_h']} h ago",
                       "Check the portal connection, then run `kiosk sync now`.", **details)
    return ok("last sync", f"last successful sync {details['age_h']} h ago", **details)


def check_release(probe: Probe) -> Finding:
    install = InstallRoot(Path(probe.settings.admin.install_root))
    current = install.current_version()
    if current is None:
        return ok("release", "running from a development checkout (no install root)")
    details = {"current": current, "previous": install.previous_version(),
               "rolled_back": sorted(install.rolled_back())}
    pending = install.pending()
    if pending is not None:
        return warning("release", f"release {current} has not yet confirmed a healthy start",
                       "Restart the kiosk service; it rolls back by itself if the start fails.",
                       **details, unconfirmed_starts=pending.starts)
    if details["rolled_back"]:
        return warning("release", f"running {current}; rolled back from "
                       f"{', '.join(details['rolled_back'])}",
                       "Send `kiosk logs export` to support with the failed version.", **details)
    return ok("release", f"release {current}", **details)


CHECKS = [check_portal, check_portal_tls, check_clock, check_certificates, check_database,
          check_queue, check_catalogue, check_last_sync, check_release]
