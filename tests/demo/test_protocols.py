"""The optional protocols of the simulated city: the exchange database on PostgreSQL (instead of the SQLite
file) and the air-quality stations over MQTT (instead of file drops), through the same configured sources."""

from __future__ import annotations

import uuid

import pytest

from cockpit import bootstrap
from cockpit.core.clock import FixedClock
from cockpit.demo.simulator import Simulator, city_from_config
from connectors.runner import ingest
from tests.connectors.conftest import require
from tests.demo.conftest import START, simulated_config


def _deploy(tmp_path, extra: str, edit):
    config = simulated_config(tmp_path, days=1, extra=extra)
    sources = tmp_path / "sources.yaml"
    sources.write_text(edit(sources.read_text(encoding="utf-8")), encoding="utf-8")
    clock = FixedClock(START)
    runtime = bootstrap.open_runtime(config, clock)
    sim = runtime.config.simulator
    return runtime, Simulator(sim, city_from_config(runtime.config, sim.seed, sim.scale), clock=clock), clock


def test_exchange_database_on_postgresql(tmp_path):
    require("127.0.0.1", 5432, "PostgreSQL")
    import psycopg

    name = f"sim_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as con:
        con.execute(f"create database {name}")
    sqlite_path = str(tmp_path / "sim" / "exchange.sqlite")
    extra = f"  systems: [water]\n  exchange: {{driver: postgresql, database: {name}, user: postgres}}\n"
    runtime, simulator, clock = _deploy(
        tmp_path, extra, lambda text: text.replace(f"driver: sqlite\n    database: {sqlite_path}",
                                                   f"driver: postgresql\n    database: {name}\n    user: postgres"))
    try:
        report = simulator.backfill()
        hours = int((report.end - report.start).total_seconds() // 3600)
        results = [r for sid in ("water_levels_exchange", "rainfall_exchange")
                   for r in ingest(runtime.db, runtime.config, clock, sid)]
        assert all(r.status == "ok" and r.rows_quarantined == 0 for r in results), results
        assert runtime.db.one("select count(*) from water_levels")[0] == 8 * hours
        clock.advance(minutes=60)
        simulator.step()
        ingest(runtime.db, runtime.config, clock, "water_levels_exchange")
        assert runtime.db.one("select count(*) from water_levels")[0] == 8 * hours + 8 * 6   # every 10 minutes
    finally:
        simulator.stop()
        with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as con:
            con.execute(f"drop database if exists {name} with (force)")


def test_air_quality_stations_publish_over_mqtt_when_a_broker_is_configured(tmp_path):
    require("127.0.0.1", 1883, "Mosquitto")
    client = f"cockpit-air-{uuid.uuid4().hex[:8]}"
    runtime, simulator, clock = _deploy(
        tmp_path, "  systems: [air_quality]\n  mqtt_host: 127.0.0.1\n",
        lambda text: text.replace("  schedule: 1m\n  enabled: false\n", "  schedule: 1m\n")
        .replace("client_id: cockpit-air-quality", f"client_id: {client}\n    listen_seconds: 4\n    idle_seconds: 2"))
    try:
        [first] = ingest(runtime.db, runtime.config, clock, "air_quality_mqtt")     # subscribes (QoS 1 session)
        assert first.status == "ok"
        simulator.backfill()                 # the history still arrives as files
        clock.advance(minutes=61)
        simulator.step()                     # the live hour over MQTT
        [live] = ingest(runtime.db, runtime.config, clock, "air_quality_mqtt")
        assert live.status == "ok" and live.rows_quarantined == 0
        assert live.rows_loaded == 2 * 8          # the readings of 16:00 and 17:00, every station
        assert list((tmp_path / "sim" / "drop" / "air_quality").glob("*.csv"))     # history files only
    finally:
        simulator.stop()


@pytest.fixture(autouse=True)
def _quiet(caplog):
    caplog.set_level("WARNING")
