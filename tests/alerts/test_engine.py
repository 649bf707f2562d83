"""The evaluator against a real DuckDB file: restarts, stale sources, limits, silences, escalation, plans, scope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alerts import actions, evaluate, levels, plans, queries, silences, store
from alerts.errors import AlertError, NotFound
from alerts.observe import StaleFeed
from cockpit import bootstrap
from cockpit.core import store as core_store
from cockpit.core.db import Database
from tests.alerts.conftest import put_values, utc

T0 = utc("2026-01-10 05:00")
HAILING, GAOGANG = "321202", "321203"


def aqi(db, area, hours=6, value=320.0, start=T0):
    put_values(db, "env.aqi", "hour", area, {start + timedelta(hours=h): value for h in range(hours)})


class Officer:
    def __init__(self, user_id, role, area_code, unit_id=None):
        self.user_id, self.role, self.area_code, self.unit_id = user_id, role, area_code, unit_id


def test_restart_in_the_middle_of_for_fires_at_the_original_time(tmp_path, config):
    path = tmp_path / "restart.duckdb"
    db = Database(path)
    db.migrate(bootstrap.MIGRATIONS)
    core_store.sync_identity(db, config)
    aqi(db, HAILING)
    evaluate.evaluate(db, config, T0 + timedelta(minutes=10))       # pending from 05:10, orange for 2h
    db.close()
    db = Database(path)                                              # the process restarts an hour later
    evaluate.evaluate(db, config, T0 + timedelta(hours=1, minutes=30))
    assert queries.warning_queue(db, config, HAILING, T0)["state"].to_list() == ["pending"]
    evaluate.evaluate(db, config, T0 + timedelta(hours=2, minutes=10))
    row = queries.warning_queue(db, config, HAILING, T0 + timedelta(hours=3)).row(0, named=True)
    assert (row["state"], row["level"]) == ("firing", "orange")
    assert row["fired_at"] == T0 + timedelta(hours=2, minutes=10)   # 05:10 + 2h, not reset by the restart
    db.close()


def test_a_late_evaluation_still_records_the_original_firing_time(db, config):
    aqi(db, HAILING)
    evaluate.evaluate(db, config, T0 + timedelta(minutes=10))
    evaluate.evaluate(db, config, T0 + timedelta(hours=4))           # scheduler was down for hours
    firing = [e for e in queries.events_after(db, 0) if e.kind == "firing"]
    assert [e.at for e in firing] == [T0 + timedelta(hours=2, minutes=10)]


def test_stale_source_is_a_data_feed_warning_and_clears_when_fresh(db, config):
    feed = StaleFeed("air_quality_api", "空气质量接口", "error", "数据断流：空气质量接口 已 3.0 小时 没有成功获取数据")
    evaluate.evaluate(db, config, T0, [feed])
    row = queries.warning_queue(db, config, "321200", T0).row(0, named=True)
    assert (row["rule_id"], row["state"], row["level"], row["reason"]) == (
        "source:air_quality_api", "firing", "orange", "Data feed interrupted")
    assert "数据断流" in row["detail"]
    evaluate.evaluate(db, config, T0 + timedelta(minutes=5), [])
    assert queries.warning_queue(db, config, "321200", T0)["state"].to_list() == ["resolved"]


def test_runaway_rule_goes_into_error_instead_of_flooding(db, config):
    small = config.model_copy(update={"alerts": config.alerts.model_copy(update={"max_open_per_rule": 3})})
    streets = [a.code for a in core_store.areas(db, level="street")][:6]
    for code in streets:
        put_values(db, "emergency.water_above_warning", "hour", code, {T0: 1.5})
    report = evaluate.evaluate(db, small, T0 + timedelta(minutes=5))
    assert report.rules_in_error == ["emergency.water_above_warning"]
    assert queries.warning_queue(db, small, "321200", T0).is_empty()
    assert [r[0] for r in store.rules_in_error(db)] == ["emergency.water_above_warning"]
    assert [e.kind for e in queries.events_after(db, 0)] == ["rule_error"]


def test_silence_marks_events_and_counts_what_it_suppressed(db, config):
    duty = Officer("duty_hailing", "duty_officer", HAILING)
    with pytest.raises(AlertError):
        silences.add(db, duty, reason=" ", ends_at=T0 + timedelta(hours=4), now=T0, indicator_id="env.aqi")
    with pytest.raises(AlertError):
        silences.add(db, duty, reason="设备检修", ends_at=T0 - timedelta(hours=1), now=T0, indicator_id="env.aqi")
    s = silences.add(db, duty, reason="监测站检修", ends_at=T0 + timedelta(hours=6), now=T0, indicator_id="env.aqi")
    assert s.area_code == HAILING                                    # never beyond the officer's district
    aqi(db, HAILING)
    aqi(db, GAOGANG)
    for minutes in (10, 130):
        evaluate.evaluate(db, config, T0 + timedelta(minutes=minutes))
    by_area = {e.area_code: e.silenced for e in queries.events_after(db, 0) if e.kind == "firing"}
    assert by_area == {HAILING: True, GAOGANG: False}
    assert store.silences(db)[0].suppressed == 2                     # pending and firing
    queue = queries.warning_queue(db, config, "321200", T0 + timedelta(hours=3))
    assert dict(zip(queue["area_code"], queue["silenced"], strict=True)) == {HAILING: True, GAOGANG: False}


def test_unacknowledged_warning_escalates_tier_by_tier(db, config):
    put_values(db, "emergency.water_above_warning", "hour", "321203004", {T0: 0.2, T0 + timedelta(hours=1): 0.2})
    evaluate.evaluate(db, config, T0 + timedelta(minutes=1))          # blue fires at once on a street
    evaluate.evaluate(db, config, T0 + timedelta(hours=3))
    steps = [(e.kind, e.tier) for e in queries.events_after(db, 0)]
    assert steps[:1] == [("firing", "street")]
    assert [t for k, t in steps if k == "escalated"] == ["district", "city", "leader"]


def test_acknowledge_is_scoped_and_stops_escalation(db, config):
    aqi(db, HAILING)
    evaluate.evaluate(db, config, T0 + timedelta(minutes=10))
    evaluate.evaluate(db, config, T0 + timedelta(hours=2, minutes=10))
    wid = queries.warning_queue(db, config, HAILING, T0)["warning_id"][0]
    with pytest.raises(NotFound):
        actions.acknowledge(db, Officer("duty_jiangyan", "duty_officer", "321204"), wid, "x", T0 + timedelta(hours=3))
    with pytest.raises(AlertError):
        actions.acknowledge(db, Officer("handler", "handler", HAILING), wid, "x", T0 + timedelta(hours=3))
    actions.acknowledge(db, Officer("duty_hailing", "duty_officer", HAILING), wid, "已通知生态环境局",
                        T0 + timedelta(hours=2, minutes=20))
    evaluate.evaluate(db, config, T0 + timedelta(hours=6))
    kinds = [e.kind for e in queries.events_of(db, wid)]
    assert kinds == ["pending", "firing", "acknowledged"]
    audit = db.rows("select action, outcome from audit_log where action = 'warning.ack' order by seq")
    assert audit == [("warning.ack", "denied"), ("warning.ack", "denied"), ("warning.ack", "ok")]


def test_plan_is_proposed_started_raised_and_ended_with_who_and_when(db, config):
    aqi(db, HAILING, hours=30)
    evaluate.evaluate(db, config, T0 + timedelta(minutes=10))
    evaluate.evaluate(db, config, T0 + timedelta(hours=2, minutes=10))
    (aid, plan_id, wid, area, *_rest), = store.activations(db, HAILING)
    assert (plan_id, area) == ("air_pollution", HAILING)
    props = plans.proposals(db, aid)
    assert [p.unit_id for p in props] == ["dept_shengtai", "dept_zhujian", "dept_chengguan"]
    assert props[0].finish_due == T0 + timedelta(hours=4, minutes=10)
    duty = Officer("duty_hailing", "duty_officer", HAILING, "center_321202")
    with pytest.raises(NotFound):
        plans.act(db, Officer("duty_jiangyan", "duty_officer", "321204"), aid, "start", T0)
    plans.record_dispatch(db, duty, aid, 1, "RW20260110-00001", T0 + timedelta(hours=3))
    evaluate.evaluate(db, config, T0 + timedelta(hours=25))           # red after 24h → 升级 recorded
    plans.act(db, duty, aid, "end", T0 + timedelta(hours=26), "空气质量好转")
    record = [(k, who) for _at, k, who, _lv, _note in store.plan_events(db, aid)]
    assert record == [("propose", "system"), ("start", "duty_hailing"), ("escalate", "system"),
                      ("end", "duty_hailing")]
    assert plans.proposals(db, aid)[0].task_id == "RW20260110-00001"


def test_level_change_is_applied_audited_and_used(db, config):
    changes = levels.parse_levels(["orange.above=250", "orange.for=1h"])
    done = levels.apply(db, config, "operator_city", "env.aqi", changes, T0)
    assert ("orange", "above", 300.0, 250.0) in done and ("orange", "for", "2h", "1h") in done
    audit = db.rows("select user_id, object, detail from audit_log where action = 'rule.level_change'")
    assert len(audit) == 2 and audit[0][0] == "operator_city" and '"old": 300.0' in audit[0][2]
    aqi(db, HAILING, value=260.0)
    evaluate.evaluate(db, config, T0 + timedelta(minutes=10))
    evaluate.evaluate(db, config, T0 + timedelta(hours=1, minutes=10))
    row = queries.warning_queue(db, config, HAILING, T0).row(0, named=True)
    assert (row["state"], row["level"]) == ("firing", "orange")
    with pytest.raises(AlertError):
        levels.parse_levels(["purple.above=1"])
