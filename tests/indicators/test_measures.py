"""Every measure type and roll-up against an independent computation written here in polars / Python."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from cockpit.core.config.indicators import IndicatorConfig
from indicators import calendar, engine, store
from tests.indicators import data

NOW = datetime(2025, 6, 1, tzinfo=UTC)
CST = timedelta(hours=8)


def with_indicators(config, **defs):
    """The demo config with only these indicators (ids use __ for dots)."""
    inds = {k.replace("__", "."): IndicatorConfig.model_validate({"domain": "12345热线", "name": k, **v})
            for k, v in defs.items()}
    return config.model_copy(update={"indicators": inds})


def orders_frame(rows) -> pl.DataFrame:
    frame = pl.DataFrame(rows, infer_schema_length=None)
    return frame.with_columns(
        (pl.col("created_at") + CST).dt.date().alias("day"),
        pl.col("street_code").alias("street"), pl.col("street_code").str.slice(0, 6).alias("district"))


def stored(db, iid, grain="day") -> dict[tuple[str, object], float]:
    v = store.all_values(db, iid).filter(pl.col("grain") == grain)
    return {(r["area_code"], (r["period_start"] + CST).date()): r["value"] for r in v.iter_rows(named=True)}


def expected(frame: pl.DataFrame, agg, level: str, city="321200") -> dict:
    key = pl.lit(city) if level == "city" else pl.col(level)
    out = frame.group_by(key.alias("area"), "day").agg(agg.alias("v")).drop_nulls("v")
    return {(r["area"], r["day"]): r["v"] for r in out.iter_rows(named=True)}


def assert_close(got: dict, want: dict):
    assert set(got) == set(want)
    for k, v in want.items():
        assert got[k] == pytest.approx(v, rel=1e-9, abs=1e-9), k


@pytest.fixture
def orders(db, config):
    rows = data.hotline_orders(config, 2500, seed=7)
    data.insert(db, "hotline_orders", rows)
    return orders_frame(rows)


MEASURES = {
    "count": ({"type": "count", "where": [{"column": "dispatched", "op": "eq", "value": True}]},
              pl.col("dispatched").sum()),
    "distinct": ({"type": "distinct_count", "column": "category"}, pl.col("category").n_unique()),
    "ratio": ({"type": "ratio", "where": [{"column": "closed_at", "op": "not_null"}],
               "numerator": {"where": [{"column": "closed_at", "op": "le", "ref": "due_at"}]}, "denominator": {}},
              pl.when(pl.col("closed_at").is_not_null().sum() > 0).then(
                  (pl.col("closed_at") <= pl.col("due_at")).sum() / pl.col("closed_at").is_not_null().sum() * 100)),
    "ratio_in": ({"type": "ratio", "numerator": {"where": [{"column": "category", "op": "in",
                                                             "value": ["住房", "交通出行"]}]}, "denominator": {}},
                 pl.col("category").is_in(["住房", "交通出行"]).mean() * 100),
}


@pytest.mark.parametrize("name", list(MEASURES))
@pytest.mark.parametrize("level", ["street", "district", "city"])
def test_row_measures_match_polars(db, config, orders, name, level):
    measure, agg = MEASURES[name]
    cfg = with_indicators(config, t={"dataset": "hotline_orders", "measure": measure, "grains": ["day"]})
    engine.evaluate(db, cfg, NOW)
    got = {k: v for k, v in stored(db, "t").items() if _level(k[0]) == level}
    assert_close(got, expected(orders, agg, level))


def _level(code):
    return "street" if len(code) == 9 else "city" if code == "321200" else "district"


def test_sum_mean_median_percentile_latest(db, config):
    rows = data.station_rows(config, "traffic_congestion", {"congestion_index": (0, 10), "speed_kmh": (5, 60),
                                                            "length_km": (0.2, 3), "accident": [True, False]},
                             24 * 5, 9, entity="road_id")
    for i, r in enumerate(rows):
        if i % 11 == 0:
            r["speed_kmh"] = None  # mean/median/sum ignore missing values
    data.insert(db, "traffic_congestion", rows)
    frame = pl.DataFrame(rows, infer_schema_length=None).with_columns(
        (pl.col("measured_at") + CST).dt.date().alias("day"), pl.col("street_code").alias("street"),
        pl.col("street_code").str.slice(0, 6).alias("district"))
    cfg = with_indicators(
        config,
        s={"dataset": "traffic_congestion", "measure": {"type": "sum", "column": "length_km"}},
        m={"dataset": "traffic_congestion", "measure": {"type": "mean", "column": "speed_kmh"}},
        md={"dataset": "traffic_congestion", "measure": {"type": "median", "column": "speed_kmh"}},
        p9={"dataset": "traffic_congestion", "measure": {"type": "percentile", "column": "congestion_index", "q": 0.9}},
        la={"dataset": "traffic_congestion", "measure": {"type": "latest", "column": "speed_kmh", "entity": "road_id",
                                                           "combine": "mean"}},
    )
    engine.evaluate(db, cfg, NOW)
    latest = (frame.drop_nulls("speed_kmh").sort("measured_at").group_by("road_id", "day", "street", "district")
              .agg(pl.col("speed_kmh").last()))
    for level in ("street", "district", "city"):
        want = {
            "s": expected(frame, pl.col("length_km").sum(), level),
            "m": expected(frame, pl.col("speed_kmh").mean(), level),
            "md": expected(frame, pl.col("speed_kmh").median(), level),
            "p9": expected(frame, pl.col("congestion_index").quantile(0.9, interpolation="linear"), level),
            "la": expected(latest, pl.col("speed_kmh").mean(), level),
        }
        for iid, w in want.items():
            got = {k: v for k, v in stored(db, iid).items() if _level(k[0]) == level}
            assert_close(got, w)


def test_district_median_is_recomputed_from_rows_not_averaged(db, config):
    """Street medians 1 and 100 (with 1 and 3 rows): the district median is the median of all four rows."""
    t = datetime(2025, 3, 3, 2, tzinfo=UTC)
    rows = [{"road_id": f"r{i}", "measured_at": t, "street_code": code, "speed_kmh": v}
            for i, (code, v) in enumerate([("321202001", 1), ("321202002", 100), ("321202002", 100),
                                           ("321202002", 2)])]
    data.insert(db, "traffic_congestion", rows)
    cfg = with_indicators(config, md={"dataset": "traffic_congestion",
                                      "measure": {"type": "median", "column": "speed_kmh"}})
    engine.evaluate(db, cfg, NOW)
    got = stored(db, "md")
    day = (t + CST).date()
    assert got[("321202001", day)] == 1 and got[("321202002", day)] == 100
    assert got[("321202", day)] == statistics.median([1, 100, 100, 2]) == 51


def test_ratio_rolls_up_from_numerators_not_mean_of_street_rates(db, config):
    """Street A 1/1 = 100 %, street B 1/10 = 10 %: the district rate is 2/11, not the mean 55 %."""
    t = datetime(2025, 3, 3, 2, tzinfo=UTC)
    rows = []
    for i in range(11):
        street = "321202001" if i == 0 else "321202002"
        ontime = i in (0, 1)
        rows.append({"order_id": f"x{i}", "created_at": t, "due_at": t + timedelta(days=1),
                     "closed_at": t + timedelta(hours=2 if ontime else 30), "street_code": street})
    data.insert(db, "hotline_orders", rows)
    cfg = with_indicators(config, r={"dataset": "hotline_orders", "measure": MEASURES["ratio"][0]})
    engine.evaluate(db, cfg, NOW)
    values = store.all_values(db, "r").filter(pl.col("grain") == "day")
    by_area = {r["area_code"]: r for r in values.iter_rows(named=True)}
    assert by_area["321202001"]["value"] == 100 and by_area["321202002"]["value"] == 10
    district = by_area["321202"]
    assert district["value"] == pytest.approx(200 / 11)
    assert (district["numerator"], district["denominator"]) == (2, 11)
    assert district["value"] != pytest.approx((100 + 10) / 2)


def test_working_days_match_the_reference_calendar(db, config, orders):
    cfg = with_indicators(config, w={"dataset": "hotline_orders", "time": "closed_at",
                                     "measure": {"type": "working_days", "start": "created_at", "end": "closed_at"}},
                          wm={"dataset": "hotline_orders", "time": "closed_at",
                              "measure": {"type": "working_days", "start": "created_at", "end": "closed_at",
                                          "stat": "median"}})
    engine.evaluate(db, cfg, NOW)
    closed = orders.drop_nulls("closed_at")
    durations = [calendar.working_days_between(r["created_at"], r["closed_at"], "Asia/Shanghai")
                 for r in closed.iter_rows(named=True)]
    frame = closed.with_columns(pl.Series("wd", durations), (pl.col("closed_at") + CST).dt.date().alias("day"))
    assert_close(stored(db, "w"), {**expected(frame, pl.col("wd").mean(), "street"),
                                   **expected(frame, pl.col("wd").mean(), "district"),
                                   **expected(frame, pl.col("wd").mean(), "city")})
    assert_close(stored(db, "wm"), {**expected(frame, pl.col("wd").median(), "street"),
                                    **expected(frame, pl.col("wd").median(), "district"),
                                    **expected(frame, pl.col("wd").median(), "city")})


def test_working_days_skip_holidays_and_count_makeup_days():
    tz = "Asia/Shanghai"
    # Friday 2024-09-27 18:00 → Tuesday 2024-10-08 09:00 local: 国庆 1–7 Oct off; Sun 29 Sep and Sat 12 Oct are workdays.
    start = datetime(2024, 9, 27, 10, tzinfo=UTC)
    end = datetime(2024, 10, 8, 1, tzinfo=UTC)
    # Fri 6 h + Sun 29 Sep 24 h + Mon 30 Sep 24 h + Tue 8 Oct 9 h = 63 h.
    assert calendar.working_days_between(start, end, tz) == pytest.approx(63 / 24)


def test_derived_and_composite(db, config, orders):
    cfg = with_indicators(
        config,
        a={"dataset": "hotline_orders", "measure": {"type": "count"}, "grains": ["day", "month"]},
        b={"dataset": "hotline_orders", "measure": {"type": "count", "where": [
            {"column": "dispatched", "op": "eq", "value": False}]}, "grains": ["day", "month"]},
        d={"measure": {"type": "derived", "op": "difference", "inputs": ["a", "b"]}, "grains": ["day", "month"]},
        r={"dataset": "hotline_orders", "measure": MEASURES["ratio"][0], "target": 90,
           "levels": {"red": {"below": 50}}, "grains": ["day"]},
        c={"measure": {"type": "composite", "components": {"r": 1.0}}, "grains": ["day"]},
    )
    engine.evaluate(db, cfg, NOW)
    a, b, d = stored(db, "a"), stored(db, "b"), stored(db, "d")
    assert d and all(d[k] == a[k] - b.get(k, 0) for k in d if k in b)
    assert_close(d, {k: a[k] - b[k] for k in a if k in b})
    ratio, comp = stored(db, "r"), stored(db, "c")
    assert set(comp) == set(ratio)
    for k, v in ratio.items():
        assert comp[k] == pytest.approx(round(min(100, max(0, 100 * (v - 50) / 40)), 2))


def test_definition_versions_apply_by_period(db, config):
    """v2 (from 2025-07-01, dispatched orders only) applies to periods from its effective date."""
    t_old, t_new = datetime(2025, 6, 30, 3, tzinfo=UTC), datetime(2025, 7, 1, 3, tzinfo=UTC)
    rows = []
    for t, tag in ((t_old, "a"), (t_new, "b")):
        rows += [{"order_id": f"{tag}1", "created_at": t, "due_at": t + timedelta(days=1),
                  "closed_at": t + timedelta(hours=1), "street_code": "321202001", "dispatched": True},
                 {"order_id": f"{tag}2", "created_at": t, "due_at": t + timedelta(days=1),
                  "closed_at": t + timedelta(days=3), "street_code": "321202001", "dispatched": False}]
    data.insert(db, "hotline_orders", rows)
    cfg = with_indicators(config, v=config.indicators["hotline.ontime_rate"].model_dump(by_alias=True)
                          | {"name": "v", "domain": "12345热线"})
    engine.evaluate(db, cfg, NOW)
    values = store.all_values(db, "v").filter((pl.col("grain") == "day") & (pl.col("area_code") == "321200"))
    got = {(r["period_start"] + CST).date().isoformat(): (r["value"], r["definition_version"])
           for r in values.iter_rows(named=True)}
    assert got == {"2025-06-30": (50.0, 1), "2025-07-01": (100.0, 2)}


def test_no_rows_means_no_value_not_zero(db, config):
    cfg = with_indicators(config, r={"dataset": "hotline_orders", "measure": MEASURES["ratio"][0]})
    engine.evaluate(db, cfg, NOW)
    assert store.all_values(db, "r").height == 0
