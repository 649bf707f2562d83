"""A small, deterministic cockpit deployment for the view tests: rows written into dataset tables around `now`
(with the same weeks a year earlier for 同比), evaluated by the real indicator engine.

What it leaves on purpose: business statistics are missing (暂无数据), government-service statistics stopped
six days ago (stale), and 兴化市 has no station data (grey on the map)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from cockpit.core.config import Config
from cockpit.core.db import Database
from indicators import engine
from tests.indicators import data

DAYS = 21
NO_STATIONS = "321281"  # 兴化市


def _streets(config: Config) -> list[str]:
    return [a.code for a in config.areas if a.level == "street"]


def _hotline(config: Config, start: datetime, days: int, prefix: str, rnd: random.Random) -> list[dict]:
    rows = []
    for i, street in enumerate(_streets(config)):
        quality = 0.995 if street.startswith("321202") else (0.9 if street.startswith("321283") else 0.975)
        for d in range(days):
            for k in range(2):
                created = start + timedelta(days=d, hours=8 + 4 * k + rnd.random())
                due = created + timedelta(days=2)
                closed = created + timedelta(hours=rnd.uniform(2, 30))
                on_time = rnd.random() < quality
                rows.append({"order_id": f"{prefix}{i}-{d}-{k}", "created_at": created, "due_at": due,
                             "closed_at": closed if on_time else due + timedelta(hours=5),
                             "dispatched_at": created + timedelta(minutes=20), "street_code": street,
                             "category": "c", "channel": "p", "status": "s", "dispatched": True,
                             "satisfied": rnd.random() < quality - 0.02, "solved": rnd.random() < 0.93,
                             "visited": True})
    return rows


def _stations(config: Config, table: str, start: datetime, hours: int, cols: dict, rnd: random.Random,
              entity: str, per_district: int = 1) -> list[dict]:
    rows = []
    districts = sorted({s[:6] for s in _streets(config)} - {NO_STATIONS})
    for di, district in enumerate(districts):
        street = next(s for s in _streets(config) if s.startswith(district))
        for p in range(per_district):
            for h in range(hours):
                row = {entity: f"{table}-{di}-{p}", "measured_at": start + timedelta(hours=h), "street_code": street}
                for col, spec in cols.items():
                    row[col] = spec(di, h, rnd) if callable(spec) else rnd.uniform(*spec)
                rows.append(row)
    return rows


def seed(db: Database, config: Config, now: datetime) -> None:
    """Create the dataset tables, write the rows and evaluate every indicator at `now`."""
    rnd = random.Random(7)
    data.create_tables(db, config)
    today = now.replace(minute=0, second=0, microsecond=0)
    start = today - timedelta(days=DAYS)
    data.insert(db, "hotline_orders", _hotline(config, start, DAYS, "o", rnd)
                + _hotline(config, start - timedelta(days=364), DAYS, "y", rnd))
    hours = DAYS * 24
    data.insert(db, "air_quality_hourly", _stations(
        config, "air_quality_hourly", start, hours,
        {"pm25": lambda di, h, r: 20 + 12 * di + 15 * r.random(), "pm10": (30, 80), "so2": (3, 10),
         "no2": (10, 40), "o3": (30, 120), "co": (0.3, 0.9), "pm25_24h": (20, 40), "pm10_24h": (30, 70)},
        rnd, "station_code"))
    data.insert(db, "video_points", [
        {"point_id": f"v{di}-{p}", "checked_at": today - timedelta(hours=h), "street_code": s,
         "kind": "k", "online": rnd.random() < (0.999 if di % 2 else 0.985)}
        for di, s in enumerate(_streets(config)[::6]) for p in range(6) for h in range(0, DAYS * 24, 6)])
    data.insert(db, "water_levels", _stations(
        config, "water_levels", start, hours,
        {"level_m": (2.0, 3.0), "warning_level_m": lambda di, h, r: 3.5,
         "guaranteed_level_m": lambda di, h, r: 4.5,
         "above_warning_m": lambda di, h, r: -0.6 + (0.5 if di == 0 and h > hours - 30 else 0.0)},
        rnd, "station_id"))
    data.insert(db, "grid_events", [
        {"event_id": f"g{i}-{d}", "reported_at": start + timedelta(days=d, hours=10), "due_at": None,
         "closed_at": start + timedelta(days=d, hours=20), "street_code": s, "grid_code": None, "category": "c",
         "source": "网格员巡查", "is_city_mgmt": False, "status": "s", "handled": rnd.random() < 0.97}
        for i, s in enumerate(_streets(config)) for d in range(DAYS)])
    data.insert(db, "gov_services", data.district_days(
        config, {"items_total": (900, 1000), "items_full_online": (850, 900), "items_on_spot": (300, 350),
                 "applications": (500, 600), "applications_online": (450, 500), "reviews_total": (300, 400),
                 "reviews_good": (299, 300), "reviews_bad": (0, 1), "bad_rectified": (0, 1)},
        DAYS - 6, start=start.replace(hour=0)))
    engine.evaluate(db, config, now)
