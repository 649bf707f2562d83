"""The numbers in a generated briefing equal independent computations on the same rows, and a past period
regenerates with the same numbers."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

from cockpit.core.clock import FixedClock
from cockpit.core.i18n import use_locale
from cockpit.reports import archive, briefing
from cockpit.reports.periods import period_of
from tests.reports.conftest import DAY, NOW, task

END = DAY + timedelta(days=1)


def _tasks(rt) -> list[dict]:
    rows = rt.db.rows("select task_id, area_code, to_unit, created_at, closed_at, finish_due from tasks")
    return [dict(zip(("id", "area", "unit", "created", "closed", "due"), r, strict=True)) for r in rows]


def _expected(tasks: list[dict], prefix: str) -> dict:
    """Counts by plain Python over every task row, independent of the product's SQL."""
    mine = [t for t in tasks if t["area"].startswith(prefix)]
    closed = [t for t in mine if t["closed"] is not None and DAY <= t["closed"] < END]
    return {
        "dispatched": sum(DAY <= t["created"] < END for t in mine),
        "closed": len(closed),
        "on_time": sum(t["closed"] <= t["due"] for t in closed),
        "overdue": sum(t["created"] < END and t["due"] < END and (t["closed"] is None or t["closed"] >= END)
                       for t in mine),
    }


def _build(rt, area: str, day: date = date(2026, 11, 22)) -> dict:
    with use_locale("zh_CN"):
        return briefing.build(rt.db, rt.config, period_of("daily", day, rt.config.city.timezone), area)


def test_city_task_figures_match_independent_counts(rt):
    numbers = _build(rt, "321200")
    tasks = _tasks(rt)
    exp = _expected(tasks, "3212")
    total = numbers["tasks"]["total"]
    assert {k: total[k] for k in exp} == exp
    assert exp == {"dispatched": 32, "closed": 23, "on_time": 20, "overdue": 6}
    for row in numbers["tasks"]["by_district"]:
        assert {k: row[k] for k in exp} == _expected(tasks, row["code"]), row["name"]
    assert {r["name"] for r in numbers["tasks"]["by_district"]} == {"海陵区", "高港区", "兴化市", "靖江市"}
    by_unit = {r["unit_id"]: r for r in numbers["tasks"]["by_unit"]}
    for unit in {t["unit"] for t in tasks}:
        mine = [t for t in tasks if t["unit"] == unit]
        closed = [t for t in mine if t["closed"] is not None and DAY <= t["closed"] < END]
        assert by_unit[unit]["closed"] == len(closed)


def test_cards_count_only_the_period_by_unit(rt):
    rows = rt.db.rows("""select t.to_unit, e.detail, e.occurred_at from task_events e join tasks t using (task_id)
                         where e.action = 'card'""")
    expected: Counter = Counter()
    for unit, detail, at in rows:
        if DAY <= at < END:
            expected[(unit, json.loads(detail)["card"])] += 1
    cards = {c["unit_id"]: c for c in _build(rt, "321200")["cards"]}
    assert {(u, lvl): n for u, c in cards.items() for lvl in ("yellow", "red") if (n := c[lvl])} == dict(expected)
    assert cards["dept_shengtai"]["name"] == "生态环境局"


def test_district_briefing_holds_only_the_district(rt):
    numbers = _build(rt, "321202")
    exp = _expected(_tasks(rt), "321202")
    assert {k: numbers["tasks"]["total"][k] for k in exp} == exp == {
        "dispatched": 15, "closed": 10, "on_time": 8, "overdue": 3}
    assert numbers["tasks"]["by_district"] == []
    assert {c["unit_id"] for c in numbers["cards"]} == {"dept_shengtai"}  # 海陵's cards only
    own = [r for rk in numbers["rankings"] for r in rk["rows"] if r.get("own")]
    assert own and all(r["subject"] == "321202" for r in own)


def test_headline_compares_with_previous_day_and_last_year(rt):
    head = {h["indicator_id"]: h for h in _build(rt, "321200")["headline"]}["hotline.ontime_rate"]
    assert head["value"] == 99.2 and head["previous"] == 98.8 and head["last_year"] == 97.5
    assert abs(head["mom_pct"] - (99.2 - 98.8) / 98.8 * 100) < 1e-3
    assert abs(head["yoy_pct"] - (99.2 - 97.5) / 97.5 * 100) < 1e-3
    assert head["met"] is False  # target 99.98


