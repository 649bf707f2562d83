"""A deployment with hand-made tasks, cards, source runs, form submissions and indicator values around
Sunday 22 November 2026 (Taizhou time), for briefings and rankings."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cockpit import bootstrap
from cockpit.auth.users import create_user
from cockpit.core.audit import Actor
from cockpit.core.clock import FixedClock
from tests.conftest import write_config

# Local midnight of Sunday 22 November 2026 is 16:00 UTC the day before.
DAY = datetime(2026, 11, 21, 16, 0, tzinfo=UTC)
PREV = DAY - timedelta(days=1)
NOW = DAY + timedelta(days=1, hours=9)  # Monday 23 November, 09:00 local
PASSWORD = "Correct-Horse-42-battery"

USERS = [("op_city", "center_operator", "321200", "dept_chengyun"),
         ("op_hailing", "center_operator", "321202", "center_321202"),
         ("op_gaogang", "center_operator", "321203", "center_321203"),
         ("duty_hailing", "duty_officer", "321202", "center_321202"),
         ("handler_cg", "handler", "321200", "dept_chengguan"),
         ("admin_r", "admin", "321200", None)]


def task(cur, task_id: str, area: str, unit: str, created: datetime, due_hours: float, closed_after: float | None,
         origin: str = "manual", accepted_after: float | None = None) -> None:
    """Insert one task as the tasks room stores it (closed `closed_after` hours after creation, if given)."""
    closed = created + timedelta(hours=closed_after) if closed_after is not None else None
    accepted = created + timedelta(hours=accepted_after) if accepted_after is not None else None
    cur.execute(
        """insert into tasks (task_id, title, body, origin, origin_id, from_unit, to_unit, area_code, priority, state,
           created_by, created_at, accept_due, finish_due, updated_at, accepted_at, closed_at)
           values (?, '测试任务', '内容', ?, ?, 'dept_chengyun', ?, ?, 'normal', ?, 'op_city', ?, ?, ?, ?, ?, ?)""",
        [task_id, origin, task_id if origin != "manual" else None, unit, area,
         "closed" if closed else ("accepted" if accepted else "dispatched"), created, created + timedelta(hours=2),
         created + timedelta(hours=due_hours), created, accepted, closed])


def card(cur, event_id: int, task_id: str, at: datetime, level: str) -> None:
    """Insert one SLA card event as the tasks room records it."""
    cur.execute("""insert into task_events (event_id, task_id, occurred_at, actor_id, action, from_state, to_state,
                   detail) values (?, ?, ?, 'system', 'card', 'accepted', 'accepted', ?)""",
                [event_id, task_id, at, json.dumps({"card": level, "phase": "finish"})])


def warning(cur, wid: str, area: str, domain: str, level: str, fired: datetime | None,
            acked: datetime | None = None, resolved: datetime | None = None) -> None:
    """Insert one warning as the alerts room stores it (never fired when `fired` is None: still pending)."""
    state = "resolved" if resolved else ("acknowledged" if acked else ("firing" if fired else "pending"))
    start = fired or DAY
    cur.execute(
        """insert into warnings (warning_id, rule_id, kind, area_code, domain, level, state, open, reason,
           started_at, fired_at, last_eval_at, acknowledged_at, resolved_at)
           values (?, 'r', 'threshold', ?, ?, ?, ?, ?, 'x', ?, ?, ?, ?, ?)""",
        [wid, area, domain, level, state, resolved is None, start, fired, NOW, acked, resolved])


def activation(cur, aid: str, plan: str, area: str, started: datetime, ended: datetime | None) -> None:
    """Insert one emergency-plan activation."""
    cur.execute("""insert into plan_activations (activation_id, plan_id, area_code, state, started_at, started_by,
                   ended_at) values (?, ?, ?, ?, ?, 'duty', ?)""",
                [aid, plan, area, "ended" if ended else "active", started, ended])


def seed(rt) -> None:
    """The data every reports test reads."""
    with rt.db.transaction() as cur:
        h = lambda n: DAY + timedelta(hours=n)  # noqa: E731
        # 海陵区 (urban, 620k): 10 closed on the day, 8 on time; 3 open and overdue at the day's end.
        for i in range(10):
            task(cur, f"HL{i}", "321202001", "dept_chengguan", h(1 + i * 0.5), 6, 3 if i < 8 else 9)
        for i in range(3):
            task(cur, f"HLO{i}", "321202002", "dept_shengtai", h(2), 4, None)
        # 高港区 (urban, 480k): only 2 closed tasks, both on time -> insufficient sample, never first.
        for i in range(2):
            task(cur, f"GG{i}", "321203001", "dept_chengguan", h(3), 6, 1)
        # 兴化市 (county city, 1.12M): 6 closed, 6 on time; 3 overdue open.
        for i in range(6):
            task(cur, f"XH{i}", "321281001", "dept_jiaotong", h(4), 6, 2)
        for i in range(3):
            task(cur, f"XHO{i}", "321281001", "dept_jiaotong", h(1), 3, None)
        # 靖江市 (county city): 5 closed, 4 on time.
        for i in range(5):
            task(cur, f"JJ{i}", "321282001", "dept_shuili", h(5), 6, 2 if i < 4 else 8)
        # Warning tasks with acceptance times (response): 海陵 1h and 3h; 兴化 0.5h.
        task(cur, "W1", "321202001", "dept_chengguan", h(6), 24, None, "warning", 1)
        task(cur, "W2", "321202003", "dept_chengguan", h(7), 24, None, "warning", 3)
        task(cur, "W3", "321281001", "dept_jiaotong", h(8), 24, None, "warning", 0.5)
        # The day before: 靖江 on top, 海陵 below (for the rank change).
        for i in range(5):
            task(cur, f"P_JJ{i}", "321282001", "dept_shuili", PREV + timedelta(hours=2), 6, 1)
        for i in range(5):
            task(cur, f"P_HL{i}", "321202001", "dept_chengguan", PREV + timedelta(hours=2), 6, 1 if i < 3 else 8)
        for i in range(5):
            task(cur, f"P_XH{i}", "321281001", "dept_jiaotong", PREV + timedelta(hours=2), 6, 1 if i < 4 else 8)
        # Cards on the day: 城管局 2 yellow 1 red; 交通局 1 red. One card the day before must not count.
        card(cur, 1, "HLO0", h(5), "yellow")
        card(cur, 2, "HLO1", h(5), "yellow")
        card(cur, 3, "HLO2", h(7), "red")
        card(cur, 4, "XHO0", h(6), "red")
        card(cur, 5, "P_HL4", PREV + timedelta(hours=7), "red")
        # Warnings: on the day 海陵 red (acknowledged after 1 h, resolved), 兴化 orange (acknowledged after
        # 0.5 h, still open), 靖江 blue (resolved only the next morning); a yellow from the day before resolved
        # on the day; a pending one never fired; one in 海陵 fired after the day.
        warning(cur, "YJ1", "321202001", "生态环保", "red", h(2), h(3), h(10))
        warning(cur, "YJ2", "321281001", "城市管理", "orange", h(4), h(4.5))
        warning(cur, "YJ3", "321282001", "生态环保", "blue", h(20), None, NOW)
        warning(cur, "YJ4", "321202002", "城市管理", "yellow", PREV + timedelta(hours=1), PREV + timedelta(hours=2),
                h(1))
        warning(cur, "YJ5", "321203001", "生态环保", "red", None)
        warning(cur, "YJ6", "321202001", "生态环保", "red", NOW - timedelta(hours=1))
        activation(cur, "YA1", "air_pollution", "321202", h(2.5), h(11))
        activation(cur, "YA2", "air_pollution", "321282", h(21), None)
        activation(cur, "YA3", "flood_control", "321202", PREV + timedelta(hours=3), PREV + timedelta(hours=5))
        # Source runs: 12345 fine (every 15 min), video every 2 h (late: warn 1 h, error 3 h), air quality
        # failing all day (broken).
        run = 0
        for sid, step in (("hotline_orders_api", 0.25), ("video_points_api", 2.0)):
            t = DAY - timedelta(minutes=10)
            while t < DAY + timedelta(days=1):
                run += 1
                cur.execute("""insert into source_runs (run_id, source_id, started_at, finished_at, status)
                               values (?, ?, ?, ?, 'ok')""", [run, sid, t, t])
                t += timedelta(hours=step)
        for k in range(6):
            run += 1
            at = DAY + timedelta(hours=k * 4)
            cur.execute("""insert into source_runs (run_id, source_id, started_at, finished_at, status, error_kind)
                           values (?, 'air_quality_files', ?, ?, 'failed', 'transient')""", [run, at, at])
        # Township form (daily): 海陵区's 10 streets report both days... only 7 streets on the day itself.
        streets = [r[0] for r in cur.execute("select code from areas where parent_code = '321202' order by code")
                   .fetchall()]
        for n, street in enumerate(streets):
            for period in (PREV, DAY):
                if period == DAY and n >= 7:
                    continue
                cur.execute("""insert into form_submissions (source_id, street_code, period_start, seq, values_json,
                               submitted_at, submitted_by) values ('township_form', ?, ?, ?, '{}', ?, 'x')""",
                            [street, period, n * 2 + (period == DAY), period + timedelta(hours=9)])
        # Indicator values (city, day grain): the day, the day before, the same day last year.
        ly = datetime(2025, 11, 21, 16, 0, tzinfo=UTC)
        for period, value in ((DAY, 99.2), (PREV, 98.8), (ly, 97.5)):
            cur.execute("""insert into indicator_values (indicator_id, area_code, grain, period_start, value,
                           computed_at, definition_version) values ('hotline.ontime_rate', '321200', 'day', ?, ?,
                           ?, 1)""", [period, value, NOW])
        for code, value in (("321202", 99.99), ("321203", 98.0), ("321281", 99.985)):
            cur.execute("""insert into indicator_values (indicator_id, area_code, grain, period_start, value,
                           computed_at, definition_version) values ('hotline.ontime_rate', ?, 'day', ?, ?, ?, 1)""",
                        [code, DAY, value, NOW])


SOURCES = """
sources:
  hotline_orders_api:
    {name: 12345工单接口, kind: http_json, dataset: hotline_orders, freshness: {warn_after: 1h, error_after: 3h},
     settings: {url: "http://127.0.0.1:9/orders", records_path: data.records}}
  video_points_api:
    {name: 视频共享平台 点位状态接口, kind: http_json, dataset: video_points,
     freshness: {warn_after: 1h, error_after: 3h}, settings: {url: "http://127.0.0.1:9/video"}}
  air_quality_files:
    {name: 空气质量自动监测站 小时数据(文件), kind: http_json, dataset: air_quality_hourly,
     freshness: {warn_after: 3h, error_after: 6h}, settings: {url: "http://127.0.0.1:9/air"}}
  air_quality_mqtt:
    {name: 空气质量 物联感知, kind: http_json, dataset: air_quality_hourly, enabled: false,
     settings: {url: "http://127.0.0.1:9/mqtt"}}
  traffic_api:
    {name: 交通运行监测接口, kind: http_json, dataset: traffic_congestion, settings: {url: "http://127.0.0.1:9/t"}}
  township_form:
    {name: 镇街一张表(每日报送), kind: manual_form, dataset: township_reports,
     settings: {period: day, due: 18h, required: [hazards_found, grid_patrols]}}
"""


def make_runtime(folder, database_path: str | None = None):
    """A migrated runtime with the test users and the seed data, clock at Monday 09:00 (its database at
    `database_path`, as written in the configuration, when given)."""
    path = write_config(folder, core_only=False)
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("sources:"))
    if database_path:
        text = text.replace(f"path: {folder / 'cockpit.duckdb'}", f"path: {database_path}")
    path.write_text(text + SOURCES, encoding="utf-8")
    rt = bootstrap.open_runtime(path, clock=FixedClock(NOW))
    for user_id, role, area, unit in USERS:
        create_user(rt.db, Actor("test"), user_id, user_id, role, area, unit, password=PASSWORD,
                    must_change_password=False)
    seed(rt)
    return rt


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    """One seeded deployment per test module."""
    runtime = make_runtime(tmp_path_factory.mktemp("reports"))
    yield runtime
    runtime.db.close()
