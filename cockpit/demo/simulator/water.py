"""The hydrology system (水文水资源): river levels and rainfall written to the exchange database in the
SL 323 layout (st_river_r, st_pptn_r).

Demo volume: 8 level stations and 12 rain gauges, every 10 minutes live, hourly in the recent history and
every 3 hours before (archive). Levels sit
about 0.9 m below the warning level, higher in the flood season (June–September) and after rain.
"""

from __future__ import annotations

import numpy as np

from cockpit.demo.simulator.base import System, noise, weather
from cockpit.demo.simulator.city import local_text, summer_peak

LEVEL_STATIONS = 8
RAIN_GAUGES = 12


class Hydrology(System):
    """Levels and rainfall readings."""

    name = "water"
    history_interval = 3600
    archive_interval = 3 * 3600
    live_interval = 600

    def stations(self, kind: str, count: int) -> list[tuple[str, str, float]]:
        """(station code, street, warning level m) of the level stations or rain gauges."""
        city = self.ctx.city
        rng = city.rng(self.name, kind)
        streets = [city.streets_of(d)[0] for d in city.districts]
        out = []
        for i in range(count):
            street = streets[i % len(streets)] if i < len(streets) else city.streets[int(rng.integers(len(city.streets)))]
            out.append((f"{'6' if kind == 'level' else '5'}12{city.code[2:4]}{i + 1:03d}", street,
                        round(float(rng.uniform(2.6, 3.6)), 2)))
        return out

    def rain(self, times: np.ndarray, street: str, i: int) -> np.ndarray:
        """Rain in mm per reading interval at one gauge."""
        city = self.ctx.city
        _h, _w, doy = city.local(times)
        wet = weather(city, "rain", times) + 1.2 * (summer_peak(doy, 1.0) - 1) + 0.4 * noise(city, "rain", times, i)
        mm = np.where(wet > 1.3, (wet - 1.3) ** 2 * 4.0, 0.0)
        storm, params = self.ctx.drills.mask("flood", times, district=city.street_district[street])
        if storm.any():
            mm = np.where(storm, 35 + 15 * np.abs(noise(city, "storm", times, i)), mm)
        return mm

    def generate(self, start: int, end: int, history: bool) -> int:
        """Readings of every station in [start, end)."""
        times = self.reading_times(start, end, history)
        if times.size == 0:
            return 0
        city = self.ctx.city
        off = city.utc_offset_hours
        step = self.interval_at(times, history)
        texts = local_text(times, off)
        written = [self.ctx.stamp()] * times.size
        levels, rains = [], []
        _h, _w, doy = city.local(times)
        for i, (stcd, street, wrz) in enumerate(self.stations("level", LEVEL_STATIONS)):
            recent_rain = np.maximum(weather(city, "rain", times - 12 * 3600) - 0.8, 0)
            z = wrz - 0.95 + 0.35 * (summer_peak(doy, 1.0) - 1) + 0.18 * recent_rain + 0.03 * noise(city, "z", times, i)
            flood, params = self.ctx.drills.mask("flood", times, district=city.street_district[street])
            if flood.any():
                z = np.where(flood, wrz + float((params or {}).get("above_m", 0.45)) + 0.02 * noise(city, "zf", times, i), z)
            levels += [(stcd, t, street, round(float(v), 2), wrz, round(wrz + 0.6, 2), w)
                       for t, v, w in zip(texts, z, written, strict=True)]
        for i, (stcd, street, _wrz) in enumerate(self.stations("rain", RAIN_GAUGES)):
            mm = self.rain(times, street, i) * step / 3600
            rains += [(stcd, t, street, round(float(v), 1), w) for t, v, w in zip(texts, mm, written, strict=True)]
        self.ctx.exchange.upsert("st_river_r", levels)
        self.ctx.exchange.upsert("st_pptn_r", rains)
        return len(levels) + len(rains)
