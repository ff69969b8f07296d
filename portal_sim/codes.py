"""Official dossier codes (Circular 04/2025/TT-VPCP) and due dates.

Code format ``MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX``: M a level letter with the two-digit
province code, Y1Y2Y3 the receiving unit, Z1Z2 the agency, the receiving date, then a
two-character channel prefix and a serial of at least 4 digits. The meaning of each part
beyond the layout is our reading of the circular; the simulator fills it as below and the
kiosk only checks the layout.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

OFFICIAL_CODE = re.compile(r"^[A-Z]\d{2}\.\d{3}\.\d{2}-\d{6}-[A-Z0-9]{2}\d{4,}$")
VIETNAM = timezone(timedelta(hours=7))
CUTOFF_HOUR = 15  # dossiers received after 15:00 count from the next working day
CHANNEL = "KS"  # kiosk channel


def unit_parts(centre_code: str) -> tuple[str, str]:
    """(province two digits, unit three digits) from a centre code's trailing digits ("DEMO-01001")."""
    digits = re.sub(r"\D", "", centre_code)[-5:].rjust(5, "0")
    return digits[:2], digits[2:]


def code_prefix(centre_code: str, received: datetime) -> str:
    province, unit = unit_parts(centre_code)
    return f"H{province}.{unit}.01-{received.astimezone(VIETNAM):%y%m%d}-{CHANNEL}"


def official_code(prefix: str, serial: int) -> str:
    return f"{prefix}{serial:04d}"


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def due_date(received: datetime, working_days: int) -> str:
    """Due date (ISO) counting working days (Mon–Fri; public holidays not modelled)."""
    local = received.astimezone(VIETNAM)
    day = local.date()
    if local.hour >= CUTOFF_HOUR or day.weekday() >= 5:
        day = _next_working_day(day)
    for _ in range(max(working_days - 1, 0)):
        day = _next_working_day(day)
    return day.isoformat()
