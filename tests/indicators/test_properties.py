"""Hypothesis properties: roll-up of any partition equals the whole; incremental equals full."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit import bootstrap
from cockpit.core import store as core_store
from cockpit.core.db import Database
from indicators import engine, store
from tests.indicators import data
from tests.indicators.test_measures import MEASURES, with_indicators

T0 = datetime(2025, 3, 1, tzinfo=UTC)
STREETS = ["321202001", "321202002", "321203001", "321204101"]
NOW = datetime(2025, 6, 1, tzinfo=UTC)


def fresh_db(config) -> Database:
    db = Database(Path(tempfile.mkdtemp()) / "p.duckdb")
    db.migrate(bootstrap.MIGRATIONS)
    core_store.sync_identity(db, config)
    data.create_tables(db, config)
    return db


order = st.fixed_dictionaries({
    "minute": st.integers(0, 14 * 1440), "street": st.sampled_from(STREETS),
    "late": st.booleans(), "closed": st.booleans(), "hours": st.integers(1, 300),
})


def rows_of(spec, prefix="o"):
    out = []
    for i, s in enumerate(spec):
        created = T0 + timedelta(minutes=s["minute"])
        due = created + timedelta(hours=s["hours"])
        closed = (due + timedelta(hours=1) if s["late"] else due - timedelta(minutes=30)) if s["closed"] else None
        out.append({"order_id": f"{prefix}{i}", "created_at": created, "due_at": due, "closed_at": closed,
                    "street_code": s["street"], "category": "c", "dispatched": s["late"]})
    return out


def _indicators(config):
    return with_indicators(
        config,
        r={"dataset": "hotline_orders", "measure": MEASURES["ratio"][0], "grains": ["hour", "day", "week", "month"]},
        n={"dataset": "hotline_orders", "measure": {"type": "count"}, "grains": ["day", "year"]},
        md={"dataset": "hotline_orders", "measure": {"type": "working_days", "start": "created_at", "end": "due_at",
                                                     "stat": "median"}, "grains": ["week"]},
        d={"measure": {"type": "derived", "op": "ratio", "inputs": ["n", "n"]}, "grains": ["day"]},
    )


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(spec=st.lists(order, min_size=1, max_size=40))
def test_rollup_of_any_partition_equals_the_whole(config, spec):
    db = fresh_db(config)
    cfg = _indicators(config)
    rows = rows_of(spec)
    data.insert(db, "hotline_orders", rows)
    engine.evaluate(db, cfg, NOW)
    values = store.all_values(db).filter(pl.col("grain").is_in(["year", "month"]))
    for iid in ("r", "n"):
        v = values.filter(pl.col("indicator_id") == iid)
        streets = v.filter(pl.col("area_code").str.len_chars() == 9)
        city = v.filter(pl.col("area_code") == "321200")
        for period in city["period_start"].unique():
            s = streets.filter(pl.col("period_start") == period)
            c = city.filter(pl.col("period_start") == period).row(0, named=True)
            assert c["numerator"] == s["numerator"].sum()
            if iid == "r":
                assert c["denominator"] == s["denominator"].sum()
                assert c["value"] == c["numerator"] / c["denominator"] * 100
    # medians: the city's weekly median is the median of all its rows, whatever the streets' medians are
    weekly = store.all_values(db, "md").filter(pl.col("area_code") == "321200")
    assert weekly["sample_size"].sum() == len(rows)
    db.close()


@settings(max_examples=7, deadline=None, suppress_health_check=list(HealthCheck))
@given(first=st.lists(order, min_size=1, max_size=25), second=st.lists(order, max_size=25),
       delete=st.lists(st.integers(0, 24), max_size=5), edit=st.lists(st.integers(0, 24), max_size=5))
def test_incremental_equals_full(config, first, second, delete, edit):
    db = fresh_db(config)
    cfg = _indicators(config)
    data.insert(db, "hotline_orders", rows_of(first, "a"))
    engine.evaluate(db, cfg, NOW)
    data.insert(db, "hotline_orders", rows_of(second, "b"))
    with db.transaction() as cur:
        for i in delete:
            cur.execute("delete from hotline_orders where order_id = ?", [f"a{i}"])
        for i in edit:
            cur.execute("update hotline_orders set closed_at = null, street_code = '321203001' where order_id = ?",
                        [f"a{i}"])
    report = engine.evaluate(db, cfg, NOW + timedelta(hours=1))
    assert set(report.modes.values()) <= {"incremental", "unchanged", "full"}
    assert report.modes["r"] in ("incremental", "unchanged")
    incremental = _snapshot(db)
    engine.evaluate(db, cfg, NOW + timedelta(hours=2), full=True)
    assert _snapshot(db).equals(incremental)
    db.close()


def test_unchanged_data_is_not_recomputed(db, config):
    cfg = _indicators(config)
    data.insert(db, "hotline_orders", rows_of([{"minute": 5, "street": STREETS[0], "late": False, "closed": True,
                                                "hours": 3}]))
    assert engine.evaluate(db, cfg, NOW).modes["r"] == "full"
    assert engine.evaluate(db, cfg, NOW).modes["r"] == "unchanged"
    assert engine.evaluate(db, cfg, NOW, since=T0).modes["r"] == "incremental"


def _snapshot(db) -> pl.DataFrame:
    return store.all_values(db).drop("computed_at")


