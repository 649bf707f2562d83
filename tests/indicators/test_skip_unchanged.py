"""An evaluation after an ingest that wrote one dataset recomputes only that dataset's indicators and the derived
indicators that read them; the others are skipped by their dataset's data version, without reading rows. The
values equal a full run's."""

from __future__ import annotations

from datetime import timedelta

from indicators import engine, store
from tests.indicators import data
from tests.indicators.test_measures import with_indicators
from tests.indicators.test_properties import NOW


def _ingest(db, table: str, rows: list[dict]) -> None:
    """Rows written the way a connector writes them: the batch and a bump of the dataset's data version."""
    data.insert(db, table, rows)
    with db.transaction() as cur:
        db.bump(cur, "data")
        db.bump(cur, f"dataset:{table}")


def _catalog(config):
    return with_indicators(
        config,
        n={"dataset": "hotline_orders", "measure": {"type": "count"}, "grains": ["day", "month"]},
        c={"dataset": "traffic_congestion", "measure": {"type": "mean", "column": "congestion_index"},
           "grains": ["day"]},
        dn={"measure": {"type": "derived", "op": "sum", "inputs": ["n", "n"]}, "grains": ["day"]},
        dc={"measure": {"type": "derived", "op": "sum", "inputs": ["c", "c"]}, "grains": ["day"]},
        dd={"measure": {"type": "derived", "op": "difference", "inputs": ["dn", "c"]}, "grains": ["day"]},
    )


def _roads(config, hours, start=data.T0):
    return data.station_rows(config, "traffic_congestion", {"congestion_index": (0, 10), "speed_kmh": (5, 60),
                                                            "length_km": (0.2, 3), "accident": [True, False]},
                             hours, 4, entity="road_id", start=start)


def test_an_ingest_of_one_dataset_recomputes_only_its_indicators_and_their_dependants(db, config):
    cfg = _catalog(config)
    _ingest(db, "hotline_orders", data.hotline_orders(config, 200, days=20))
    _ingest(db, "traffic_congestion", _roads(config, 24 * 3))
    assert set(engine.evaluate(db, cfg, NOW).modes.values()) == {"full"}
    assert set(engine.evaluate(db, cfg, NOW).modes.values()) == {"unchanged"}

    _ingest(db, "hotline_orders", data.hotline_orders(config, 30, seed=9, start=data.T0 + timedelta(days=5),
                                                      days=2, prefix="late"))
    modes = engine.evaluate(db, cfg, NOW + timedelta(hours=1)).modes
    assert modes["n"] == "incremental" and modes["dn"] == "incremental"
    assert modes["c"] == "unchanged" and modes["dc"] == "unchanged"
    assert modes["dd"] == "incremental"

    incremental = store.all_values(db).drop("computed_at")
    engine.evaluate(db, cfg, NOW + timedelta(hours=2), full=True)
    assert store.all_values(db).drop("computed_at").equals(incremental)


def test_rows_written_without_a_data_version_are_still_found_by_fingerprints(db, config):
    cfg = _catalog(config)
    data.insert(db, "traffic_congestion", _roads(config, 24))
    engine.evaluate(db, cfg, NOW)
    data.insert(db, "traffic_congestion", _roads(config, 24, start=data.T0 + timedelta(days=1)))
    assert engine.evaluate(db, cfg, NOW + timedelta(hours=1)).modes["c"] == "incremental"


def test_a_dataset_whose_data_version_did_not_change_is_not_read(db, config):
    cfg = _catalog(config)
    _ingest(db, "traffic_congestion", _roads(config, 24))
    engine.evaluate(db, cfg, NOW)
    data.insert(db, "traffic_congestion", _roads(config, 24, start=data.T0 + timedelta(days=1)))  # no bump
    assert engine.evaluate(db, cfg, NOW + timedelta(hours=1)).modes["c"] == "unchanged"
    with db.transaction() as cur:
        db.bump(cur, "dataset:traffic_congestion")
    assert engine.evaluate(db, cfg, NOW + timedelta(hours=2)).modes["c"] == "incremental"