def test_late_and_broken_sources(rt):
    sources = {s["source_id"]: s for s in _build(rt, "321200")["sources"]}
    assert "hotline_orders_api" not in sources  # every 15 minutes: on schedule
    assert sources["video_points_api"]["state"] == "late" and sources["video_points_api"]["max_gap_hours"] == 2.0
    assert sources["air_quality_files"]["state"] == "broken" and sources["air_quality_files"]["failed_runs"] == 6
    assert sources["traffic_api"]["state"] == "no_runs"
    assert "air_quality_mqtt" not in sources  # disabled in the configuration


def test_warning_figures_match_independent_counts(rt):
    rows = rt.db.rows("select area_code, domain, level, fired_at, acknowledged_at, resolved_at from warnings")
    for area, prefix in (("321200", "3212"), ("321202", "321202")):
        w = _build(rt, area)["warnings"]
        mine = [r for r in rows if r[0].startswith(prefix) and r[3] is not None]
        for row in w["levels"]:
            lv = [r for r in mine if r[2] == row["level"]]
            assert row["raised"] == sum(DAY <= r[3] < END for r in lv), (area, row)
            assert row["resolved"] == sum(r[5] is not None and DAY <= r[5] < END for r in lv), (area, row)
            assert row["open_at_end"] == sum(r[3] < END and (r[5] is None or r[5] >= END) for r in lv), (area, row)
        assert [r["level"] for r in w["levels"]] == ["red", "orange", "yellow", "blue"]
    city = _build(rt, "321200")["warnings"]
    assert (city["raised"], city["resolved"], city["open_at_end"]) == (3, 2, 2)
    by_domain = {r["domain"]: r for r in city["by_domain"]}
    assert by_domain["生态环保"]["raised"] == 2 and by_domain["生态环保"]["ack_hours_mean"] == 1.0
    assert by_domain["城市管理"]["raised"] == 1 and by_domain["城市管理"]["ack_hours_mean"] == 0.5
    assert city["plans"] == [{"plan_id": "air_pollution", "name": "大气重污染应急预案", "activations": 2, "ended": 1}]
    assert _build(rt, "321203")["warnings"]["raised"] == 0  # the pending one never fired


def test_narrative_states_the_numbers_in_formal_chinese(rt):
    text = "\n".join(_build(rt, "321200")["narrative"])
    assert "2026年11月22日，泰州市共派发任务32件，办结23件，其中按时办结20件（按时办结率87.0%）" in text
    assert "超期未办结任务6件" in text
    assert "黄牌2张、红牌2张" in text
    assert "共发出预警3条（红色1条、橙色1条、蓝色1条），解除2条，期末仍有2条未解除；启动应急预案2次" in text
    assert "视频共享平台 点位状态接口（迟报）" in text
    assert "12345工单按时办结率为99.20%，环比上升0.4%，同比上升1.7%" in text and "低于目标值99.98" in text


def test_past_period_regenerates_identically(tmp_path, rt):
    first = archive.generate(rt.db, rt.config, tmp_path, "daily", "321200", date(2026, 11, 22), rt.clock)
    numbers_1 = json.loads((tmp_path / first["folder"] / f"{first['briefing_id']}.json").read_text())
    # Life goes on after the period: an old task is closed, new ones arrive, time passes.
    with rt.db.transaction() as cur:
        cur.execute("update tasks set state = 'closed', closed_at = ? where task_id = 'HLO0'", [NOW])
        task(cur, "LATE1", "321202001", "dept_chengguan", NOW, 6, 1)
    later = FixedClock(NOW + timedelta(days=3))
    again = archive.generate(rt.db, rt.config, tmp_path, "daily", "321200", date(2026, 11, 22), later)
    numbers_2 = json.loads((tmp_path / again["folder"] / f"{again['briefing_id']}.json").read_text())
    assert again["numbers_sha256"] == first["numbers_sha256"]
    assert numbers_2 == numbers_1
    assert again["generated_at"] > first["generated_at"] and again["issue_no"] == first["issue_no"] == 326
    with rt.db.transaction() as cur:  # leave the module's data as it was
        cur.execute("update tasks set state = 'dispatched', closed_at = null where task_id = 'HLO0'")
        cur.execute("delete from tasks where task_id = 'LATE1'")
