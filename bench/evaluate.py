"""Indicator evaluation at city scale: full and incremental evaluation of the whole catalog over the generated
year (every dataset, all streets, all grains), as a ratio to one DuckDB scan of the same data.

    .venv/bin/python -m bench.evaluate [--scale 1] [--days 365] [--rounds 3] [--full] [--profile]

The data set is bench.generate's (built and fully evaluated once, then reused from its cache folder); this
benchmark works on a copy of its database file, so the cached deployment stays as generated.
  scan          one `group by area, hour` over every dataset the catalog reads (the floor for a full run);
  full          the whole catalog from scratch (measured when the data set was built; `--full` re-measures);
  incremental   one new hour of rows in every streaming dataset (an ingest round of every source), then
                `evaluate` — median of `--rounds` rounds; and a run with nothing new (`unchanged`).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench import generate
from cockpit import bootstrap
from cockpit.core.db import Database
from connectors import schema as connector_schema
from indicators import engine
from indicators import schema as indicator_schema


def scan_seconds(db: Database, config) -> float:
    """One DuckDB scan of every dataset the catalog reads, grouped by area and hour."""
    used = {ind.dataset for ind in config.indicators.values() if ind.dataset}
    t0 = time.perf_counter()
    for name in sorted(used):
        ds = config.datasets[name]
        db.query(f'select "{ds.area}", date_trunc(\'hour\', "{ds.time}") as h, count(*) from "{name}" group by all')
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    """Build or reuse the data set, then measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--full", action="store_true", help="re-measure the full evaluation")
    parser.add_argument("--profile", action="store_true", help="cProfile one incremental round")
    parser.add_argument("--indicators", help="only these (comma-separated); measures its own full evaluation")
    a = parser.parse_args(argv)
    spec = generate.Spec(a.scale, a.days)
    ids = a.indicators.split(",") if a.indicators else None
    dep = generate.build(spec, evaluate=ids is None)
    with tempfile.TemporaryDirectory(prefix="bench-evaluate-") as tmp:
        shutil.copyfile(dep.db_path, Path(tmp) / "cockpit.duckdb")
        config = bootstrap.check(dep.config_path)
        db = Database(Path(tmp) / "cockpit.duckdb")
        db.migrate(indicator_schema.MIGRATIONS)  # what the engine needs; other rooms' migrations do not matter here
        connector_schema.ensure_dataset_tables(db, config)  # columns the configuration gained since the build
        rows = sum(dep.meta["rows"].values())
        streets = sum(1 for area in config.areas if area.level == "street")
        scan = scan_seconds(db, config)
        full = dep.meta.get("full_evaluation_seconds")
        if a.full or ids:
            t0 = time.perf_counter()
            engine.evaluate(db, config, spec.now(), ids, full=True)
            full = time.perf_counter() - t0
        values = db.one("select count(*) from indicator_values")[0]
        t0 = time.perf_counter()
        engine.evaluate(db, config, spec.now(), ids)
        unchanged = time.perf_counter() - t0
        incs, new_rows = [], 0
        for k in range(a.rounds):
            before = sum(generate.row_counts(db).values())
            generate.fill(db, spec, spec.hours + k, spec.hours + k + 1)
            new_rows = sum(generate.row_counts(db).values()) - before
            now = spec.now() + timedelta(hours=k + 1)
            prof = cProfile.Profile() if a.profile and k == a.rounds - 1 else None
            t0 = time.perf_counter()
            if prof:
                prof.enable()
            report = engine.evaluate(db, config, now, ids)
            if prof:
                prof.disable()
            incs.append(time.perf_counter() - t0)
        modes = sorted(set(report.modes.values()))
        db.close()
    inc = statistics.median(incs)
    print(f"data set           {dep.folder.name}: {rows:,} rows over {spec.days} days, {streets} streets; "
          f"{len(ids or config.indicators)} indicators, {values:,} values stored")
    print(f"one DuckDB scan    {scan:8.2f} s  (group by area, hour over the {len({i.dataset for i in config.indicators.values() if i.dataset})} datasets read)")
    print(f"full evaluation    {full:8.2f} s  = {full / scan:6.1f}x the scan" + ("" if a.full or ids else "  (measured at build)"))
    print(f"incremental        {inc:8.2f} s  = {inc / scan:6.2f}x the scan  (one new hour: {new_rows:,} rows; "
          f"median of {len(incs)}: {', '.join(f'{x:.2f}' for x in incs)}; modes {modes})")
    print(f"nothing new        {unchanged:8.2f} s")
    print(f"goal: incremental < 1 s at 1x -> {'met' if inc < 1 else 'MISSED'}")
    if a.profile and prof:
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())


if __name__ == "__main__":
    main()
