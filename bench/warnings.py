"""Warning evaluation over the generated year, and the compute path of freshness: a burst of 12345 orders in one
street → incremental indicator evaluation → warning evaluation → the warning in the duty desk's queue.

    .venv/bin/python -m bench.warnings [--scale 1] [--days 365]

Works on a copy of the data set (all migrations applied). With the scheduler running, end-to-end freshness is
this compute path plus the waits of the scheduled jobs that carry a row there: the source's poll interval, then
the indicator job's interval (warnings are evaluated right after each indicator run; see cockpit/bootstrap.py).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench import generate
from cockpit import bootstrap
from cockpit.core.clock import FixedClock


def main(argv: list[str] | None = None) -> None:
    """Measure and print the figures (or say that the alerts engine is not there)."""
    try:
        from alerts import queries as alert_queries
    except ImportError as exc:
        print(f"alerts engine not available: {exc}")
        return
    from indicators import engine
    from indicators.jobs import jobs as indicator_jobs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=365)
    a = parser.parse_args(argv)
    spec = generate.Spec(a.scale, a.days)
    built = generate.build(spec)
    with tempfile.TemporaryDirectory(prefix="bench-warnings-") as tmp:
        dep = generate.scratch_copy(built, Path(tmp))
        now = spec.now()
        runtime = bootstrap.open_runtime(dep.config_path, clock=FixedClock(now))
        db, config = runtime.db, runtime.config
        run_alerts = bootstrap.alert_evaluator(runtime)
        t0 = time.perf_counter()
        first = run_alerts()
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        run_alerts()
        warm = time.perf_counter() - t0
        open_before = len(alert_queries.warning_queue(db, config, config.city.code, now))
        street = generate.streets()[0]
        burst = 400
        with db.transaction() as cur:  # a burst of complaints in one street within the current hour
            cur.execute(f"""insert into hotline_orders by name select 'B' || i as order_id,
                ? + to_seconds(i) as created_at, '{street}' as street_code, '噪声扰民' as category, true as dispatched,
                'bench' as _source, ? as _loaded_at from range({burst}) r(i)""", [now - timedelta(minutes=30), now])
            db.bump(cur, "data")
            db.bump(cur, "dataset:hotline_orders")
        t0 = time.perf_counter()
        engine.evaluate(db, config, now)
        t_ind = time.perf_counter() - t0
        t0 = time.perf_counter()
        run_alerts()
        t_alert = time.perf_counter() - t0
        queue = alert_queries.warning_queue(db, config, config.city.code, now)
        mine = (queue.filter((queue["area_code"] == street) & queue["indicator_id"].str.starts_with("hotline."))
                if queue.height else queue)
        found = ", ".join(f"{r['indicator_id']} {r['level']} {r['state']}" for r in mine.iter_rows(named=True))
        db.close()
    interval = indicator_jobs(config, None, None)[0].trigger_args
    print(f"data set {built.folder.name}; {first.observed:,} rule x area series observed")
    print(f"warning evaluation         first {cold:.2f} s, again {warm:.2f} s; open in the city queue: {open_before}")
    print(f"burst of {burst} orders in {street}: indicator evaluation {t_ind:.2f} s + warning evaluation "
          f"{t_alert:.2f} s = {t_ind + t_alert:.2f} s; in the duty desk queue: "
          f"{'yes' if mine.height else 'NO'} ({found or '-'})")
    print(f"end to end with the scheduler: source poll interval + up to one indicator job interval ({interval}, "
          f"jittered) + {t_ind + t_alert:.0f} s of evaluation")


if __name__ == "__main__":
    main()
