"""The video surveillance platform (视频共享平台): the online status of its points, served by its data API.

Demo volume: 160 points (雪亮工程, 交通, 城管) checked every 10 minutes live, every 6 hours in the recent
history and daily before (archive);
about 98.5 % online, a few flaky points account for most of the outages. History goes to the platform's
export table in the exchange database; the API's store keeps its three-day window.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from cockpit.demo.simulator.base import System
from cockpit.demo.simulator.city import local_series
from cockpit.demo.simulator.http_api import API_WINDOW

POINTS = 160
KINDS = ["雪亮工程", "交通", "城管"]


class VideoPlatform(System):
    """Point status checks, kept in the simulator's store and served by /api/video/points."""

    name = "video"
    history_interval = 6 * 3600
    archive_interval = 24 * 3600
    live_interval = 600

    def points(self) -> pl.DataFrame:
        """Every point: id, street, district, kind and the share of checks it is offline."""
        city = self.ctx.city
        rng = city.rng(self.name, "points")
        weights = np.array([3.0 if s[6] == "0" else 1.0 for s in city.streets])
        streets = np.array(city.streets)[rng.choice(len(city.streets), POINTS, p=weights / weights.sum())]
        kinds = np.array(KINDS)[rng.choice(3, POINTS, p=[0.6, 0.25, 0.15])]
        offline = np.where(rng.random(POINTS) < 0.1, rng.uniform(0.05, 0.15, POINTS), rng.uniform(0.0, 0.01, POINTS))
        return pl.DataFrame({"point_id": [f"3212{s[2:6]}{i:06d}" for i, s in enumerate(streets)],
                             "street": streets.astype(str), "district": [city.street_district[s] for s in streets],
                             "kind": kinds.astype(str), "p_off": offline})

    def generate(self, start: int, end: int, history: bool) -> int:
        """A status row per point per check in [start, end)."""
        times = self.reading_times(start, end, history)
        if times.size == 0:
            return 0
        rng = self.ctx.city.rng(self.name, start)
        points = self.points()
        grid = points.join(pl.DataFrame({"checked": times}), how="cross")
        online = rng.random(grid.height) >= grid["p_off"].to_numpy()
        checked = grid["checked"].to_numpy()
        for district in self.ctx.city.districts:
            down, _ = self.ctx.drills.mask("video_offline", checked, district=district)
            if down.any():   # a batch outage takes down most points of the district (a switch or a link)
                hit = down & (grid["district"].to_numpy() == district) & (rng.random(grid.height) < 0.85)
                online &= ~hit
        grid = grid.with_columns(online=pl.Series(online.astype(np.int64)))
        if history:
            text = local_series(checked, self.ctx.city.utc_offset_hours)
            self.ctx.exchange.upsert("his_video_status", grid.select(
                "point_id", text.alias("check_time"), "street", "kind", "online", pl.lit(self.ctx.stamp()).alias("update_time")).rows())
            served = grid.filter(pl.col("checked") >= self.ctx.horizon - API_WINDOW)
        else:
            served = grid
        self.ctx.internal.insert("video_status", served.select("point_id", "checked", "street", "kind", "online").rows())
        return grid.height
