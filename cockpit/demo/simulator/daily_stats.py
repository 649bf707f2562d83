"""Daily statistics systems that write one row per district per day to the exchange database:
卫健委 (fever clinics, beds, ambulances: wj_daily_stat) and 市场监管局 (market entities, permits:
sj_market_daily), plus the 大数据局 resource catalogue snapshot (dsj_resource_snapshot, 120 resources).
A day's row is written at 01:00 the next day (local).
"""

from __future__ import annotations

import numpy as np

from cockpit.demo.simulator.base import System, weather
from cockpit.demo.simulator.city import DAY, HOUR, local_text, weekly, winter_peak

# district size relative to 海陵区 (population)
SIZE = {"321202": 1.0, "321203": 0.6, "321204": 1.0, "321281": 1.4, "321282": 0.8, "321283": 1.3}


def finished_days(start: int, end: int, offset_hours: float, publish_hour: float = 1.0) -> np.ndarray:
    """Local midnights (as epoch seconds) of the days whose statistics are published in [start, end)."""
    shift = int(offset_hours * HOUR)
    publish = int(publish_hour * HOUR)
    first = -(-(start + shift - publish - DAY) // DAY) * DAY
    days = np.arange(first, end + shift - publish - DAY, DAY, dtype=np.int64)
    return days - shift


class DailyStats(System):
    """Health and market statistics per district and day, and the data catalogue snapshot."""

    name = "daily_stats"
    tables: tuple[str, ...] = ("health", "business", "data_catalog")

    def generate(self, start: int, end: int, history: bool) -> int:
        """Rows of the days published in [start, end)."""
        city = self.ctx.city
        off = city.utc_offset_hours
        days = finished_days(start, end, off)
        if days.size == 0:
            return 0
        rng = city.rng(self.name, start)
        day_text = [t[:10] + " 00:00:00" for t in local_text(days, off)]
        written = [self.ctx.stamp()] * days.size
        _h, weekday, doy = city.local(days + 12 * HOUR)
        n = 0
        for part in self.tables:
            rows = getattr(self, f"_{part}")(rng, days, day_text, written, weekday, doy)
            self.ctx.exchange.upsert({"health": "wj_daily_stat", "business": "sj_market_daily",
                                      "data_catalog": "dsj_resource_snapshot"}[part], rows)
            n += len(rows)
        return n

    def _health(self, rng, days, day_text, written, weekday, doy) -> list[tuple]:
        flu = winter_peak(doy, 0.6) * (1 + 0.15 * weather(self.ctx.city, "flu", days))
        rows = []
        for d in self.ctx.city.districts:
            size = SIZE.get(d, 1.0)
            fever = rng.poisson(90 * size * flu * weekly(weekday, 1.15))
            beds = int(2600 * size)
            occupied = np.minimum(beds, (beds * rng.normal(0.84, 0.025, days.size) * (0.98 + 0.04 * flu / 1.6)))
            calls = rng.poisson(38 * size * (0.9 + 0.2 * flu / 1.6))
            on_time = rng.binomial(calls, 0.965)
            rows += [(d, t, int(f), beds, int(o), int(c), int(k), w) for t, f, o, c, k, w in
                     zip(day_text, fever, occupied, calls, on_time, written, strict=True)]
        return rows

    def _business(self, rng, days, day_text, written, weekday, doy) -> list[tuple]:
        rows = []
        for d in self.ctx.city.districts:
            size = SIZE.get(d, 1.0)
            work = weekly(weekday, 0.08)
            new = rng.poisson(42 * size * work)
            cancelled = rng.poisson(16 * size * work)
            total = (70_000 * size + (days // DAY - 20_000) * 12 * size).astype(int)   # steady growth, any window
            permits = rng.poisson(28 * size * work)
            online = permits - rng.binomial(permits, 0.004)
            permit_days = permits * rng.normal(11.5, 1.2, days.size)
            complaints = rng.poisson(5 * size, days.size)
            rows += [(d, t, int(a), int(b), int(c), int(p), int(o), round(float(pd), 1), int(q), w)
                     for t, a, b, c, p, o, pd, q, w in
                     zip(day_text, new, cancelled, total, permits, online, permit_days, complaints, written, strict=True)]
        return rows

    def _data_catalog(self, rng, days, day_text, written, weekday, doy) -> list[tuple]:
        city = self.ctx.city
        cats = ["经济", "社会", "基础"]
        rows = []
        for i in range(120):
            district = city.districts[i % len(city.districts)]
            cat = cats[i % 3]
            mounted = rng.random(days.size) < (0.995 if cat == "经济" else 0.95 if cat == "社会" else 0.99)
            timely = rng.random(days.size) < 0.985
            quality = rng.random(days.size) < 0.992
            cpu = np.clip(rng.normal(61, 6, days.size), 10, 98)
            rows += [(f"DR{i + 1:04d}", t, district, cat, int(m), int(u), int(q), round(float(c), 1), w)
                     for t, m, u, q, c, w in zip(day_text, mounted, timely, quality, cpu, written, strict=True)]
        return rows
