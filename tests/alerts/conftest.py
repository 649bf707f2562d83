"""Fixtures of the alerts tests: the demo configuration, a migrated DuckDB file, and a way to write series."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from cockpit import bootstrap
from cockpit.core import store
from cockpit.core.db import Database
from indicators import store as indicator_store
from tests.indicators.conftest import config  # noqa: F401 - the demo city's full configuration, shared


@pytest.fixture
def db(tmp_path, config):  # noqa: F811 - the fixture imported above
    """A migrated database with the areas and units."""
    database = Database(tmp_path / "cockpit.duckdb")
    database.migrate(bootstrap.MIGRATIONS)
    store.sync_identity(database, config)
    yield database
    database.close()


def utc(text: str) -> datetime:
    """'2025-03-01 08:00' (UTC) → aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def put_values(db: Database, indicator_id: str, grain: str, area_code: str, series: dict) -> None:
    """Store indicator values {period_start: value} for one area (replacing those periods)."""
    rows = [(indicator_id, area_code, grain, t if isinstance(t, datetime) else utc(t), float(v))
            for t, v in series.items()]
    frame = pl.DataFrame(rows, schema={"indicator_id": pl.String, "area_code": pl.String, "grain": pl.String,
                                       "period_start": pl.Datetime("us", "UTC"), "value": pl.Float64}, orient="row")
    frame = frame.with_columns(pl.lit(None, pl.Float64).alias("numerator"),
                               pl.lit(None, pl.Float64).alias("denominator"),
                               pl.lit(1, pl.Int64).alias("sample_size"),
                               pl.lit(datetime.now(UTC)).alias("computed_at"),
                               pl.lit(1, pl.Int32).alias("definition_version"))
    with db.transaction() as cur:
        indicator_store.replace_values(cur, db, indicator_id, grain, frame, frame.select("area_code", "period_start"))
