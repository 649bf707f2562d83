"""Drills of the simulated city, end to end: the simulator's government systems → connectors → indicators →
warnings and plan proposals, on the same sources and clock the demo uses."""

from __future__ import annotations

from alerts import evaluate, plans, queries, store
from indicators import engine
from tests.demo.conftest import city  # noqa: F401 - the simulated-city fixture

FLOOD_DISTRICT = "321281"


def test_flood_drill_raises_a_water_level_warning_and_proposes_the_flood_plan(city):  # noqa: F811
    city.ingest("water_levels_exchange", "rainfall_exchange")
    ids = ["emergency.water_above_warning", "emergency.water_level_max", "emergency.rain_1h"]
    engine.evaluate(city.runtime.db, city.runtime.config, city.clock.now(), ids)
    evaluate.evaluate(city.runtime.db, city.runtime.config, city.clock.now())
    before = queries.warning_queue(city.runtime.db, city.runtime.config, FLOOD_DISTRICT, city.clock.now())
    assert before.filter(queries.pl.col("rule_id") == "emergency.water_above_warning").is_empty()
    city.simulator.inject("flood", minutes=180, params={"district": FLOOD_DISTRICT})
    for _ in range(8):                                   # two hours of 15-minute cycles
        city.advance(minutes=15)
        city.ingest("water_levels_exchange", "rainfall_exchange")
        engine.evaluate(city.runtime.db, city.runtime.config, city.clock.now(), ids)
        evaluate.evaluate(city.runtime.db, city.runtime.config, city.clock.now())
    queue = queries.warning_queue(city.runtime.db, city.runtime.config, FLOOD_DISTRICT, city.clock.now())
    water = queue.filter((queries.pl.col("rule_id") == "emergency.water_above_warning")
                         & (queries.pl.col("state") == "firing"))
    assert FLOOD_DISTRICT in water["area_code"].to_list()
    assert set(water["level"].to_list()) & {"yellow", "orange", "red"}
    assert all(code.startswith(FLOOD_DISTRICT) for code in water["area_code"].to_list())
    activations = store.activations(city.runtime.db, FLOOD_DISTRICT)
    assert activations and {a[1] for a in activations} == {"flood_control"}
    units = [p.unit_id for p in plans.proposals(city.runtime.db, activations[-1][0])]
    assert units[:2] == ["dept_shuili", "dept_yingji"]
    others = queries.warning_queue(city.runtime.db, city.runtime.config, "321202", city.clock.now())
    assert others.filter(queries.pl.col("rule_id") == "emergency.water_above_warning").is_empty()
