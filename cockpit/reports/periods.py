"""The period a briefing covers: a local day, ISO week or month, its neighbours and its issue number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from indicators.periods import period_start, same_period_last_year, shift

GRAIN = {"daily": "day", "weekly": "week", "monthly": "month"}
KINDS = tuple(GRAIN)


@dataclass(frozen=True)
class Period:
    """One briefing period [start, end) in the city's time zone."""

    kind: str
    start: datetime
    end: datetime
    tz: str

    @property
    def grain(self) -> str:
        """The indicator grain of this period (day, week, month)."""
        return GRAIN[self.kind]

    @property
    def issue_no(self) -> int:
        """第N期: the day of the year, the ISO week or the month — fixed by the period, so a regenerated
        briefing keeps its number."""
        local = self.start.astimezone(ZoneInfo(self.tz))
        if self.kind == "daily":
            return local.timetuple().tm_yday
        if self.kind == "weekly":
            return local.isocalendar().week
        return local.month

    @property
    def year(self) -> int:
        """The year the issue number counts in (the ISO year for weeks)."""
        local = self.start.astimezone(ZoneInfo(self.tz))
        return local.isocalendar().year if self.kind == "weekly" else local.year

    def first_day(self) -> date:
        """The first local day of the period."""
        return self.start.astimezone(ZoneInfo(self.tz)).date()

    def last_day(self) -> date:
        """The last local day of the period."""
        return shift(self.end, "day", -1, self.tz).astimezone(ZoneInfo(self.tz)).date()

    def previous(self) -> Period:
        """The period before (环比)."""
        return period_of(self.kind, shift(self.start, self.grain, -1, self.tz).date(), self.tz)

    def last_year(self) -> Period:
        """The same period a year before (同比)."""
        return period_of(self.kind, same_period_last_year(self.start, self.grain, self.tz).date(), self.tz)


def period_of(kind: str, day: date, tz: str) -> Period:
    """The daily / weekly / monthly period containing local day `day`."""
    if kind not in GRAIN:
        raise ValueError(f"unknown briefing kind {kind!r}")
    grain = GRAIN[kind]
    start = period_start(datetime.combine(day, time(12), ZoneInfo(tz)), grain, tz)
    return Period(kind, start, shift(start, grain, 1, tz), tz)


def last_complete(kind: str, now: datetime, tz: str) -> Period:
    """The newest period of `kind` that has ended at `now` (what a scheduled briefing covers)."""
    current = period_of(kind, now.astimezone(ZoneInfo(tz)).date(), tz)
    return current.previous()
