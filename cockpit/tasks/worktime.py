"""Working time: which days are working days (Chinese statutory holidays and make-up days) and how to add and
measure working hours between two instants. Pure: time is always an argument.

The statutory calendar comes from the `chinese-calendar` package (国务院办公厅 notices); for a year it does not
know yet, weekends are days off and the configured `extra_holidays` / `extra_workdays` fill the gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

from cockpit.core.config.tasks import CalendarConfig

_MAX_DAYS = 3660  # ten years: a guard against an endless search, never reached by a real deadline


@lru_cache(maxsize=4096)
def statutory_workday(day: date) -> bool:
    """Whether `day` is a working day by the State Council's calendar (weekends only beyond its range)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


@dataclass(frozen=True)
class WorkCalendar:
    """Working periods of each working day in the city's time zone, with local overrides."""

    periods: tuple[tuple[time, time], ...]
    zone: ZoneInfo
    extra_holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()

    @classmethod
    def from_config(cls, config: CalendarConfig, timezone: str) -> WorkCalendar:
        """Build the calendar from the `tasks.calendar` section."""
        periods = []
        for text in config.periods:
            start, end = text.split("-")
            periods.append((_parse(start), _parse(end)))
        return cls(tuple(periods), ZoneInfo(timezone), frozenset(config.extra_holidays),
                   frozenset(config.extra_workdays))

    @property
    def hours_per_day(self) -> float:
        """Working hours in one working day."""
        return sum(_minutes(e) - _minutes(s) for s, e in self.periods) / 60

    def is_workday(self, day: date) -> bool:
        """Whether `day` is a working day here."""
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        return statutory_workday(day)

    def _windows(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working windows of `day` as UTC instants (none on a day off)."""
        if not self.is_workday(day):
            return []
        out = []
        for start, end in self.periods:
            out.append((_instant(day, start, self.zone), _instant(day, end, self.zone)))
        return out

    def add(self, start: datetime, hours: float) -> datetime:
        """The instant `hours` working hours after `start`."""
        left = timedelta(hours=hours)
        day = start.astimezone(self.zone).date()
        for _ in range(_MAX_DAYS):
            for lo, hi in self._windows(day):
                begin = max(lo, start)
                if begin >= hi:
                    continue
                if begin + left <= hi:
                    return begin + left
                left -= hi - begin
            day += timedelta(days=1)
        raise ValueError("no working time found within ten years")

    def between(self, start: datetime, end: datetime) -> float:
        """Working hours from `start` to `end` (negative when `end` is earlier)."""
        if end < start:
            return -self.between(end, start)
        total = timedelta()
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            for lo, hi in self._windows(day):
                lo, hi = max(lo, start), min(hi, end)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total.total_seconds() / 3600


@dataclass(frozen=True)
class NaturalCalendar:
    """Round-the-clock time, for urgent work that does not wait for Monday."""

    hours_per_day: float = 24.0

    def add(self, start: datetime, hours: float) -> datetime:
        """`start` plus `hours`."""
        return start + timedelta(hours=hours)

    def between(self, start: datetime, end: datetime) -> float:
        """Hours from `start` to `end`."""
        return (end - start).total_seconds() / 3600


def _parse(text: str) -> time:
    hours, minutes = (int(x) for x in text.split(":"))
    return time(23, 59, 59, 999999) if hours == 24 else time(hours, minutes)


def _minutes(value: time) -> float:
    return value.hour * 60 + value.minute + value.second / 60


def _instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
