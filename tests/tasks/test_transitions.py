"""Who may make each task transition: every action × every role × every relation, against a table written here
independently of cockpit/tasks/transitions.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from cockpit.tasks.errors import Forbidden, TaskError
from cockpit.tasks.model import FINAL_STATES, STATES, Action, Actor, Task
from cockpit.tasks.transitions import TRANSITIONS, allowed_actions, may, step

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ROLES = ("leader", "center_operator", "duty_officer", "handler", "admin", "auditor", "system")
HANDLE = {"handler", "duty_officer", "center_operator"}
DISPATCH = {"duty_officer", "center_operator", "leader"}
DESK = {"duty_officer", "center_operator"}

# action: (a state it can start from, resulting state, roles, relations that suffice, extra task fields, action values)
EXPECTED = {
    "accept": ("dispatched", "accepted", HANDLE, {"assignee"}, {}, {}),
    "decline": ("dispatched", "declined", HANDLE, {"assignee"}, {}, {"note": "不属于本单位职责"}),
    "report": ("accepted", "in_progress", HANDLE, {"assignee"}, {}, {"progress": 50}),
    "submit": ("in_progress", "submitted", HANDLE, {"assignee"}, {}, {"note": "已处置"}),
    "return": ("submitted", "in_progress", DISPATCH, {"dispatcher"}, {}, {"note": "照片不清楚"}),
    "verify": ("submitted", "submitted", DESK, {"dispatcher", "field"}, {}, {"note": "现场核查属实"}),
    "close": ("submitted", "closed", DISPATCH, {"dispatcher"}, {"verified_at": NOW}, {}),
    "reassign": ("declined", "dispatched", DISPATCH, {"dispatcher"}, {}, {"note": "改派", "to_unit": "dept_x"}),
    "cancel": ("declined", "cancelled", DISPATCH, {"dispatcher"}, {}, {"note": "重复派单"}),
    "request_pause": ("in_progress", "in_progress", HANDLE, {"assignee"}, {}, {"note": "等待检测结果"}),
    "approve_pause": ("in_progress", "paused", DISPATCH, {"dispatcher"}, {"request_kind": "pause"}, {}),
    "resume": ("paused", "in_progress", HANDLE | DISPATCH, {"assignee", "dispatcher"}, {"paused_at": NOW}, {}),
    "request_extension": ("in_progress", "in_progress", HANDLE, {"assignee"}, {},
                          {"note": "工程量大", "until": NOW + timedelta(days=30)}),
    "approve_extension": ("in_progress", "in_progress", DISPATCH, {"dispatcher"},
                          {"request_kind": "extension", "request_until": NOW + timedelta(days=30)}, {}),
    "reject_request": ("in_progress", "in_progress", DISPATCH, {"dispatcher"}, {"request_kind": "pause"},
                       {"note": "理由不充分"}),
    "urge": ("in_progress", "in_progress", DISPATCH, {"dispatcher", "area"}, {}, {"note": "请加快办理"}),
    "follow_up": ("closed", "closed", DESK, {"dispatcher", "area"}, {"origin": "citizen"},
                  {"solved": True, "satisfied": False}),
    "card": ("in_progress", "in_progress", {"system"}, {"system"}, {}, {"card": "yellow", "card_phase": "finish"}),
}

# How an actor relates to the task below (to_unit dept_a, from_unit dept_d, created by u_d, area 321202001);
# each actor has exactly one relation (areas chosen outside the task's area except for `area` and `field`).
RELATION_ACTORS = {
    "assignee": ("dept_a", "321204"),
    "dispatcher": ("dept_d", "321204"),
    "area": ("dept_other", "321202"),
    "field": ("center_321202001", "321202001"),
    "none": ("dept_other", "321204"),
}


def task(**changes) -> Task:
    base = Task(
        task_id="T1", title="t", body="", origin="warning", origin_id="w1", from_unit="dept_d", to_unit="dept_a",
        area_code="321202001", domain=None, priority="normal", state="dispatched", progress=0, reported_progress=0,
        parent_task_id=None, created_by="u_d", created_at=NOW - timedelta(hours=1),
        accept_due=NOW + timedelta(hours=3), finish_due=NOW + timedelta(days=3), updated_at=NOW,
    )
    return replace(base, **changes)


def actor(role: str, relation: str) -> Actor:
    unit, area = RELATION_ACTORS[relation]
    if role == "system":
        return Actor(None, "system", None, "")
    return Actor(f"u_{relation}", role, unit, area)


def test_the_table_covers_every_action():
    assert set(EXPECTED) == set(TRANSITIONS)


CASES = [(a, r, rel) for a in EXPECTED for r in ROLES for rel in RELATION_ACTORS]


@pytest.mark.parametrize(("action", "role", "relation"), CASES)
def test_who_may_make_each_transition(action, role, relation):
    source, target, roles, relations, fields, values = EXPECTED[action]
    t = task(state=source, **fields)
    who = actor(role, relation)
    has_relation = "system" in relations if role == "system" else relation in relations
    # the field relation also holds the area relation (a street center inside the task's area)
    if role != "system" and relation == "field" and "area" in relations:
        has_relation = True
    allowed = role in roles and has_relation
    if allowed:
        new, event = step(t, Action(action, **values), who, NOW)
        assert (new.state, event.to_state, event.from_state, event.action) == (target, target, source, action)
        assert may(t, action, who)
    else:
        with pytest.raises(Forbidden):
            step(t, Action(action, **values), who, NOW)
        assert not may(t, action, who)


@pytest.mark.parametrize("action", list(EXPECTED))
def test_no_action_from_a_state_it_does_not_leave(action):
    _source, _target, roles, relations, fields, values = EXPECTED[action]
    role = "system" if "system" in roles else sorted(roles)[0]
    relation = "assignee" if "assignee" in relations else ("dispatcher" if "dispatcher" in relations else "area")
    for state in STATES:
        if state in TRANSITIONS[action].sources:
            continue
        with pytest.raises(TaskError):
            step(task(state=state, **fields), Action(action, **values), actor(role, relation), NOW)


def test_closed_and_cancelled_are_final():
    for t in TRANSITIONS.values():
        for final in FINAL_STATES:
            if final in t.sources:
                assert t.target is None, f"{t.action} leaves {final}"


def test_close_needs_verification_with_evidence_first():
    dispatcher = actor("duty_officer", "dispatcher")
    submitted = task(state="submitted")
    with pytest.raises(TaskError):
        step(submitted, Action("close"), dispatcher, NOW)
    with pytest.raises(TaskError):  # verification needs a note (the evidence)
        step(submitted, Action("verify"), dispatcher, NOW)
    verified, _ = step(submitted, Action("verify", note="照片与现场一致"), dispatcher, NOW)
    closed, event = step(verified, Action("close"), dispatcher, NOW)
    assert closed.state == "closed" and closed.progress == 100 and event.detail == {"on_time": True}


def test_return_clears_verification_and_keeps_reported_progress():
    t = task(state="submitted", reported_progress=60, progress=100, verified_at=NOW, submitted_at=NOW)
    back, _ = step(t, Action("return", note="补充照片"), actor("duty_officer", "dispatcher"), NOW)
    assert back.state == "in_progress" and back.progress == 60 and back.verified_at is None


def test_pause_stops_the_clock_only_once_approved():
    handler, dispatcher = actor("handler", "assignee"), actor("duty_officer", "dispatcher")
    t = task(state="in_progress")
    asked, _ = step(t, Action("request_pause", note="等待第三方检测"), handler, NOW)
    assert asked.state == "in_progress" and asked.paused_at is None and asked.request_kind == "pause"
    with pytest.raises(TaskError):  # one request at a time
        step(asked, Action("request_extension", note="x", until=NOW + timedelta(days=9)), handler, NOW)
    paused, _ = step(asked, Action("approve_pause"), dispatcher, NOW + timedelta(hours=1))
    assert paused.state == "paused" and paused.paused_at == NOW + timedelta(hours=1)
    resumed, _ = step(paused, Action("resume"), handler, NOW + timedelta(hours=5))
    assert resumed.finish_due == t.finish_due + timedelta(hours=4)  # natural time without an SLA shifter


def test_extension_moves_the_deadline_only_when_approved():
    handler, dispatcher = actor("handler", "assignee"), actor("duty_officer", "dispatcher")
    t = task(state="in_progress")
    with pytest.raises(TaskError):
        step(t, Action("request_extension", note="x", until=t.finish_due - timedelta(hours=1)), handler, NOW)
    asked, _ = step(t, Action("request_extension", note="工程量大", until=NOW + timedelta(days=10)), handler, NOW)
    assert asked.finish_due == t.finish_due
    refused, _ = step(asked, Action("reject_request", note="不同意"), dispatcher, NOW)
    assert refused.finish_due == t.finish_due and refused.request_kind is None
    asked, _ = step(refused, Action("request_extension", note="再申请", until=NOW + timedelta(days=10)), handler, NOW)
    granted, event = step(asked, Action("approve_extension"), dispatcher, NOW)
    assert granted.finish_due == NOW + timedelta(days=10) and event.detail["to"] == granted.finish_due.isoformat()


def test_follow_up_only_for_citizen_requests_and_only_once():
    desk = actor("duty_officer", "dispatcher")
    closed = task(state="closed", closed_at=NOW)
    with pytest.raises(TaskError):
        step(closed, Action("follow_up", solved=True, satisfied=True), desk, NOW)
    citizen = replace(closed, origin="citizen")
    with pytest.raises(TaskError):  # both answers are needed
        step(citizen, Action("follow_up", solved=True), desk, NOW)
    done, _ = step(citizen, Action("follow_up", solved=False, satisfied=True), desk, NOW)
    assert (done.state, done.solved, done.satisfied) == ("closed", False, True)
    with pytest.raises(TaskError):
        step(done, Action("follow_up", solved=True, satisfied=True), desk, NOW)


def test_report_checks_the_percentage():
    handler = actor("handler", "assignee")
    for bad in (None, -1, 101):
        with pytest.raises(TaskError):
            step(task(state="in_progress"), Action("report", progress=bad), handler, NOW)


def test_allowed_actions_for_the_detail_page():
    t = task(state="dispatched")
    assert allowed_actions(t, actor("handler", "assignee")) == ["accept", "decline"]
    assert allowed_actions(t, actor("duty_officer", "dispatcher")) == ["reassign", "cancel", "urge"]
    assert allowed_actions(t, actor("leader", "area")) == ["urge"]
    assert allowed_actions(t, actor("handler", "none")) == []
    assert allowed_actions(t, actor("admin", "dispatcher")) == []
