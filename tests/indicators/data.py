"""Test data for the indicator engine: dataset tables created from the configuration, rows generated here."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import polars as pl

from cockpit.core.config import Config
from cockpit.core.db import Database

SQL_TYPES = {"string": "varchar", "integer": "bigint", "float": "double", "boolean": "boolean", "date": "date",
             "timestamp": "timestamptz"}
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def create_tables(db: Database, config: Config) -> None:
    """One table per configured dataset, as a connector would create it."""
    with db.transaction() as cur:
        for name, ds in config.datasets.items():
            cols = ", ".join(f'"{c}" {SQL_TYPES[col.type]}' for c, col in ds.columns.items())
            cur.execute(f'create table if not exists "{name}" ({cols})')


def insert(db: Database, table: str, rows: list[dict]) -> None:
    """Append rows (dicts) to a dataset table."""
    if rows:
        with db.transaction() as cur:
            db.append_arrow(cur, table, pl.DataFrame(rows, infer_schema_length=None))


def streets(config: Config) -> list[str]:
    """The configured street codes."""
    return [a.code for a in config.areas if a.level == "street"]


def hotline_orders(config: Config, n: int, seed: int = 1, start: datetime = T0, days: int = 60,
                   prefix: str = "o") -> list[dict]:
    """Random 12345 work orders over `days` days from `start`."""
    rnd = random.Random(seed)
    codes = streets(config)
    rows = []
    for i in range(n):
        created = start + timedelta(minutes=rnd.randrange(days * 1440))
        due = created + timedelta(days=rnd.choice([1, 3, 5, 10]))
        closed = created + timedelta(hours=rnd.randrange(1, 400)) if rnd.random() < 0.9 else None
        visited = closed is not None and rnd.random() < 0.8
        rows.append({
            "order_id": f"{prefix}{i}", "created_at": created, "due_at": due, "closed_at": closed,
            "dispatched_at": created + timedelta(minutes=rnd.randrange(5, 600)) if rnd.random() < 0.7 else None,
            "street_code": rnd.choice(codes[:12]) if rnd.random() < 0.7 else rnd.choice(codes),
            "category": rnd.choice(["城市管理", "环境保护", "交通出行", "住房", "市场监管"]),
            "channel": "电话", "status": "办结" if closed else "办理中", "dispatched": rnd.random() < 0.7,
            "satisfied": visited and rnd.random() < 0.93, "solved": visited and rnd.random() < 0.88,
            "visited": visited,
        })
    return rows


def air_hours(config: Config, hours: int, stations: int = 6, seed: int = 2, start: datetime = T0) -> list[dict]:
    """Hourly concentrations for a few stations."""
    rnd = random.Random(seed)
    codes = streets(config)
    rows = []
    for s in range(stations):
        street = codes[s * 13 % len(codes)]
        for h in range(hours):
            if rnd.random() < 0.03:
                continue  # a missing hour
            rows.append({"station_code": f"{1200 + s}A", "measured_at": start + timedelta(hours=h),
                         "street_code": street, "pm25": rnd.uniform(5, 260), "pm10": rnd.uniform(10, 300),
                         "pm25_24h": None, "pm10_24h": None, "so2": rnd.uniform(2, 40),
                         "no2": rnd.uniform(5, 120), "o3": rnd.uniform(2, 250), "co": round(rnd.uniform(0.2, 3), 1)})
    return rows


def station_rows(config: Config, table: str, value_cols: dict, hours: int, stations: int, seed: int = 3,
                 entity: str = "station_id", start: datetime = T0, time: str = "measured_at") -> list[dict]:
    """Generic hourly station readings: value_cols maps column → (low, high) or a list of choices."""
    rnd = random.Random(seed)
    codes = streets(config)
    rows = []
    for s in range(stations):
        street = codes[(s * 7) % len(codes)]
        for h in range(hours):
            row = {entity: f"{table}-{s}", time: start + timedelta(hours=h), "street_code": street}
            for col, spec in value_cols.items():
                row[col] = rnd.choice(spec) if isinstance(spec, list) else rnd.uniform(*spec)
            rows.append(row)
    return rows


def district_days(config: Config, cols: dict, days: int, seed: int = 4, start: datetime = T0,
                  time: str = "stat_day") -> list[dict]:
    """Daily district statistics (local midnight), integer columns from (low, high)."""
    rnd = random.Random(seed)
    districts = [a.code for a in config.areas if a.level == "district"]
    rows = []
    for d in districts:
        for i in range(days):
            row = {"district_code": d, time: start - timedelta(hours=8) + timedelta(days=i)}
            for col, (lo, hi) in cols.items():
                row[col] = rnd.randint(lo, hi)
            rows.append(row)
    return rows
