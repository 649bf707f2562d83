"""Dispatch: one task per origin even under concurrent clicks, area scope, routing, sub-tasks with roll-up."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest

from cockpit.core import store as core_store
from cockpit.tasks import queries, routing
from cockpit.tasks.dispatch import dispatch
from cockpit.tasks.errors import Forbidden, TaskError
from cockpit.tasks.model import Action
from cockpit.tasks.service import act
from tests.tasks.conftest import MONDAY_9AM, STREET

NOW = MONDAY_9AM


def new_task(rt, user, to_unit="dept_chengguan", area="321202", origin="warning", origin_id=None, **kw):
    return dispatch(rt.db, rt.config, user, origin=origin, origin_id=origin_id or uuid.uuid4().hex, to_unit=to_unit,
                    title="河道漂浮物清理", body="海陵区凤凰河段发现大量漂浮物", area_code=area, now=NOW, **kw)


def test_dispatch_writes_the_task_its_first_event_and_an_audit_record(rt, users):
    made = new_task(rt, users["duty_city"], origin_id="w-first")
    task = made.task
    assert made.created and task.state == "dispatched" and task.from_unit == "dept_chengyun"
    assert task.task_id.startswith("RW20261123-")
    assert task.accept_due > NOW and task.finish_due > task.accept_due
    timeline = queries.task_detail(rt.db, users["duty_city"], task.task_id, NOW)["timeline"]
    assert [e["action"] for e in timeline] == ["dispatch"]
    audit = [r for r in core_store.audit_records(rt.db, 5) if r[5] == f"task:{task.task_id}"]
    assert audit and audit[0][4] == "task.dispatch" and audit[0][2] == "duty_city"
    assert queries.task_for_origin(rt.db, "warning", "w-first") == task.task_id


def test_the_same_warning_dispatched_twice_at_once_yields_one_task(rt, users):
    barrier = threading.Barrier(8)
    results, errors = [], []

    def click(user):
        barrier.wait()
        try:
            results.append(new_task(rt, user, origin_id="w-race"))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    officers = [users["duty_city"], users["operator_city"], users["duty_hailing"], users["operator_hailing"]] * 2
    threads = [threading.Thread(target=click, args=(u,)) for u in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({r.task.task_id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    rows = rt.db.rows("select count(*) from tasks where origin = 'warning' and origin_id = 'w-race'")
    assert rows[0][0] == 1
    events = rt.db.rows("select count(*) from task_events where task_id = ?", [results[0].task.task_id])
    assert events[0][0] == 1


def test_manual_tasks_are_never_merged(rt, users):
    a = dispatch(rt.db, rt.config, users["duty_city"], origin="manual", origin_id=None, to_unit="dept_chengguan",
                 title="巡查", body="", area_code="321202", now=NOW)
    b = dispatch(rt.db, rt.config, users["duty_city"], origin="manual", origin_id=None, to_unit="dept_chengguan",
                 title="巡查", body="", area_code="321202", now=NOW)
    assert a.task.task_id != b.task.task_id and a.created and b.created


def test_a_district_operator_cannot_dispatch_outside_their_area(rt, users):
    with pytest.raises(Forbidden):
        new_task(rt, users["operator_hailing"], area="321204")
    with pytest.raises(Forbidden):
        new_task(rt, users["duty_hailing"], area="321204001")
    assert new_task(rt, users["operator_hailing"], area="321202001").created
    denied = [r for r in core_store.audit_records(rt.db, 20) if r[4] == "task.dispatch" and r[7] == "denied"]
    assert any(r[2] == "operator_hailing" for r in denied)


@pytest.mark.parametrize("user_id", ["handler_chengguan", "admin1", "auditor1"])
def test_only_desk_roles_and_leaders_dispatch(rt, users, user_id):
    with pytest.raises(Forbidden):
        new_task(rt, users[user_id])


def test_a_leader_instruction_goes_out_in_the_name_of_the_city_center(rt, users):
    made = new_task(rt, users["leader_mayor"], origin="instruction", to_unit="dept_shengtai", area="321200")
    assert made.task.from_unit == "dept_chengyun" and made.task.created_by == "leader_mayor"
    # the leader who issued it may close it after verification, and may urge it
    detail = queries.task_detail(rt.db, users["leader_mayor"], made.task.task_id, NOW)
    assert "urge" in detail["actions"] and "reassign" in detail["actions"]


def test_bad_dispatch_requests_are_refused_with_a_reason(rt, users):
    officer = users["duty_city"]
    with pytest.raises(TaskError, match="Unknown unit"):
        new_task(rt, officer, to_unit="dept_nope")
    with pytest.raises(TaskError, match="Unknown priority"):
        new_task(rt, officer, priority="whenever")
    with pytest.raises(TaskError, match="title"):
        dispatch(rt.db, rt.config, officer, origin="manual", origin_id=None, to_unit="dept_chengguan", title=" ",
                 body="", area_code="321202", now=NOW)
    with pytest.raises(TaskError, match="deadlines"):
        new_task(rt, officer, finish_due=NOW - timedelta(hours=1))
    with pytest.raises(TaskError, match="origin"):
        new_task(rt, officer, origin="rumour")


def test_routing_picks_the_most_specific_rule(rt):
    assert routing.route(rt.config, "生态环保", "321202001") == "dept_shengtai"
    assert routing.route(rt.config, "基层治理", "321203001") == "dept_chengguan"
    assert routing.route(rt.config, "基层治理", "321202001") == "center_321202"
    assert routing.route(rt.config, "没有的领域", "321202") is None
    form = routing.draft(rt.config, "交通出行", "321202", NOW)
    assert (form.to_unit, form.priority) == ("dept_jiaotong", "normal") and form.finish_due > form.accept_due
    assert routing.draft(rt.config, "交通出行", "321202", NOW, plan_unit="dept_yingji").to_unit == "dept_yingji"


def test_redispatch_to_streets_rolls_progress_up_to_the_parent(rt, users):
    operator = users["operator_hailing"]
    parent = new_task(rt, users["duty_city"], to_unit="center_321202", area="321202").task
    act(rt.db, rt.config, operator, parent.task_id, Action("accept"), NOW)
    streets = ["321202001", "321202002"]
    kids = [dispatch(rt.db, rt.config, operator, origin="subtask", origin_id=None, to_unit=f"center_{s}",
                     title=f"子任务 {s}", body="", area_code="321202", now=NOW, parent_task_id=parent.task_id).task
            for s in streets]
    assert all(k.area_code in streets and k.finish_due <= parent.finish_due for k in kids)
    # the same street twice is the same sub-task
    again = dispatch(rt.db, rt.config, operator, origin="subtask", origin_id=None, to_unit="center_321202001",
                     title="重复", body="", area_code="321202", now=NOW, parent_task_id=parent.task_id)
    assert not again.created
    street = users["street_op"]
    act(rt.db, rt.config, street, kids[0].task_id, Action("accept"), NOW)
    act(rt.db, rt.config, street, kids[0].task_id, Action("report", progress=60), NOW)
    detail = queries.task_detail(rt.db, operator, parent.task_id, NOW)
    assert detail["task"]["progress"] == 30 == detail["rolled_up_progress"]
    # the parent's own report cannot override the roll-up
    act(rt.db, rt.config, operator, parent.task_id, Action("report", progress=90), NOW)
    assert queries.task_detail(rt.db, operator, parent.task_id, NOW)["task"]["progress"] == 30
    # the parent cannot be submitted while a sub-task is open
    with pytest.raises(TaskError):
        act(rt.db, rt.config, operator, parent.task_id, Action("submit", note="完成"), NOW)


def test_redispatch_is_only_for_the_assigned_center_and_its_streets(rt, users):
    parent = new_task(rt, users["duty_city"], to_unit="center_321202", area="321202").task
    act(rt.db, rt.config, users["operator_hailing"], parent.task_id, Action("accept"), NOW)

    def sub(user, unit):
        return dispatch(rt.db, rt.config, user, origin="subtask", origin_id=None, to_unit=unit, title="子任务",
                        body="", area_code="321202", now=NOW, parent_task_id=parent.task_id)

    with pytest.raises(Forbidden):  # another district's center
        sub(users["operator_jiangyan"], f"center_{STREET}")
    with pytest.raises(Forbidden):  # a street outside the district
        sub(users["operator_hailing"], "center_321204001")
    with pytest.raises(Forbidden):  # a department is not a street center
        sub(users["operator_hailing"], "dept_chengguan")
    with pytest.raises(Forbidden):  # the dispatcher is not the assignee
        sub(users["duty_city"], f"center_{STREET}")


def test_each_leader_instruction_is_its_own_task_but_a_double_submit_is_one(rt, users):
    leader = users["leader_mayor"]

    def instruct(request_id):
        return dispatch(rt.db, rt.config, leader, origin="instruction", origin_id="indicator:hotline.ontime_rate",
                        to_unit="dept_zhengwu", title="请分析按时办结率下降原因", body="", area_code="321200",
                        now=NOW, request_id=request_id)

    first, second = instruct("form-1"), instruct("form-2")
    assert first.created and second.created and first.task.task_id != second.task.task_id
    again = instruct("form-1")
    assert not again.created and again.task.task_id == first.task.task_id


def test_the_assignee_is_told_about_new_and_urged_tasks(rt, users):
    start = rt.db.rows("select coalesce(max(event_id), 0) from task_events")[0][0]
    task = new_task(rt, users["duty_city"], to_unit="dept_shengtai", area="321202").task
    act(rt.db, rt.config, users["handler_shengtai"], task.task_id, Action("accept"), NOW)
    act(rt.db, rt.config, users["duty_city"], task.task_id, Action("urge", note="请今天内反馈"), NOW)
    notices = [n for n in queries.notifications_after(rt.db, start) if n["task_id"] == task.task_id]
    assert [(n["action"], n["to_unit"]) for n in notices] == [("dispatch", "dept_shengtai"), ("urge", "dept_shengtai")]
    assert notices[1]["note"] == "请今天内反馈"
    assert {(n["area_code"], n["domain"]) for n in notices} == {("321202", task.domain)}  # routes match on these
    assert queries.notifications_after(rt.db, notices[-1]["event_id"]) == []
