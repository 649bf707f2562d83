"""The emergency command system (应急指挥 接警): incidents written to the exchange database (yj_incident).

Demo volume (scale 1): about 30 incidents a day; median response ≈ 13 minutes; level 4 (一般) nearly always.
"""

from __future__ import annotations

import numpy as np

from cockpit.demo.simulator.base import System
from cockpit.demo.simulator.city import HOUR, local_text, poisson_times, summer_peak

KINDS = ["交通事故", "火灾", "治安", "医疗", "自然灾害"]


class EmergencyCommand(System):
    """Incidents received in a window."""

    name = "emergency"

    def rate(self, hours: np.ndarray) -> np.ndarray:
        """Incidents per hour city-wide."""
        hour, _weekday, doy = self.ctx.city.local(hours + HOUR // 2)
        profile = 0.5 + np.exp(-((hour - 18.0) ** 2) / 18.0)
        return 30 * self.ctx.city.scale * profile / 24 / 0.93 * summer_peak(doy, 0.1)

    def generate(self, start: int, end: int, history: bool) -> int:
        """Incidents received in [start, end)."""
        city = self.ctx.city
        rng = city.rng(self.name, start)
        received = poisson_times(rng, start, end, self.rate)
        n = received.size
        if n == 0:
            return 0
        minutes = np.round(rng.lognormal(np.log(13), 0.35, n), 1)
        arrived = received + (minutes * 60).astype(np.int64)
        streets = np.array(city.streets)[rng.choice(len(city.streets), n)]
        kinds = np.array(KINDS)[rng.choice(5, n, p=[0.45, 0.1, 0.25, 0.15, 0.05])]
        level = np.where(rng.random(n) < 0.003, 3, 4)
        casualties = rng.poisson(np.where(kinds == "交通事故", 0.3, 0.05))
        off = city.utc_offset_hours
        rec, arr = local_text(received, off), local_text(arrived, off)
        stamp = self.ctx.stamp()
        rows = [(f"YJ{received[i]}{i:03d}", rec[i], arr[i], float(minutes[i]), streets[i], kinds[i], int(level[i]),
                 int(casualties[i]), stamp) for i in range(n)]
        self.ctx.exchange.upsert("yj_incident", rows)
        return n
