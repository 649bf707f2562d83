"""`cockpit warnings list|ack`, `cockpit silences add|list`, `cockpit rules backtest|apply|history`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from alerts import evaluate
from cockpit import bootstrap
from cockpit.auth.users import create_user
from cockpit.cli import cli
from cockpit.core.audit import Actor
from tests.alerts.conftest import put_values
from tests.conftest import write_config

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """A deployment whose AQI in 海陵区 has been orange for 5 hours and 姜堰区 normal, evaluated now."""
    path = write_config(tmp_path_factory.mktemp("cli"), core_only=False)
    rt = bootstrap.open_runtime(path)
    for user_id, role, area in [("duty_hailing", "duty_officer", "321202"), ("duty_jiangyan", "duty_officer", "321204"),
                                ("operator_city", "center_operator", "321200")]:
        create_user(rt.db, Actor("test"), user_id, user_id, role, area, None, password="Correct-Horse-42-battery",
                    must_change_password=False)
    hours = range(-48, 1)
    put_values(rt.db, "env.aqi", "hour", "321202", {NOW + timedelta(hours=h): 320.0 if h >= -5 else 120.0
                                                    for h in hours})
    put_values(rt.db, "env.aqi", "hour", "321204", {NOW + timedelta(hours=h): 90.0 for h in hours})
    evaluate.evaluate(rt.db, rt.config, NOW - timedelta(hours=4, minutes=50))
    evaluate.evaluate(rt.db, rt.config, NOW + timedelta(minutes=1))
    yield str(path), rt
    rt.db.close()


def run(path, *args):
    result = CliRunner().invoke(cli, ["--config", path, *args])
    return result


def test_list_json_scoped_and_ack(deployment):
    path, _rt = deployment
    listed = run(path, "warnings", "list", "--state", "firing", "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [(r["rule_id"], r["area_code"], r["level"]) for r in rows] == [("env.aqi", "321202", "orange")]
    assert rows[0]["reason_text"] == "持续2小时高于阈值"
    assert json.loads(run(path, "warnings", "list", "--as", "duty_jiangyan", "--json").output) == []
    wid = rows[0]["warning_id"]
    refused = run(path, "warnings", "ack", wid, "--as", "duty_jiangyan")
    assert refused.exit_code != 0 and "未找到该预警" in refused.output
    acked = run(path, "warnings", "ack", wid, "--as", "duty_hailing", "--comment", "已通知生态环境局")
    assert acked.exit_code == 0, acked.output
    after = json.loads(run(path, "warnings", "list", "--state", "acknowledged", "--json").output)
    assert [(r["warning_id"], r["acknowledged_by"], r["ack_comment"]) for r in after] == [
        (wid, "duty_hailing", "已通知生态环境局")]


def test_silences_need_who_why_until(deployment):
    path, _rt = deployment
    missing = run(path, "silences", "add", "--by", "duty_hailing", "--until", "2h", "--indicator", "env.aqi")
    assert missing.exit_code != 0
    added = run(path, "silences", "add", "--by", "duty_hailing", "--reason", "站点校准", "--until", "2h",
                "--indicator", "env.aqi")
    assert added.exit_code == 0, added.output
    rows = json.loads(run(path, "silences", "list", "--json").output)
    assert [(r["created_by"], r["reason"], r["area_code"], r["suppressed"]) for r in rows] == [
        ("duty_hailing", "站点校准", "321202", 0)]


def test_backtest_compares_current_and_proposed_levels_and_apply_is_audited(deployment):
    path, rt = deployment
    result = run(path, "rules", "backtest", "--indicator", "env.aqi", "--days", "2", "--levels", "orange.above=400",
                 "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["current"]["by_area"] == {"321202": 1}
    assert figures["current"]["by_level"].get("orange") == 1
    assert figures["proposed"]["by_level"].get("orange") is None   # 320 no longer reaches orange at 400
    bad = run(path, "rules", "backtest", "--indicator", "env.aqi", "--levels", "orange.colour=1")
    assert bad.exit_code != 0
    refused = run(path, "rules", "apply", "--indicator", "env.aqi", "--levels", "orange.above=400", "--by",
                  "duty_hailing")
    assert refused.exit_code != 0
    applied = run(path, "rules", "apply", "--indicator", "env.aqi", "--levels", "orange.above=400", "--by",
                  "operator_city")
    assert applied.exit_code == 0 and "300.0 → 400.0" in applied.output
    history = json.loads(run(path, "rules", "history", "--json").output)
    assert [(h["changed_by"], h["level"], h["field"], h["old_value"], h["value"]) for h in history] == [
        ("operator_city", "orange", "above", "300.0", "400.0")]
