"""Ingest throughput: 1M rows through the full connector pipeline vs a raw DuckDB Arrow append.

Run: `.venv/bin/python -m bench.ingest [--rows N]`. Prints rows/s for
  raw        one `append_arrow` of the typed frame into an empty table (the floor nothing can beat);
  pipeline   the same frame fetched in batches by a connector, validated, normalised (types, time zone,
             area codes), merged by primary key with quarantine and cursor bookkeeping;
  file_drop  the same rows written to a CSV file first and read back by the `file_drop` kind;
and the ratio pipeline/raw. Figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import yaml

from cockpit import bootstrap
from cockpit.core.clock import FixedClock
from cockpit.core.db import Database
from connectors.base import Batch, Connector, Settings, register
from connectors.runner import run_source
from connectors.schema import create_table_sql

ROOT = Path(__file__).resolve().parent.parent
BATCH = 100_000
DATASET = {
    "name": "基准测试", "primary_key": ["id"], "time": "ts", "area": "street",
    "columns": {"id": {"type": "integer", "required": True}, "street": {"type": "string"},
                "ts": {"type": "timestamp", "required": True}, "value": {"type": "float"},
                "kind": {"type": "string"}},
}


def make_frame(rows: int, streets: list[str]) -> pl.DataFrame:
    """`rows` synthetic work orders over the city's streets."""
    start = datetime(2025, 1, 1)
    return pl.DataFrame({
        "id": pl.arange(0, rows, eager=True),
        "street": pl.Series([streets[i % len(streets)] for i in range(rows)]),
        "ts": pl.datetime_range(start, start.replace(year=2026), interval="30s", eager=True)[:rows],
        "value": pl.Series([(i * 7919) % 1000 / 10 for i in range(rows)], dtype=pl.Float64),
        "kind": pl.Series([("噪声", "占道", "垃圾", "路灯")[i % 4] for i in range(rows)]),
    })


class _FrameSettings(Settings):
    pass


_FRAME: list[pl.DataFrame] = []


@register
class _FrameConnector(Connector):
    """Bench-only kind: yields an in-memory frame in batches, as a database connector would."""

    kind = "bench_frame"
    settings = _FrameSettings

    def fetch(self, settings, ctx):
        frame = _FRAME[0]
        for off in range(0, frame.height, BATCH):
            yield Batch(frame.slice(off, BATCH), cursor=str(off))


def _deploy(folder: Path, sources: dict) -> bootstrap.Runtime:
    config = {
        "city": {"name": "泰州市", "code": "321200", "timezone": "Asia/Shanghai"},
        "database": {"path": str(folder / "bench.duckdb")},
        "areas": yaml.safe_load((ROOT / "config/taizhou/areas.yaml").read_text(encoding="utf-8")),
        "units": yaml.safe_load((ROOT / "config/taizhou/units.yaml").read_text(encoding="utf-8")),
        "datasets": {"bench": DATASET}, "sources": sources,
    }
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return bootstrap.open_runtime(path, clock=FixedClock(datetime(2026, 3, 2, tzinfo=UTC)))


def main(argv: list[str] | None = None) -> None:
    """Run the three measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args(argv).rows
    streets = [a["code"] for a in yaml.safe_load((ROOT / "config/taizhou/areas.yaml").read_text(encoding="utf-8"))
               if a["level"] == "street"]
    frame = make_frame(rows, streets)
    frame_utc = frame.with_columns(pl.col("ts").dt.replace_time_zone("Asia/Shanghai").dt.convert_time_zone("UTC"))

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "raw.duckdb")
        from cockpit.core.config.data import DatasetConfig

        with db.transaction() as cur:
            cur.execute(create_table_sql("bench", DatasetConfig.model_validate(DATASET)))
        t = time.perf_counter()
        with db.transaction() as cur:
            db.append_arrow(cur, "bench", frame_utc)
        raw = time.perf_counter() - t
        db.close()

    with tempfile.TemporaryDirectory() as tmp:
        _FRAME[:] = [frame]
        rt = _deploy(Path(tmp), {"s": {"name": "基准", "kind": "bench_frame", "dataset": "bench"}})
        t = time.perf_counter()
        result = run_source(rt.db, rt.config, "s", rt.clock)
        pipeline = time.perf_counter() - t
        assert result.status == "ok" and result.rows_loaded == rows, result
        rt.db.close()

    with tempfile.TemporaryDirectory() as tmp:
        drop = Path(tmp) / "drop"
        drop.mkdir()
        frame.write_csv(drop / "bench.csv")
        rt = _deploy(Path(tmp), {"s": {"name": "基准", "kind": "file_drop", "dataset": "bench",
                                       "settings": {"path": str(drop), "batch_rows": BATCH}}})
        t = time.perf_counter()
        result = run_source(rt.db, rt.config, "s", rt.clock)
        csv_time = time.perf_counter() - t
        assert result.status == "ok" and result.rows_loaded == rows, result
        rt.db.close()

    print(f"rows               {rows:>12,}")
    print(f"raw arrow append   {rows / raw:>12,.0f} rows/s  ({raw:.2f} s)")
    print(f"full pipeline      {rows / pipeline:>12,.0f} rows/s  ({pipeline:.2f} s)")
    print(f"file_drop (CSV)    {rows / csv_time:>12,.0f} rows/s  ({csv_time:.2f} s)")
    print(f"pipeline / raw     {raw / pipeline:>12.2f}  (raw is {pipeline / raw:.1f}x faster)")


if __name__ == "__main__":
    main()
