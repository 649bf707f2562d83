"""Each drill (应急演练) visibly moves the data it is about, through the same sources the cockpit reads."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cockpit.demo.live import inject_drill, simulator_status
from cockpit.demo.simulator import DRILLS


def _latest(city, sql: str, params=None):
    return city.runtime.db.one(sql, params)[0]


def test_heavy_pollution_raises_pm25_at_every_station(city):
    city.ingest("air_quality_files")
    now = city.clock.now()
    assert _latest(city, "select max(pm25) from air_quality_hourly where measured_at >= ?",
                   [now - timedelta(hours=2)]) < 150
    city.simulator.inject("heavy_pollution", minutes=180)
    city.advance(minutes=60)
    city.ingest("air_quality_files")
    low = _latest(city, "select min(pm25) from air_quality_hourly where measured_at >= ?", [now])
    assert low >= 200


def test_flood_drill_puts_the_district_stations_over_the_warning_level(city):
    city.ingest("water_levels_exchange", "rainfall_exchange")
    assert _latest(city, "select max(above_warning_m) from water_levels") < 0
    drill = city.simulator.inject("flood", minutes=120, params={"district": "321281"})
    city.advance(minutes=30)
    city.ingest("water_levels_exchange", "rainfall_exchange")
    since = city.clock.now() - timedelta(minutes=30)
    over = city.runtime.db.rows("select distinct street_code from water_levels where above_warning_m > 0 "
                                "and measured_at >= ?", [since])
    assert over and all(s[0].startswith("321281") for s in over)
    assert _latest(city, "select max(rain_mm) from rainfall where measured_at >= ? and street_code like '321281%'",
                   [since]) >= 5       # 35 mm/h and more, per 10-minute reading
    assert drill["title"] == DRILLS["flood"]


def test_hotline_surge_of_one_category_in_one_street(city):
    city.ingest("hotline_orders_history", "hotline_orders_api")
    street, category = "321202003", "住房建设"
    hour = "select count(*) from hotline_orders where street_code = ? and category = ? and created_at >= ?"
    city.advance(minutes=60)
    city.ingest("hotline_orders_history", "hotline_orders_api")
    baseline = _latest(city, hour, [street, category, city.clock.now() - timedelta(minutes=60)])
    city.simulator.inject("hotline_surge", minutes=120, params={"street": street, "category": category})
    city.advance(minutes=60)
    city.ingest("hotline_orders_history", "hotline_orders_api")
    surged = _latest(city, hour, [street, category, city.clock.now() - timedelta(minutes=60)])
    assert surged >= baseline + 25


def test_video_points_go_offline_in_one_district(city):
    city.ingest("video_points_history", "video_points_api")
    rate = ("select avg(case when online then 1.0 else 0 end) from video_points where checked_at >= ? "
            "and street_code like ?")
    city.simulator.inject("video_offline", minutes=60, params={"district": "321202"})
    city.advance(minutes=20)
    city.ingest("video_points_history", "video_points_api")
    since = city.clock.now() - timedelta(minutes=20)
    assert _latest(city, rate, [since, "321202%"]) < 0.5
    assert _latest(city, rate, [since, "321281%"]) > 0.9


def test_source_outage_stops_an_api_until_the_drill_ends(city):
    city.ingest("traffic_api")
    city.simulator.inject("source_outage", minutes=30, params={"system": "traffic"})
    [failed] = city.ingest("traffic_api")
    assert failed.status == "failed" and failed.error_kind == "transient"
    city.advance(minutes=40)
    [back] = city.ingest("traffic_api")
    assert back.status == "ok" and back.rows_loaded > 0


def test_source_outage_of_an_exchange_system_delivers_nothing_meanwhile(city):
    city.ingest("water_levels_exchange")
    count = "select count(*) from water_levels"
    city.simulator.inject("source_outage", minutes=60, params={"system": "water"})
    before = _latest(city, count)
    city.advance(minutes=30)
    city.ingest("water_levels_exchange")
    assert _latest(city, count) == before
    city.advance(minutes=60)
    city.ingest("water_levels_exchange")
    assert _latest(city, count) > before


def test_drills_are_injected_through_the_control_endpoint(city):
    config = city.runtime.config
    drill = inject_drill(config, "heavy_pollution", minutes=15)
    assert drill["name"] == "heavy_pollution" and drill["params"]["pm25"] == 230
    status = simulator_status(config)
    assert [d["name"] for d in status["drills"] if d["active"]] == ["heavy_pollution"]
    with pytest.raises(ValueError):
        inject_drill(config, "no_such_drill")
    with pytest.raises(ValueError):
        inject_drill(config, "flood", params={"district": "999999"})


def test_the_admin_drill_control_starts_drills_and_audits_every_attempt(city):
    from cockpit.core import store
    from cockpit.core.audit import Actor
    from cockpit.demo.live import DrillControl

    control = DrillControl(city.runtime.config, city.runtime.db)
    assert control.titles()["flood"] == "汛期高水位"
    drill = control.start(Actor("admin", "127.0.0.1"), "video_offline", 30, city.clock)
    assert drill["name"] == "video_offline"
    with pytest.raises(ValueError):
        control.start(Actor("admin", "127.0.0.1"), "no_such_drill", 30, city.clock)
    records = [(r[2], r[4], r[5], r[7]) for r in store.audit_records_in_order(city.runtime.db) if r[4] == "demo.drill"]
    assert records == [("admin", "demo.drill", "drill:video_offline", "ok"),
                       ("admin", "demo.drill", "drill:no_such_drill", "failed")]
