"""The simulated city is plausible: volumes near the documented demo volumes, office-hour and weekday rhythms,
seasons, and the baselines of the brief (on-time, satisfaction, video online, 全程网办)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import numpy as np
import pytest

from cockpit.core.clock import FixedClock
from cockpit.core.config import load_config
from cockpit.core.config.simulator import SimulatorConfig
from cockpit.demo.simulator import Simulator, city_from_config
from tests.conftest import BASE_CONFIG, free_port


@pytest.fixture(scope="module")
def fortnight(tmp_path_factory):
    folder = tmp_path_factory.mktemp("volumes")
    config = load_config(BASE_CONFIG)
    sim_config = SimulatorConfig(seed=11, history_days=14, folder=str(folder), http_port=free_port(),
                                 systems=["hotline", "video", "gov_services", "water"])
    sim = Simulator(sim_config, city_from_config(config, 11, 1.0), clock=FixedClock(datetime(2026, 3, 16, tzinfo=UTC)))
    sim.backfill()
    con = sqlite3.connect(folder / "exchange.sqlite")
    yield sim, con
    con.close()
    sim.stop()


def _per_day(con, sql):
    return dict(con.execute(sql).fetchall())


def test_hotline_volume_and_weekly_rhythm(fortnight):
    _sim, con = fortnight
    days = _per_day(con, "select substr(created_at, 1, 10), count(*) from his_12345_order "
                         "where created_at >= '2026-03-02' and created_at < '2026-03-16' group by 1")
    weekday = [n for d, n in days.items() if datetime.fromisoformat(d).weekday() < 5]
    weekend = [n for d, n in days.items() if datetime.fromisoformat(d).weekday() >= 5]
    assert 350 <= np.mean(weekday) <= 600
    assert np.mean(weekend) < 0.85 * np.mean(weekday)


def test_hotline_office_hours_and_baselines(fortnight):
    _sim, con = fortnight
    hours = _per_day(con, "select cast(substr(created_at, 12, 2) as integer), count(*) from his_12345_order group by 1")
    assert hours[10] > 8 * max(hours.get(3, 0), 1)
    closed, on_time = con.execute("select count(*), sum(closed_at <= due_at) from his_12345_order "
                                  "where closed_at is not null").fetchone()
    assert on_time / closed > 0.995
    visited, satisfied = con.execute("select count(*), sum(satisfied) from his_12345_order where visited = 1").fetchone()
    assert 0.93 < satisfied / visited < 0.96
    assert con.execute("select count(*) from his_12345_order where status = '办理中'").fetchone()[0] > 0


def test_video_points_are_about_98_5_percent_online(fortnight):
    _sim, con = fortnight
    share = con.execute("select avg(online) from his_video_status").fetchone()[0]
    assert 0.97 < share < 0.995


def test_gov_services_full_online_share_and_water_below_warning(fortnight):
    _sim, con = fortnight
    from openpyxl import load_workbook

    books = list((fortnight[0].folder / "drop" / "gov_services").glob("*.xlsx"))
    rows = [r for b in books for r in load_workbook(b, read_only=True).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 6 * 14
    share = sum(r[3] for r in rows) / sum(r[2] for r in rows)
    assert 0.99 < share < 1.0
    levels = con.execute("select max(z - wrz), min(z - wrz) from st_river_r").fetchone()
    assert levels[0] < 0 and levels[1] > -2


def test_air_quality_is_worse_in_winter_than_in_summer(fortnight):
    sim, _con = fortnight
    from cockpit.demo.simulator.air import AirStations

    air = AirStations(sim.ctx)
    start = int(datetime(2026, 1, 5, tzinfo=UTC).timestamp())
    january = np.arange(start, start + 20 * 86400, 3600)
    july = january + 181 * 86400
    winter = np.mean([r["pm25"] for r in air.readings(january)])
    summer = np.mean([r["pm25"] for r in air.readings(july)])
    assert winter > 1.6 * summer
    assert 35 < winter < 90 and 12 < summer < 40
