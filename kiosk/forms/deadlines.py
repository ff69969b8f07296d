"""When a result is due: statutory processing time in working days.

A dossier received after 15:00 counts from the next working day (REFERENCE §2; the
commune centres' practice under Decree 61/2018/NĐ-CP as amended). Working days are
Monday to Friday minus the public holidays the caller passes (the holiday calendar
changes by decree every year, so it is data, not code). The portal's due date, once it
answers, is authoritative; this is the kiosk's estimate for an offline ticket.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

CUT_OFF = time(15, 0)


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def first_counted_day(received_at: datetime, holidays: Iterable[date] = ()) -> date:
    """The working day the processing time starts from (local time of the centre)."""
    off = frozenset(holidays)
    day = received_at.date()
    if received_at.time() > CUT_OFF or not is_working_day(day, off):
        day += timedelta(days=1)
        while not is_working_day(day, off):
            day += timedelta(days=1)
    return day


def due_date(received_at: datetime, working_days: int, holidays: Iterable[date] = ()) -> date:
    """The day the result is due: ``working_days`` working days after reception.

    0 or 1 working day means the same (counted) day: the registers' "trong ngày".
    """
    off = frozenset(holidays)
    day = first_counted_day(received_at, off)
    remaining = max(0, working_days - 1)
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, off):
            remaining -= 1
    return day
