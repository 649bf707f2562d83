"""What every simulated system shares: the context it writes through, drills in force, a weather signal."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cockpit.demo.simulator.city import DAY, City, epoch, local_text
from cockpit.demo.simulator.stores import ExchangeDb, InternalStore

DRILLS = {
    "heavy_pollution": "重污染天气",
    "flood": "汛期高水位",
    "hotline_surge": "12345同类诉求激增",
    "video_offline": "视频点位批量离线",
    "source_outage": "数据源中断",
}


@dataclass
class Drills:
    """Drills in force, as recorded in the internal store (refreshed on every step)."""

    items: list[dict] = field(default_factory=list)

    def of(self, name: str) -> list[dict]:
        """Drills of one kind."""
        return [d for d in self.items if d["name"] == name]

    def mask(self, name: str, times: np.ndarray, **match: str) -> tuple[np.ndarray, dict | None]:
        """Which of `times` fall inside a drill of `name` whose params match; and that drill's params."""
        out = np.zeros(len(times), dtype=bool)
        params = None
        for d in self.of(name):
            if any(d["params"].get(k) not in (None, v) for k, v in match.items()):
                continue
            hit = (times >= d["starts"]) & (times < d["ends"])
            if hit.any():
                out |= hit
                params = d["params"]
        return out, params

    def outage(self, system: str, at: int) -> bool:
        """Whether a 数据源中断 drill silences `system` at epoch second `at`."""
        return any(d["params"].get("system") == system and d["starts"] <= at < d["ends"]
                   for d in self.of("source_outage"))


@dataclass
class Context:
    """Everything a system writes through."""

    city: City
    internal: InternalStore
    exchange: ExchangeDb | None
    folder: Path
    drills: Drills
    mqtt: object | None = None             # a connected paho client when a broker is configured
    form_submit: object | None = None      # callable(street_code, at, values) for the 一张表 form
    horizon: int = 0                       # epoch second the running backfill generates up to
    clock: object = None                   # the simulator's clock

    def stamp(self) -> str:
        """Local wall-clock text of now: the `update_time` an exchange database row is written with."""
        return local_text([epoch(self.clock.now())], self.city.utc_offset_hours)[0]


class System:
    """A simulated department system. `generate` writes what happened in [start, end) to its store."""

    name: str = ""
    live_interval: int = 0                 # readings: seconds between two live readings
    history_interval: int = 0              # readings: seconds between two readings of the recent history
    archive_interval: int = 0              # readings: … of the history older than RECENT_DAYS (thinned)

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def generate(self, start: int, end: int, history: bool) -> int:
        """Write the system's records for [start, end); return how many were written."""
        raise NotImplementedError

    def reading_times(self, start: int, end: int, history: bool) -> np.ndarray:
        """Reading times in [start, end) at the live interval, or in the history at its (thinned) intervals."""
        if not history:
            return _every(start, end, self.live_interval)
        recent = self.ctx.horizon - RECENT_DAYS * DAY
        archive = self.archive_interval or self.history_interval
        return np.concatenate([_every(start, min(end, recent), archive),
                               _every(max(start, recent), end, self.history_interval)])

    def interval_at(self, times: np.ndarray, history: bool) -> np.ndarray:
        """Seconds each reading covers (rain sums stay right when the archive is thinned)."""
        if not history:
            return np.full(times.size, self.live_interval)
        recent = self.ctx.horizon - RECENT_DAYS * DAY
        return np.where(times < recent, self.archive_interval or self.history_interval, self.history_interval)


RECENT_DAYS = 35          # the history generated (and loaded) first, at full resolution


def _every(start: int, end: int, step: int) -> np.ndarray:
    first = -(-start // step) * step
    return np.arange(first, end, step, dtype=np.int64)


def weather(city: City, key: str, times: np.ndarray) -> np.ndarray:
    """A smooth, seeded signal around 0 (sd ≈ 1) with periods of days: fronts, smog episodes, rainy spells.

    It depends on time only, so any window of any length draws the same value for the same instant.
    """
    rng = city.rng("weather", key)
    periods = np.array([2.3, 3.7, 6.1, 9.4, 15.8]) * 86400
    phases = rng.random(len(periods)) * 2 * math.pi
    t = np.asarray(times, dtype=float)[:, None]
    return (np.sin(2 * math.pi * t / periods + phases)).sum(axis=1) / math.sqrt(len(periods) / 2)


def noise(city: City, key: str, times: np.ndarray, entity: int = 0) -> np.ndarray:
    """Standard normal noise that is a function of (key, entity, time): the same instant draws the same value."""
    t = np.asarray(times, dtype=np.uint64)
    h = (t * np.uint64(0x9E3779B97F4A7C15) + np.uint64((hash_key(city, key) + entity * 7919) & 0xFFFFFFFF)) \
        & np.uint64(0xFFFFFFFFFFFF)
    u1 = (h % np.uint64(1_000_003)).astype(float) / 1_000_003 + 1e-9
    u2 = ((h >> np.uint64(20)) % np.uint64(999_983)).astype(float) / 999_983
    return np.sqrt(-2 * np.log(u1)) * np.cos(2 * math.pi * u2)


def hash_key(city: City, key: str) -> int:
    """A stable integer of the seed and a key."""
    return int(city.rng("key", key).integers(0, 2**31))
