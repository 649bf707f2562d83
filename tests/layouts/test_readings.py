"""What tiles read: levels from the configured bounds, staleness from publication time, missing never 0,
rankings with gaps last, today's task window moving with the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cockpit.core import store as core_store
from layouts import readings
from tests.layouts.seed import NO_STATIONS, seed

NOW = datetime(2026, 3, 10, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai


def test_level_is_the_most_severe_bound_breached(config):
    ind = config.indicators["hotline.ontime_rate"]  # yellow < 99, orange < 97, red < 95
    assert readings.level_of(ind, 99.5) is None
    assert readings.level_of(ind, 98.0) == "yellow"
    assert readings.level_of(ind, 96.0) == "orange"
    assert readings.level_of(ind, 80.0) == "red"
    assert readings.level_of(ind, None) is None
    bands = readings.level_bands(ind, 90, 100)
    assert ("red", 90, 95) in bands and ("yellow", 90, 99) in bands


def test_stale_after_publication_time_plus_allowed_delay(config):
    ind = config.indicators["gov.full_online_share"]
    start = datetime(2026, 3, 1, 16, tzinfo=UTC)  # the local day 2 March
    fresh, _ = readings.is_stale(ind, "day", start, start + timedelta(hours=20), "Asia/Shanghai")
    stale, age = readings.is_stale(ind, "day", start, start + timedelta(days=6), "Asia/Shanghai")
    assert not fresh and stale and age == timedelta(days=5)
    assert readings.is_stale(ind, "day", None, NOW, "Asia/Shanghai") == (False, None)


def test_readings_and_ranking_on_evaluated_data(db, config):
    seed(db, config, NOW)
    seeded = db
    city = config.city.code
    missing = readings.reading(seeded, config, "biz.new_entities", city, NOW)
    assert missing.missing and missing.value is None and missing.level is None and missing.spark == ([], [])
    stale = readings.reading(seeded, config, "gov.full_online_share", city, NOW)
    assert stale.stale and stale.age >= timedelta(days=5)
    hotline = readings.reading(seeded, config, "hotline.ontime_rate", city, NOW)
    assert hotline.value is not None and not hotline.stale and hotline.unit == "%"
    assert hotline.yoy_pct is not None and hotline.mom_pct is not None  # last year's weeks were seeded
    assert len(hotline.spark[0]) > 10
    rows, period = readings.ranking(seeded, config, config.city.code, NOW)
    assert period is not None and len(rows) == 6
    values = [r.value for r in rows if r.value is not None]
    assert values == sorted(values, reverse=True)
    assert [r.rank for r in rows if r.value is not None] == list(range(1, len(values) + 1))
    assert {r.area_code for r in rows} == {a.code for a in core_store.children(seeded, config.city.code)}
    assert any(r.area_code == NO_STATIONS for r in rows)


def test_domain_tiles_cover_every_domain_and_follow_the_users_order(config):
    domains = readings.domains(config)
    assert "市域统筹" not in domains and len(domains) == 10
    assert readings.domain_key(config, "12345热线") == "hotline.ontime_rate"
    assert readings.ordered_domains(config, ["营商环境", "nonsense"])[0] == "营商环境"
    assert sorted(readings.ordered_domains(config, ["营商环境"])) == sorted(domains)
