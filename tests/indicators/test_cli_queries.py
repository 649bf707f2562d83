"""The CLI, the configuration checks, the page queries and the scheduler job, through their public interfaces."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from cockpit.cli import cli
from cockpit.core.clock import FixedClock
from cockpit.core.config import ConfigInvalid, load_config
from indicators import checks, jobs, queries
from tests.conftest import write_config
from tests.indicators import data
from tests.indicators.test_measures import with_indicators

T = datetime(2025, 3, 3, 2, tzinfo=UTC)


def test_demo_catalog_is_large_and_valid(config):
    assert len(config.indicators) >= 40
    assert len({i.domain for i in config.indicators.values()}) >= 8
    assert checks.check_indicators(config) == []


def test_checks_report_key_paths(config):
    bad = with_indicators(config, **{
        "a__b": {"dataset": "hotline_orders", "measure": {"type": "sum", "column": "category"},
                 "levels": {"yellow": {"below": 90}, "red": {"below": 95}}},
        "c": {"dataset": "hotline_orders", "measure": {"type": "count", "where": [
            {"column": "nope", "op": "eq", "value": 1}]}},
        "d": {"measure": {"type": "derived", "op": "sum", "inputs": ["e"]}},
        "e": {"measure": {"type": "derived", "op": "sum", "inputs": ["d", "zz"]}},
    })
    paths = {i.path for i in checks.check_indicators(bad)}
    assert "indicators.a.b.measure.column" in paths                 # sum of a string column
    assert "indicators.a.b.levels.red.below" in paths               # red looser than yellow
    assert "indicators.c.measure.where[0].column" in paths
    assert "indicators.e.measure.inputs[1]" in paths
    assert any(p in paths for p in ("indicators.d.measure", "indicators.e.measure"))  # the cycle


def test_bad_indicator_yaml_is_refused_with_its_path(tmp_path):
    path = write_config(tmp_path, core_only=False)
    text = path.read_text(encoding="utf-8")
    extra = tmp_path / "extra.yaml"
    extra.write_text("x.y:\n  name: x\n  domain: 12345热线\n  dataset: hotline_orders\n"
                     "  measure: {type: ratio, numerator: {where: [{column: closed_at, op: le, ref: nope}]}, "
                     "denominator: {}}\n", encoding="utf-8")
    path.write_text("\n".join(line if not line.startswith("indicators:") else f"indicators: !include {extra}"
                              for line in text.splitlines()), encoding="utf-8")
    from cockpit import bootstrap
    with pytest.raises(ConfigInvalid) as err:
        load_config(path, extra_checks=bootstrap.CONFIG_CHECKS)
    assert "indicators.x.y.measure.numerator.where[0].ref" in err.value.report()


def test_cli_list_show_evaluate(tmp_path):
    path = str(write_config(tmp_path, core_only=False))
    runner = CliRunner()
    listed = json.loads(runner.invoke(cli, ["--config", path, "indicators", "list", "--json"]).output)
    assert len(listed) >= 40 and {"id", "name", "domain", "measure"} <= set(listed[0])
    shown = runner.invoke(cli, ["--config", path, "indicators", "show", "hotline.ontime_rate", "--json"])
    body = json.loads(shown.output)
    assert body["target"] == 99.98 and body["version"] == 2 and "levels" in body
    result = runner.invoke(cli, ["--config", path, "evaluate", "--indicator", "hotline.orders"])
    assert result.exit_code == 0, result.output
    assert "hotline.orders" in result.output
    assert runner.invoke(cli, ["--config", path, "evaluate", "--indicator", "nope"]).exit_code != 0


def test_queries_current_trend_breakdown_compare(db, config):
    rows = []
    for day, (a, b) in enumerate([(3, 1), (5, 2)]):
        t = T + timedelta(days=day)
        rows += [{"order_id": f"a{day}-{i}", "created_at": t, "street_code": "321202001"} for i in range(a)]
        rows += [{"order_id": f"b{day}-{i}", "created_at": t, "street_code": "321202002"} for i in range(b)]
    data.insert(db, "hotline_orders", rows)
    cfg = with_indicators(config, n={"dataset": "hotline_orders", "measure": {"type": "count"}, "unit": "件",
                                     "target": 4})
    job, = jobs.jobs(cfg, db, FixedClock(T + timedelta(days=3)))
    job.func()
    cur = queries.current(db, cfg, "n", "321202")
    assert (cur.value, cur.unit) == (7, "件")
    assert queries.trend(db, "n", "321202", "day")["value"].to_list() == [4, 7]
    parts = queries.breakdown(db, "n", "321202", "day", cur.period_start)
    assert parts["area_code"].to_list()[:2] == ["321202001", "321202002"] and parts["value"].to_list()[:2] == [5, 2]
    cmp = queries.compare(db, cfg, "n", "321202002", "day", cur.period_start)
    assert (cmp.value, cmp.previous, cmp.mom_pct, cmp.vs_target, cmp.rank) == (2, 1, 100.0, -2, 2)
    assert cmp.last_year is None and cmp.yoy_pct is None


def test_usages(config):
    assert "indicators.city.vital_index" in queries.usages(config, "env.aqi")
