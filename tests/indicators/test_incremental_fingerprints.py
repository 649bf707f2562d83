"""An incremental run rewrites only the fingerprints of changed days × areas; what it leaves stored must be what
a full run stores, or the next incremental run would miss or repeat changes."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import engine, store
from tests.indicators import data
from tests.indicators.test_properties import NOW, _indicators, fresh_db, order, rows_of


def _stored(db) -> pl.DataFrame:
    return pl.concat([store.stored_fingerprints(db, iid).with_columns(pl.lit(iid).alias("iid"))
                      for iid in ("r", "n", "md")]).sort("iid", "day", "area_code")


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(first=st.lists(order, min_size=1, max_size=25), second=st.lists(order, max_size=25),
       third=st.lists(order, max_size=10), delete=st.lists(st.integers(0, 24), max_size=5))
def test_fingerprints_after_incremental_runs_equal_a_full_run(config, first, second, third, delete):
    db = fresh_db(config)
    cfg = _indicators(config)
    data.insert(db, "hotline_orders", rows_of(first, "a"))
    engine.evaluate(db, cfg, NOW)
    data.insert(db, "hotline_orders", rows_of(second, "b"))
    with db.transaction() as cur:
        for i in delete:
            cur.execute("delete from hotline_orders where order_id = ?", [f"a{i}"])
    assert engine.evaluate(db, cfg, NOW + timedelta(hours=1)).modes["r"] in ("incremental", "unchanged")
    data.insert(db, "hotline_orders", rows_of(third, "c"))
    engine.evaluate(db, cfg, NOW + timedelta(hours=2))
    incremental_fp, incremental_values = _stored(db), store.all_values(db).drop("computed_at")
    engine.evaluate(db, cfg, NOW + timedelta(hours=3), full=True)
    assert _stored(db).equals(incremental_fp)
    assert store.all_values(db).drop("computed_at").equals(incremental_values)
    db.close()
