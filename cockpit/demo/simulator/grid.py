"""The grid-management platform (网格化 / 数字城管): events written to the exchange database; an event is
written when reported and rewritten when closed.

Demo volume (scale 1): about 250 events a day (fewer at weekends); 70 % found by grid workers or video,
40 % are digital city-management cases; ≈ 96.5 % handled, ≈ 95 % closed within 3 days.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from cockpit.demo.simulator.base import System
from cockpit.demo.simulator.city import (
    DAY,
    HOUR,
    local_series,
    local_text,
    office_hours,
    poisson_times,
    summer_peak,
    weekly,
)
from cockpit.demo.simulator.stores import update_many

EVENTS_PER_DAY = 250
CATEGORIES = ["市容环境", "宣传广告", "施工管理", "街面秩序", "突发事件", "市政设施", "园林绿化", "矛盾纠纷", "安全隐患"]
SOURCES = ["网格员巡查", "群众上报", "视频发现"]


class GridPlatform(System):
    """Grid events in the exchange table `szcg_grid_event` (cursor column `update_time`)."""

    name = "grid"

    def rate(self, hours: np.ndarray) -> np.ndarray:
        """Events per hour city-wide."""
        hour, weekday, doy = self.ctx.city.local(hours + HOUR // 2)
        profile = office_hours(hour) / office_hours(np.arange(24) + 0.5).sum()
        return EVENTS_PER_DAY * self.ctx.city.scale * profile * weekly(weekday, 0.6) * summer_peak(doy, 0.15)

    def generate(self, start: int, end: int, history: bool) -> int:
        """Events reported in [start, end) and closures falling due in it."""
        city = self.ctx.city
        off = city.utc_offset_hours
        rng = city.rng(self.name, start)
        reported = poisson_times(rng, start, end, self.rate)
        n = reported.size
        streets = np.array(city.streets)[rng.choice(len(city.streets), n)]
        cats = np.array(CATEGORIES)[rng.choice(len(CATEGORIES), n)]
        sources = np.array(SOURCES)[rng.choice(3, n, p=[0.55, 0.3, 0.15])]
        city_mgmt = rng.random(n) < 0.4
        handled = rng.random(n) < 0.965
        due = reported + 3 * DAY
        close = reported + rng.gamma(2.2, 0.55 * DAY, n).astype(np.int64) + HOUR
        close = np.where(handled, close, -1)
        # the history is written as it stands at its end; live events close when their time comes
        closed_now = handled & (close < (self.ctx.horizon if history else end))
        open_status = np.array(["立案", "派遣", "处置", "核查"])[rng.integers(0, 4, n)]
        status = np.where(closed_now, "结案", open_status)
        close_text = local_series(np.where(closed_now, close, -1), off)
        frame = pl.DataFrame({
            "event_id": [f"WG{t}{i:04d}" for i, t in enumerate(reported.tolist())],
            "report_time": local_series(reported, off), "due_time": local_series(due, off), "close_time": close_text,
            "street_code": streets.astype(str),
            "grid_code": [f"{s}{a:03d}{b:03d}" for s, a, b in zip(streets.tolist(), rng.integers(1, 30, n).tolist(),
                                                                   rng.integers(1, 20, n).tolist(), strict=True)],
            "event_type": cats.astype(str), "event_source": sources.astype(str),
            "is_szcg": city_mgmt.astype(np.int64), "status": status.astype(str),
            "handled": closed_now.astype(np.int64),
            "update_time": self.ctx.stamp()},
            schema_overrides={"event_id": pl.String, "grid_code": pl.String, "close_time": pl.String})
        self.ctx.exchange.upsert("szcg_grid_event", frame.rows())
        waiting = handled & ~closed_now
        self.ctx.internal.insert("grid_pending", list(zip(frame["event_id"].filter(pl.Series(waiting)).to_list(),
                                                          close[waiting].tolist(), [1] * int(waiting.sum()),
                                                          strict=True)))
        return n + self._close_due(start, end)

    def _close_due(self, start: int, end: int) -> int:
        con = self.ctx.internal.connect()
        due = con.execute("select event_id, closes from grid_pending where closes < ? order by closes", [end]).fetchall()
        if not due:
            return 0
        texts = local_text(np.array([c for _e, c in due]), self.ctx.city.utc_offset_hours)
        stamp = self.ctx.stamp()
        update_many(self.ctx.exchange, "update szcg_grid_event set close_time = ?, status = '结案', handled = 1, "
                                       "update_time = ? where event_id = ?",
                    [(t, stamp, e) for (e, _c), t in zip(due, texts, strict=True)])
        con.execute("delete from grid_pending where closes < ?", [end])
        return len(due)
