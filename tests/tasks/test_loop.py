"""The closed loop through the service: every step in the timeline and the audit log; the SLA job's cards;
pause and extension; follow-up; statistics; the CLI."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from click.testing import CliRunner

from cockpit import bootstrap
from cockpit.cli import cli
from cockpit.core import store as core_store
from cockpit.core.audit import verify
from cockpit.tasks import queries
from cockpit.tasks.cards import issue_cards
from cockpit.tasks.dispatch import dispatch
from cockpit.tasks.model import Action, Upload
from cockpit.tasks.service import act
from tests.tasks.conftest import MONDAY_9AM

NOW = MONDAY_9AM
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def new_task(rt, users, origin="warning", to_unit="dept_chengguan", **kw):
    return dispatch(rt.db, rt.config, users["duty_city"], origin=origin, origin_id=uuid.uuid4().hex,
                    to_unit=to_unit, title="渣土车抛洒", body="凤凰路", area_code="321202", now=NOW, **kw).task


def test_the_whole_loop_is_in_the_timeline_and_the_audit_log(rt, users):
    task = new_task(rt, users)
    handler, officer = users["handler_chengguan"], users["duty_city"]
    version = rt.db.data_version("tasks")
    steps = [
        (handler, Action("accept"), 5),
        (handler, Action("report", progress=50, note="已清扫一半", files=(Upload("p.png", PNG),)), 30),
        (handler, Action("submit", note="已清理完毕"), 60),
        (officer, Action("return", note="请补充整改照片"), 70),
        (handler, Action("submit", note="已补充照片", files=(Upload("after.png", PNG),)), 90),
        (officer, Action("verify", note="照片与监控一致"), 95),
        (officer, Action("close"), 96),
    ]
    for user, action, minutes in steps:
        act(rt.db, rt.config, user, task.task_id, action, NOW + timedelta(minutes=minutes), data_dir=rt.data_dir)
    detail = queries.task_detail(rt.db, officer, task.task_id, NOW + timedelta(hours=2))
    timeline = detail["timeline"]
    assert [e["action"] for e in timeline] == ["dispatch", "accept", "report", "submit", "return", "submit",
                                               "verify", "close"]
    assert [e["actor_id"] for e in timeline][1:3] == ["handler_chengguan"] * 2
    assert timeline[2]["progress"] == 50 and timeline[4]["note"] == "请补充整改照片"
    assert detail["task"]["state"] == "closed" and detail["task"]["progress"] == 100
    assert len(detail["attachments"]) == 2 and detail["actions"] == []
    actions = [r[4] for r in core_store.audit_records(rt.db) if r[5] == f"task:{task.task_id}"]
    assert sorted(actions) == sorted(["task.dispatch", "task.accept", "task.report", "task.submit", "task.return",
                                      "task.submit", "task.verify", "task.close"])
    assert verify(rt.db) == []
    assert rt.db.data_version("tasks") > version


def test_a_refused_action_is_audited_and_changes_nothing(rt, users):
    task = new_task(rt, users)
    with pytest.raises(PermissionError):
        act(rt.db, rt.config, users["handler_shengtai"], task.task_id, Action("accept"), NOW)
    denied = [r for r in core_store.audit_records(rt.db, 5) if r[5] == f"task:{task.task_id}" and r[7] == "denied"]
    assert denied and denied[0][2] == "handler_shengtai"
    assert queries.task_detail(rt.db, users["duty_city"], task.task_id, NOW)["task"]["state"] == "dispatched"


def test_decline_and_reassign(rt, users):
    task = new_task(rt, users, to_unit="dept_shengtai")
    act(rt.db, rt.config, users["handler_shengtai"], task.task_id, Action("decline", note="属城管职责"), NOW)
    moved = act(rt.db, rt.config, users["duty_city"], task.task_id,
                Action("reassign", to_unit="dept_chengguan", note="改派城管局"), NOW)
    assert (moved.state, moved.to_unit) == ("dispatched", "dept_chengguan")
    assert task.task_id in [t["task_id"] for t in queries.my_tasks(rt.db, users["handler_chengguan"], NOW)]
    assert task.task_id not in [t["task_id"] for t in queries.my_tasks(rt.db, users["handler_shengtai"], NOW)]


def test_cards_are_issued_once_and_recorded(rt, users):
    task = new_task(rt, users)  # sign for by Monday 14:30 (yellow from 12:00, 25%), red after Tuesday 14:30 (1d)
    assert task.task_id not in dict(issue_cards(rt.db, rt.config, NOW + timedelta(hours=2)))
    at = NOW + timedelta(hours=3, minutes=30)
    assert dict(issue_cards(rt.db, rt.config, at))[task.task_id] == "yellow"
    assert task.task_id not in dict(issue_cards(rt.db, rt.config, at + timedelta(minutes=5)))
    later = NOW + timedelta(days=1, hours=6)  # Tuesday 15:00
    assert dict(issue_cards(rt.db, rt.config, later))[task.task_id] == "red"
    detail = queries.task_detail(rt.db, users["duty_city"], task.task_id, later)
    cards = [e for e in detail["timeline"] if e["action"] == "card"]
    assert [(c["detail"]["card"], c["detail"]["phase"], c["actor_id"]) for c in cards] == [
        ("yellow", "accept", None), ("red", "accept", None)]
    assert detail["task"]["red_cards"] == 1 and detail["task"]["overdue"]
    board = queries.board(rt.db, users["duty_city"], later, states=["dispatched"])
    assert board["columns"]["dispatched"][0]["overdue"]  # overdue first
    assert board["counts"]["dispatched"]["overdue"] >= 1


def test_the_card_job_is_scheduled(rt):
    jobs = {j.id: j for j in bootstrap.scheduled_jobs(rt)}
    assert jobs["tasks:cards"].trigger == "interval" and jobs["tasks:cards"].trigger_args == {"minutes": 5}


def test_suspension_moves_the_deadline_by_the_working_time_paused(rt, users):
    task = new_task(rt, users)
    handler, officer = users["handler_chengguan"], users["duty_city"]
    act(rt.db, rt.config, handler, task.task_id, Action("accept"), NOW)
    act(rt.db, rt.config, handler, task.task_id, Action("report", progress=10), NOW)
    act(rt.db, rt.config, handler, task.task_id, Action("request_pause", note="等待鉴定"), NOW)
    paused = act(rt.db, rt.config, officer, task.task_id, Action("approve_pause"), NOW + timedelta(hours=1))
    resumed = act(rt.db, rt.config, handler, task.task_id, Action("resume"), NOW + timedelta(days=1, hours=1))
    assert paused.state == "paused" and resumed.state == "in_progress"
    assert resumed.finish_due - task.finish_due == timedelta(days=1)  # one working day later (Thu 09:00 → Fri)


def test_follow_up_keeps_solved_and_satisfied_apart_from_closed_on_time(rt, users):
    officer = users["duty_city"]
    since, until = NOW - timedelta(minutes=1), NOW + timedelta(minutes=1)
    for solved, satisfied in ((True, True), (False, True), (True, False)):
        task = new_task(rt, users, origin="citizen", to_unit="dept_zhengwu")
        t = task.task_id
        for user, action in ((None, Action("accept")), (None, Action("submit", note="已答复")),
                             (officer, Action("verify", note="电话核实")), (officer, Action("close")),
                             (officer, Action("follow_up", solved=solved, satisfied=satisfied))):
            if user is None:
                user = core_store.User("h_zw", "h", "handler", "dept_zhengwu", "321200", None, False, 0, None, False)
            act(rt.db, rt.config, user, t, action, NOW)
    [row] = [r for r in queries.statistics(rt.db, users["leader_mayor"], since, until, NOW) if r["key"] ==
             "dept_zhengwu"]
    assert (row["dispatched"], row["closed"], row["on_time"], row["followed_up"]) == (3, 3, 3, 3)
    assert row["on_time_rate"] == 1.0
    assert row["solved_rate"] == pytest.approx(2 / 3) and row["satisfied_rate"] == pytest.approx(2 / 3)


def test_statistics_by_district_count_overdue_work(rt, users):
    since = NOW - timedelta(minutes=1)
    new_task(rt, users, to_unit="dept_jiaotong")
    late = NOW + timedelta(days=10)
    rows = {r["key"]: r for r in queries.statistics(rt.db, users["leader_mayor"], since, late, late, by="district")}
    assert rows["321202"]["name"] == "海陵区" and rows["321202"]["overdue"] >= 1
    scoped = queries.statistics(rt.db, users["operator_jiangyan"], since, late, late, by="district")
    assert "321202" not in {r["key"] for r in scoped}


def test_cli_lists_and_shows_tasks_as_json(rt, users):
    task = new_task(rt, users)
    act(rt.db, rt.config, users["handler_chengguan"], task.task_id, Action("accept"), NOW)
    runner = CliRunner()
    config = str(rt.config_path)
    listed = runner.invoke(cli, ["--config", config, "tasks", "list", "--state", "accepted", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert task.task_id in [r["task_id"] for r in rows] and {r["state"] for r in rows} == {"accepted"}
    shown = runner.invoke(cli, ["--config", config, "tasks", "show", task.task_id, "--json"])
    assert shown.exit_code == 0, shown.output
    detail = json.loads(shown.output)
    assert [e["action"] for e in detail["timeline"]] == ["dispatch", "accept"]
    scoped = runner.invoke(cli, ["--config", config, "tasks", "show", task.task_id, "--as", "handler_shengtai"])
    assert scoped.exit_code != 0
    missing = runner.invoke(cli, ["--config", config, "tasks", "show", "RW-nope", "--json"])
    assert missing.exit_code != 0
