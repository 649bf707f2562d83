"""The batched reads a cockpit page uses (all tiles in a few statements) give exactly what the one-indicator
queries give, on evaluated data: current values, 同比/环比/target/rank, trends and whole tile readings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cockpit.core import store as core_store
from indicators import queries
from indicators.periods import shift
from layouts import readings
from tests.indicators.test_properties import fresh_db
from tests.layouts.seed import seed
from tests.layouts.test_readings import NOW


@pytest.fixture(scope="module")
def db(config):
    """One seeded and evaluated database for the module: the tests only read it."""
    database = fresh_db(config)
    seed(database, config, NOW)
    yield database
    database.close()


def _areas(db, config):
    district = core_store.children(db, config.city.code)[0]
    street = core_store.children(db, district.code)[0]
    return [config.city.code, district.code, street.code]


def test_batched_queries_equal_the_single_indicator_ones(db, config):
    tz = config.city.timezone
    ids = list(config.indicators)
    pairs = [(iid, g) for iid in ids for g in dict.fromkeys([readings.display_grain(config.indicators[iid]),
                                                             config.indicators[iid].signal_grain])]
    compared = ranked = 0
    for area in _areas(db, config):
        batch = queries.currents(db, config, pairs, area)
        single = [queries.current(db, config, iid, area, g) for iid, g in pairs]
        assert batch == single
        known = [(c.indicator_id, c.grain, c.period_start) for c in single if c.period_start is not None]
        assert known, "the seeded data has values"
        cmp_batch = queries.compares(db, config, known, area)
        cmp_single = [queries.compare(db, config, iid, area, g, p) for iid, g, p in known]
        assert cmp_batch == cmp_single
        compared += sum(c.yoy_pct is not None and c.mom_pct is not None for c in cmp_single)
        ranked += sum(c.rank is not None for c in cmp_single)
        spans = [(iid, g, shift(p, g, -20, tz), shift(p, g, 1, tz)) for iid, g, p in known]
        spans.append((known[0][0], known[0][1], None, None))  # the whole history
        for got, (iid, g, start, end) in zip(queries.trends(db, spans, area), spans, strict=True):
            want = queries.trend(db, iid, area, g, start, end)
            assert got.equals(want) and got.height == want.height
    assert compared and ranked  # 同比/环比 and sibling ranks were really compared, not only empty ones


def test_batched_readings_equal_single_readings(db, config):
    ids = list(config.indicators) + ["hotline.ontime_rate"]  # a tile shown twice (pinned and a domain key)
    for area in _areas(db, config):
        batch = readings.readings(db, config, ids, area, NOW)
        assert batch == [readings.reading(db, config, iid, area, NOW) for iid in ids]
        assert any(r.spark[0] for r in batch) and any(r.missing for r in batch)
        if area == config.city.code:
            assert any(r.stale for r in batch)  # government-service statistics stopped six days ago
    longer = readings.readings(db, config, ["hotline.ontime_rate"], config.city.code, NOW,
                               {"hotline.ontime_rate": 10})[0]
    r = readings.reading(db, config, "hotline.ontime_rate", config.city.code, NOW)
    assert longer.spark[0] == [t for t in r.spark[0] if t >= r.period_start - timedelta(days=10)]

    earlier = NOW - timedelta(days=3)  # the seeded values run up to NOW: newer periods than `earlier` are not shown
    batch = readings.readings(db, config, list(config.indicators), config.city.code, earlier)
    assert batch == [readings.reading(db, config, iid, config.city.code, earlier) for iid in config.indicators]
