"""The demo city the simulated systems share: its streets and districts, seeded randomness, seasonality.

Every draw comes from a generator seeded by (seed, system, window start), so the same seed plays the same
city and a window is never drawn twice differently.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

HOUR = 3600
DAY = 86400


@dataclass(frozen=True)
class City:
    """Areas of the demo city, its time zone and the simulator's seed and volume scale."""

    code: str
    timezone: str
    districts: tuple[str, ...]
    streets: tuple[str, ...]              # 9-digit codes
    street_district: dict[str, str]
    seed: int
    scale: float

    @property
    def utc_offset_hours(self) -> float:
        """Offset of the city's zone from UTC (China has no daylight saving)."""
        return ZoneInfo(self.timezone).utcoffset(datetime(2026, 1, 1)).total_seconds() / HOUR

    def rng(self, *keys: object) -> np.random.Generator:
        """A generator seeded by the city's seed and `keys` (system name, window start…)."""
        digest = hashlib.blake2b(repr((self.seed, *keys)).encode(), digest_size=8).digest()
        return np.random.default_rng(int.from_bytes(digest, "little"))

    def streets_of(self, district: str) -> list[str]:
        """Street codes of one district."""
        return [s for s in self.streets if self.street_district[s] == district]

    def local(self, epoch: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Local hour of day (float), weekday (0 = Monday) and day of year of UTC epoch seconds."""
        local = epoch + self.utc_offset_hours * HOUR
        days = np.floor_divide(local, DAY)
        hour = (local - days * DAY) / HOUR
        weekday = (days + 3) % 7           # 1970-01-01 was a Thursday
        return hour, weekday, _day_of_year(days)


def city_from_config(config, seed: int, scale: float) -> City:
    """The City of a deployment configuration."""
    districts = tuple(a.code for a in config.areas if a.level == "district")
    streets = tuple(a.code for a in config.areas if a.level == "street")
    return City(config.city.code, config.city.timezone, districts, streets,
                {a.code: a.parent for a in config.areas if a.level == "street"}, seed, scale)


def _day_of_year(days: np.ndarray) -> np.ndarray:
    dates = np.datetime64("1970-01-01") + days.astype("timedelta64[D]")
    years = dates.astype("datetime64[Y]")
    return (dates - years).astype(int) + 1


def office_hours(hour: np.ndarray) -> np.ndarray:
    """Relative activity of a government office through the day: quiet at night, peaks at 10:00 and 15:00."""
    morning = np.exp(-((hour - 10.0) ** 2) / 4.5)
    afternoon = 0.85 * np.exp(-((hour - 15.5) ** 2) / 5.0)
    evening = 0.35 * np.exp(-((hour - 20.0) ** 2) / 3.0)
    return 0.04 + morning + afternoon + evening


def weekly(weekday: np.ndarray, weekend: float) -> np.ndarray:
    """1 on working days, `weekend` on Saturday and Sunday."""
    return np.where(weekday >= 5, weekend, 1.0)


def summer_peak(doy: np.ndarray, amplitude: float) -> np.ndarray:
    """A yearly wave peaking in late July (heat, rain, water supply complaints)."""
    return 1.0 + amplitude * np.cos(2 * math.pi * (doy - 205) / 365.25)


def winter_peak(doy: np.ndarray, amplitude: float) -> np.ndarray:
    """A yearly wave peaking in early January (heating season pollution)."""
    return 1.0 + amplitude * np.cos(2 * math.pi * (doy - 10) / 365.25)


def hour_starts(start: int, end: int, step: int = HOUR) -> np.ndarray:
    """Epoch seconds of every `step` boundary in [start, end)."""
    first = -(-start // step) * step
    return np.arange(first, end, step, dtype=np.int64)


def poisson_times(rng: np.random.Generator, start: int, end: int, rate_per_hour) -> np.ndarray:
    """Event times (epoch seconds, sorted) of a Poisson process over [start, end) with an hourly rate
    function `rate_per_hour(hour_start_epochs) -> rates`."""
    hours = np.arange(start // HOUR * HOUR, end, HOUR, dtype=np.int64)
    if hours.size == 0:
        return np.empty(0, dtype=np.int64)
    lo = np.maximum(hours, start)
    hi = np.minimum(hours + HOUR, end)
    counts = rng.poisson(np.asarray(rate_per_hour(hours), dtype=float) * (hi - lo) / HOUR)
    times = np.repeat(lo, counts) + (rng.random(counts.sum()) * np.repeat(hi - lo, counts)).astype(np.int64)
    return np.sort(times)


def epoch(t: datetime) -> int:
    """Epoch seconds of an aware datetime."""
    return int(t.timestamp())


def from_epoch(seconds: int) -> datetime:
    """Aware UTC datetime of epoch seconds."""
    return datetime.fromtimestamp(int(seconds), UTC)


def local_text(seconds, offset_hours: float) -> list[str | None]:
    """`YYYY-MM-DD HH:MM:SS` local wall-clock text of epoch seconds (None where negative: no value)."""
    return local_series(seconds, offset_hours).to_list()


def local_series(seconds, offset_hours: float) -> pl.Series:
    """`local_text` as a polars Series (for building many rows at once)."""
    s = pl.Series("t", np.asarray(seconds, dtype=np.int64))
    text = pl.from_epoch(s + int(offset_hours * HOUR), "s").dt.strftime("%Y-%m-%d %H:%M:%S")
    return pl.select(pl.when(s >= 0).then(text)).to_series()
