"""Period arithmetic in the city's local time. Pure functions."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

GRAIN_ORDER = ("hour", "day", "week", "month", "year")


def period_start(t: datetime, grain: str, tz: str) -> datetime:
    """The start (aware, in `tz`) of the period of `grain` containing instant `t`."""
    local = t.astimezone(ZoneInfo(tz))
    if grain == "hour":
        return local.replace(minute=0, second=0, microsecond=0)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if grain == "day":
        return day
    if grain == "week":
        return _local(day.replace(tzinfo=None) - timedelta(days=day.weekday()), tz)
    if grain == "month":
        return day.replace(day=1)
    if grain == "year":
        return day.replace(month=1, day=1)
    raise ValueError(f"unknown grain {grain!r}")


def shift(start: datetime, grain: str, n: int, tz: str) -> datetime:
    """The start of the period `n` periods after the one starting at `start` (n < 0: before)."""
    local = start.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    if grain == "hour":
        return (start + timedelta(hours=n)).astimezone(ZoneInfo(tz))
    if grain in ("day", "week"):
        return _local(local + timedelta(days=n * (7 if grain == "week" else 1)), tz)
    months = n * (12 if grain == "year" else 1)
    index = local.year * 12 + local.month - 1 + months
    return _local(local.replace(year=index // 12, month=index % 12 + 1), tz)


def period_end(start: datetime, grain: str, tz: str) -> datetime:
    """The end (exclusive) of the period starting at `start`."""
    return shift(start, grain, 1, tz)


def same_period_last_year(start: datetime, grain: str, tz: str) -> datetime:
    """同比: the period a year earlier (weeks: 52 weeks earlier, so the weekday matches)."""
    if grain == "week":
        return shift(start, "week", -52, tz)
    if grain == "hour":
        local = start.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
        return _local(_minus_year(local), tz)
    local = start.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    return _local(_minus_year(local), tz)


def _minus_year(local: datetime) -> datetime:
    try:
        return local.replace(year=local.year - 1)
    except ValueError:  # 29 February
        return local.replace(year=local.year - 1, day=28)


def _local(naive: datetime, tz: str) -> datetime:
    return naive.replace(tzinfo=ZoneInfo(tz))
