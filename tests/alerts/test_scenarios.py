"""Scenario tests written as data: a series in, the warnings a duty officer sees at given times out.

Each file in scenarios/ names an indicator, an area, its hourly series and, per evaluation time, the
warnings of that area (open, and recently resolved) with their state and level.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from alerts import evaluate, queries, store
from tests.alerts.conftest import put_values, utc

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path, db, config):
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    ind = config.indicators[spec["indicator"]]
    put_values(db, spec["indicator"], ind.signal_grain, spec["area"], spec["series"])
    for step in spec["expect"]:
        now = utc(step["now"])
        evaluate.evaluate(db, config, now)
        queue = queries.warning_queue(db, config, spec["area"], now).filter(
            queries.pl.col("area_code") == spec["area"])
        seen = sorted((r["rule_id"], r["state"], r["level"]) for r in queue.iter_rows(named=True))
        want = sorted((w["rule"], w["state"], w["level"]) for w in step["warnings"])
        assert seen == want, f"at {step['now']}"
        if "plans" in step:
            assert sorted({a[1] for a in store.activations(db, spec["area"])}) == sorted(step["plans"])
    kinds = [e.kind for e in queries.events_after(db, 0) if e.area_code == spec["area"] and e.kind != "escalated"]
    assert kinds == spec["events"]
