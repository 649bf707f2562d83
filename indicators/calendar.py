"""The Chinese working-day calendar (official holidays and make-up workdays) from `chinese-calendar`.

A working-day duration is measured on a clock that only runs on working days:
W(t) = seconds of working days before t's local date + (seconds since local midnight if that date is a
working day). The duration from s to e is (W(e) − W(s)) / 86 400 working days, so an order created on
Friday 18:00 and closed on Monday 09:00 took 0.25 + 0.375 = 0.625 working days.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

FIRST = date(2000, 1, 1)
LAST = date(2035, 12, 31)


def is_workday(day: date) -> bool:
    """Whether `day` is a working day; outside the package's years, Monday–Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # the package covers only years the State Council has announced
        return day.weekday() < 5


def calendar_rows(first: date = FIRST, last: date = LAST) -> list[tuple[date, bool, int]]:
    """(day, workday, working seconds before the day) for every day from `first` to `last`."""
    rows, before, day = [], 0, first
    while day <= last:
        work = is_workday(day)
        rows.append((day, work, before))
        before += 86400 if work else 0
        day += timedelta(days=1)
    return rows


def working_days_between(start: datetime, end: datetime, tz: str) -> float:
    """Duration from `start` to `end` in working days (reference implementation; the engine does it in SQL)."""
    zone = ZoneInfo(tz)
    return (_clock(end.astimezone(zone)) - _clock(start.astimezone(zone))) / 86400


@lru_cache(maxsize=1)
def _before() -> dict[date, tuple[bool, int]]:
    return {d: (w, b) for d, w, b in calendar_rows()}


def _clock(local: datetime) -> float:
    day = local.date()
    before = _before()[day][1]
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return before + ((local - midnight).total_seconds() if is_workday(day) else 0)
