"""The 12345 hotline platform: work orders (with their life cycle) and calls, served by its data API.

Demo volumes (scale 1): about 450 orders and 700 calls a day on working days, three quarters of that at
weekends, 20 % more in high summer; 55 % of orders are dispatched to a unit, the rest answered directly.
Baselines of the brief: on-time 99.9 %, satisfaction ≈ 94.6 %, solved ≈ 90 %, ≈ 4 working days to close.

History goes to the platform's export tables in the exchange database, as it stands at the end of the
backfill; the API's own store keeps what its three-day window can still serve and the orders still open.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from cockpit.demo.simulator.base import System
from cockpit.demo.simulator.city import (
    DAY,
    HOUR,
    local_series,
    office_hours,
    poisson_times,
    summer_peak,
    weekly,
)
from cockpit.demo.simulator.http_api import API_WINDOW

CATEGORIES = ["城市管理", "住房建设", "环境保护", "交通运输", "市场监管", "社会保障", "公共安全", "教育",
              "医疗卫生", "水电气热", "农业农村", "其他"]
CATEGORY_WEIGHTS = np.array([18, 12, 8, 9, 10, 9, 5, 6, 6, 9, 4, 4], dtype=float)
CHANNELS = ["电话", "微信", "网站", "APP"]
CHANNEL_WEIGHTS = np.array([0.6, 0.15, 0.1, 0.15])
ORDERS_PER_DAY = 450
CALLS_PER_ORDER = 1.55
NEVER = 2**62
# An order's last step before :e and its next step from :e on (created, dispatched, closed, visited; -1 = none)
_STEPS = ("created", "dispatched", "closed", "visited")
_LAST_STEP = "max(" + ", ".join(f"case when {c} < :e then {c} else -1 end" for c in _STEPS) + ")"
_NEXT_STEP = "min(" + ", ".join(f"case when {c} >= :e then {c} else {NEVER} end" for c in _STEPS) + ")"


def _street_weights(streets: tuple[str, ...]) -> np.ndarray:
    # 街道 (codes 0xx) are urban and busier than 镇 (1xx) and 乡 (2xx)
    w = np.array([3.0 if s[6] == "0" else 1.0 for s in streets])
    return w / w.sum()


class Hotline(System):
    """12345 orders and calls, kept in the simulator's store and served by /api/12345/*."""

    name = "hotline"

    def rate(self, hours: np.ndarray) -> np.ndarray:
        """Orders per hour city-wide at each hour start."""
        hour, weekday, doy = self.ctx.city.local(hours + HOUR // 2)
        profile = office_hours(hour) / office_hours(np.arange(24) + 0.5).sum()
        return ORDERS_PER_DAY * self.ctx.city.scale * profile * weekly(weekday, 0.75) * summer_peak(doy, 0.2)

    def generate(self, start: int, end: int, history: bool) -> int:
        """Orders created and calls started in [start, end)."""
        city = self.ctx.city
        rng = city.rng(self.name, start)
        created = poisson_times(rng, start, end, self.rate)
        streets = np.array(city.streets)[rng.choice(len(city.streets), created.size, p=_street_weights(city.streets))]
        cats = np.array(CATEGORIES)[rng.choice(len(CATEGORIES), created.size, p=CATEGORY_WEIGHTS / CATEGORY_WEIGHTS.sum())]
        minutes = np.arange(start // 60 * 60, end, 60)
        surge, params = self.ctx.drills.mask("hotline_surge", minutes)
        if surge.any():
            times = minutes[surge]
            extra = times[rng.random(times.size) < params.get("per_hour", 40) / 60]
            created = np.concatenate([created, extra])
            streets = np.concatenate([streets, np.full(extra.size, params["street"])])
            cats = np.concatenate([cats, np.full(extra.size, params["category"])])
        orders = self._orders(rng, created, streets, cats)
        calls = self._calls(rng, start, end)
        self._advance(end)
        if history:
            horizon = self.ctx.horizon
            written = self._export(orders, calls, horizon)
            served = horizon - API_WINDOW
            orders = orders.filter((pl.col("created") >= served) | (pl.col("visited") >= served)
                                   | (pl.col("closed") >= served))
            calls = calls.filter(pl.col("started") >= served)
        orders = orders.with_columns(
            upd=pl.max_horizontal(*(pl.when(pl.col(c) < end).then(pl.col(c)).otherwise(-1) for c in _STEPS)),
            nxt=pl.min_horizontal(*(pl.when(pl.col(c) >= end).then(pl.col(c)).otherwise(NEVER) for c in _STEPS)))
        self.ctx.internal.insert("hotline_orders", orders.rows())
        self.ctx.internal.insert("hotline_calls", calls.rows())
        return written if history else orders.height + calls.height

    def _advance(self, end: int) -> None:
        """Orders whose next step (dispatch, close, follow-up call) happened before `end` change now."""
        con = self.ctx.internal.connect()
        con.execute(f"update hotline_orders set upd = {_LAST_STEP}, nxt = {_NEXT_STEP} where nxt < :e", {"e": end})

    def _orders(self, rng, created: np.ndarray, streets, cats) -> pl.DataFrame:
        n = created.size
        dispatched_flag = rng.random(n) < 0.55
        dispatched = np.where(dispatched_flag, created + rng.exponential(0.04 * DAY, n).astype(np.int64) + 300, -1)
        # dispatched orders: promised 7 calendar days (5 working days); closed in ≈ 4 working days
        due = np.where(dispatched_flag, created + 7 * DAY, created + DAY)
        handling = np.where(dispatched_flag, rng.gamma(6.0, 0.9 * DAY, n), rng.exponential(2 * HOUR, n))
        closed = created + np.minimum(handling, (due - created) * 0.98).astype(np.int64) + 600
        late = rng.random(n) < 0.0008
        closed = np.where(late, due + rng.exponential(DAY, n).astype(np.int64), closed)
        visited = np.where(rng.random(n) < 0.8, closed + rng.uniform(0.5 * DAY, 2 * DAY, n).astype(np.int64), -1)
        channels = np.array(CHANNELS)[rng.choice(len(CHANNELS), n, p=CHANNEL_WEIGHTS)]
        ids = [f"TZ12345-{c}-{i:04d}" for i, c in enumerate(created.tolist())]
        return pl.DataFrame({
            "order_id": ids, "created": created, "dispatched": dispatched, "due": due, "closed": closed,
            "visited": visited, "street": streets.astype(str), "category": cats.astype(str),
            "channel": channels.astype(str), "satisfied": (rng.random(n) < 0.946).astype(np.int64),
            "solved": (rng.random(n) < 0.905).astype(np.int64)}, schema_overrides={"order_id": pl.String})

    def _calls(self, rng, start: int, end: int) -> pl.DataFrame:
        city = self.ctx.city
        started = poisson_times(rng, start, end, lambda h: self.rate(h) * CALLS_PER_ORDER)
        n = started.size
        districts = np.array(city.districts)[rng.choice(len(city.districts), n)]
        hour, _wd, _doy = city.local(started)
        busy = np.clip(office_hours(hour), 0, 1.2)
        answered = rng.random(n) < 0.992 - 0.02 * busy
        wait = rng.gamma(2.0, 6.0 + 8.0 * busy, n).astype(np.int64)
        wait = np.where(answered, wait, wait + 45)
        ids = [f"TZCALL-{s}-{i:04d}" for i, s in enumerate(started.tolist())]
        return pl.DataFrame({"call_id": ids, "started": started, "district": districts.astype(str),
                             "answered": answered.astype(np.int64), "wait_seconds": wait},
                            schema_overrides={"call_id": pl.String})

    def _export(self, orders: pl.DataFrame, calls: pl.DataFrame, horizon: int) -> int:
        """The history as it stands at `horizon`, into the export tables of the exchange database."""
        off = self.ctx.city.utc_offset_hours

        def known(col: str) -> pl.Expr:
            return pl.when((pl.col(col) >= 0) & (pl.col(col) < horizon)).then(pl.col(col)).otherwise(-1)

        o = orders.with_columns(d=known("dispatched"), c=known("closed"), v=known("visited"))
        o = o.with_columns(upd=pl.max_horizontal("created", "d", "c", "v"))
        text = {k: local_series(o[k].to_numpy(), off) for k in ("created", "d", "due", "c", "upd")}
        status = pl.when(pl.col("c") >= 0).then(pl.lit("办结")).when(pl.col("d") >= 0).then(pl.lit("办理中")) \
            .otherwise(pl.lit("受理"))
        visited = pl.col("v") >= 0
        rows = o.select(
            "order_id", text["created"].alias("created_at"), text["d"].alias("dispatched_at"),
            text["due"].alias("due_at"), text["c"].alias("closed_at"), pl.col("street"), pl.col("category"),
            pl.col("channel"), status.alias("status"), (pl.col("d") >= 0).cast(pl.Int64).alias("dispatched"),
            visited.cast(pl.Int64).alias("visited"), pl.when(visited).then(pl.col("satisfied")).alias("satisfied"),
            pl.when(visited).then(pl.col("solved")).alias("solved"), pl.lit(self.ctx.stamp()).alias("update_time")).rows()
        started = local_series(calls["started"].to_numpy(), off)
        call_rows = calls.select("call_id", started.alias("started_at"), "district", "answered", "wait_seconds",
                                 pl.lit(self.ctx.stamp()).alias("update_time")).rows()
        self.ctx.exchange.upsert("his_12345_order", rows)
        self.ctx.exchange.upsert("his_12345_call", call_rows)
        return len(rows) + len(call_rows)
