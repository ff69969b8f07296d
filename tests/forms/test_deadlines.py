"""Due dates: working days, the 15:00 cut-off, holidays."""

from __future__ import annotations

from datetime import date, datetime

from kiosk.forms.deadlines import due_date, first_counted_day


def test_before_and_after_the_cut_off() -> None:
    """Received Monday 14:59 counts from Monday; 15:01 from Tuesday."""
    assert first_counted_day(datetime(2025, 11, 17, 14, 59)) == date(2025, 11, 17)
    assert first_counted_day(datetime(2025, 11, 17, 15, 1)) == date(2025, 11, 18)


def test_weekends_and_holidays_are_skipped() -> None:
    """Friday after 15:00 starts Monday; seven working days skip a weekend and a holiday."""
    assert first_counted_day(datetime(2025, 11, 21, 16, 0)) == date(2025, 11, 24)
    assert first_counted_day(datetime(2025, 11, 22, 9, 0)) == date(2025, 11, 24)  # Saturday
    assert due_date(datetime(2025, 11, 17, 9, 0), 7) == date(2025, 11, 25)
    assert due_date(datetime(2025, 11, 17, 9, 0), 7, holidays=[date(2025, 11, 20)]) == date(2025, 11, 26)


def test_same_day_procedures() -> None:
    assert due_date(datetime(2025, 11, 17, 9, 0), 1) == date(2025, 11, 17)
    assert due_date(datetime(2025, 11, 17, 16, 0), 0) == date(2025, 11, 18)
