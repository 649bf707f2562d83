"""Every simulated system's output loads through its configured source (YAML only, existing kinds) into a
real DuckDB file, with no row quarantined."""

from __future__ import annotations


def test_every_source_loads_the_simulated_history_without_quarantine(city):
    results = {r.source_id: r for r in city.ingest()}
    enabled = [sid for sid, s in city.runtime.config.sources.items() if s.enabled]
    assert sorted(results) == sorted(enabled)
    for sid, r in results.items():
        assert r.status == "ok", (sid, r.error)
        assert r.rows_quarantined == 0, sid
    assert city.count("select count(*) from quarantine") == 0
    for dataset in ("hotline_orders", "hotline_calls", "grid_events", "gov_services", "air_quality_hourly",
                    "video_points", "water_levels", "rainfall", "traffic_congestion", "emergency_incidents",
                    "health_daily", "business_daily", "data_resources"):
        assert city.count(f"select count(*) from {dataset}") > 0, dataset


def test_live_play_reaches_the_cockpit_through_the_apis_files_and_exchange_db(city):
    city.ingest()
    before = {d: city.count(f"select count(*) from {d}") for d in
              ("hotline_orders", "video_points", "traffic_congestion", "water_levels", "air_quality_hourly")}
    city.advance(minutes=90)
    results = city.ingest()
    assert all(r.status == "ok" and r.rows_quarantined == 0 for r in results), results
    for dataset, n in before.items():
        assert city.count(f"select count(*) from {dataset}") > n, dataset
    # an order's later steps arrive as updates of the same order, never as a second row
    assert city.count("select count(*) - count(distinct order_id) from hotline_orders") == 0


def test_streets_submit_the_township_form_through_the_forms_function(city):
    # the history played today's submissions up to 16:00 local; play on to 19:00, after the 18:00 deadline
    city.advance(minutes=180)
    [result] = city.ingest("township_form")
    assert result.status == "ok"
    streets = len(city.simulator.city.streets)
    submitted = city.count("select count(*) from township_reports where status = '已报'")
    assert 0.9 * streets <= submitted < streets
    assert city.count("select count(*) from township_reports where submitted_at > due_at") > 0    # a few late
    assert city.count("select min(grid_patrols) from township_reports where status = '已报'") > 0


def test_open_orders_close_later_through_the_api(city):
    city.ingest("hotline_orders_history", "hotline_orders_api")
    then = city.clock.now()
    open_then = "select count(*) from hotline_orders where closed_at is null and created_at < ?"
    before = city.count(open_then, [then])
    assert before > 100
    city.advance(minutes=60 * 24)
    city.ingest("hotline_orders_history", "hotline_orders_api")
    after = city.count(open_then, [then])
    assert after < before - 10
    assert city.count("select count(*) from hotline_orders where closed_at > ?", [then]) >= before - after
