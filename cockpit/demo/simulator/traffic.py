"""The traffic platform (交通运行监测): a congestion index per road, served by its data API.

Demo volume: 24 main roads (four per district), one reading per road every 5 minutes live, hourly in the
recent history, every 3 hours before (archive). Index 0–10 with weekday morning and evening peaks; rare accidents. History goes to the
platform's export table in the exchange database; the API's store keeps its three-day window.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from cockpit.demo.simulator.base import System, noise, weather
from cockpit.demo.simulator.city import local_series
from cockpit.demo.simulator.http_api import API_WINDOW

ROADS_PER_DISTRICT = 4


class TrafficPlatform(System):
    """Road readings, kept in the simulator's store and served by /api/traffic/congestion."""

    name = "traffic"
    history_interval = 3600
    archive_interval = 3 * 3600
    live_interval = 300

    def roads(self) -> list[tuple[str, str, float, float]]:
        """(road id, street, length km, urban weight) of every road."""
        city = self.ctx.city
        rng = city.rng(self.name, "roads")
        out = []
        for d in city.districts:
            streets = city.streets_of(d)
            urban = 1.0 if d in ("321202", "321203", "321204") else 0.7
            for j in range(ROADS_PER_DISTRICT):
                out.append((f"R{d}{j + 1:02d}", streets[j % len(streets)], round(float(rng.uniform(1.5, 6.0)), 2),
                            urban * float(rng.uniform(0.8, 1.2))))
        return out

    def generate(self, start: int, end: int, history: bool) -> int:
        """A reading per road per interval in [start, end)."""
        times = self.reading_times(start, end, history)
        if times.size == 0:
            return 0
        city = self.ctx.city
        rng = city.rng(self.name, start)
        hour, weekday, _doy = city.local(times)
        work = weekday < 5
        peaks = np.exp(-((hour - 8.0) ** 2) / 0.8) * 3.2 + np.exp(-((hour - 17.8) ** 2) / 1.2) * 3.6
        night = np.where((hour < 6) | (hour > 22), -1.0, 0.0)
        base = 2.3 + np.where(work, peaks, 0.45 * peaks) + night + 0.3 * weather(city, "rain", times)
        frames = []
        for i, (road, street, length, weight) in enumerate(self.roads()):
            idx = np.clip(base * weight + 0.5 * noise(city, "traffic", times, i), 0.3, 9.8)
            speed = np.clip(62 - 5.2 * idx + rng.normal(0, 2, times.size), 8, 70)
            accident = rng.random(times.size) < (0.004 if history else 0.0004)
            frames.append(pl.DataFrame({"road_id": road, "measured": times, "street": street,
                                        "congestion": np.round(idx, 2), "speed": np.round(speed, 1),
                                        "length_km": length, "accident": accident.astype(np.int64)}))
        rows = pl.concat(frames)
        if history:
            text = local_series(rows["measured"].to_numpy(), city.utc_offset_hours)
            self.ctx.exchange.upsert("his_traffic_tpi", rows.select(
                "road_id", text.alias("time"), "street", "congestion", "speed", "length_km", "accident",
                pl.lit(self.ctx.stamp()).alias("update_time")).rows())
            served = rows.filter(pl.col("measured") >= self.ctx.horizon - API_WINDOW)
        else:
            served = rows
        self.ctx.internal.insert("traffic", served.rows())
        return rows.height
