"""Hypothesis drives random users through random actions on a task and its sub-tasks, through the real service and
database, and checks: nobody makes a transition their role and relation do not allow; closed is final; a parent's
progress is always the roll-up of its sub-tasks."""

from __future__ import annotations

import uuid
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from cockpit.core.scope import scope_prefix
from cockpit.tasks import store
from cockpit.tasks.dispatch import dispatch
from cockpit.tasks.errors import Forbidden, TaskError
from cockpit.tasks.model import Action
from cockpit.tasks.service import act
from cockpit.tasks.transitions import TRANSITIONS
from tests.tasks.conftest import MONDAY_9AM
from tests.tasks.test_transitions import EXPECTED

PLAYERS = ["duty_city", "operator_hailing", "duty_hailing", "street_op", "street_duty2", "handler_chengguan",
           "handler_shengtai", "leader_mayor", "operator_jiangyan", "admin1"]
ACTIONS = [a for a in EXPECTED if a != "card"]
STREETS = ["321202001", "321202002", "321202003"]
MADE: list[set[str]] = []  # the actions that succeeded, per run, to check the walk went deep


def relations(user, task) -> set[str]:
    """The relations of DESIGN.md, computed here independently of cockpit.tasks.transitions."""
    out = set()
    if user.unit_id and user.unit_id == task.to_unit:
        out.add("assignee")
    if (user.unit_id and user.unit_id == task.from_unit) or user.user_id == task.created_by:
        out.add("dispatcher")
    if task.area_code.startswith(scope_prefix(user.area_code)):
        out.add("area")
    unit = user.unit_id or ""
    if unit.startswith("center_") and len(unit) == 16 and task.area_code.startswith(unit[7:]):
        out.add("field")
    return out


class TaskMachine(RuleBasedStateMachine):
    def __init__(self, rt, users):
        super().__init__()
        self.rt, self.users = rt, users
        self.now = MONDAY_9AM
        self.parent = dispatch(rt.db, rt.config, users["duty_city"], origin="warning", origin_id=uuid.uuid4().hex,
                               to_unit="center_321202", title="积水点排查", body="", area_code="321202",
                               now=self.now).task.task_id
        act(rt.db, rt.config, users["operator_hailing"], self.parent, Action("accept"), self.now)
        self.ids = [self.parent]
        self.closed: set[str] = set()
        self.made: set[str] = set()
        MADE.append(self.made)

    def load(self, task_id):
        return store.load_task(self.rt.db.cursor(), task_id)

    @rule(street=st.sampled_from(STREETS))
    def redispatch(self, street):
        self.now += timedelta(minutes=7)
        try:
            made = dispatch(self.rt.db, self.rt.config, self.users["operator_hailing"], origin="subtask",
                            origin_id=None, to_unit=f"center_{street}", title=f"排查 {street}", body="",
                            area_code="321202", now=self.now, parent_task_id=self.parent)
        except (Forbidden, TaskError):
            assert self.load(self.parent).state not in ("accepted", "in_progress") or \
                self.load(self.parent).to_unit != "center_321202"
            return
        if made.task.task_id not in self.ids:
            self.ids.append(made.task.task_id)

    @rule(who=st.sampled_from(PLAYERS), which=st.integers(0, 60), pick=st.integers(0, 10),
          progress=st.integers(0, 100), solved=st.booleans(), satisfied=st.booleans())
    def anyone(self, who, which, pick, progress, solved, satisfied):
        """Anybody tries an action the task's state admits: mostly refusals, which is the point."""
        task_id = self.ids[pick % len(self.ids)]
        candidates = [a for a in ACTIONS if self.load(task_id).state in TRANSITIONS[a].sources] or ACTIONS
        self.attempt(self.users[who], candidates[which % len(candidates)], task_id, progress, solved, satisfied)

    @rule(which=st.integers(0, 60), pick=st.integers(0, 10), choice=st.integers(0, 10),
          progress=st.integers(0, 100), solved=st.booleans(), satisfied=st.booleans())
    def someone_entitled(self, which, pick, choice, progress, solved, satisfied):
        """Someone whose role and relation fit tries an action the state admits (its guard may still refuse)."""
        task_id = self.ids[pick % len(self.ids)]
        task = self.load(task_id)
        # actions that move the work forward are drawn more often than those that reset or merely remind
        candidates = [a for a in ACTIONS if task.state in TRANSITIONS[a].sources
                      for _ in range(1 if a in ("reassign", "cancel", "urge", "decline") else 4)]
        if not candidates:
            return
        action = candidates[which % len(candidates)]
        _source, _target, roles, allowed_relations, _fields, _values = EXPECTED[action]
        fit = [u for u in PLAYERS if self.users[u].role in roles and relations(self.users[u], task) & allowed_relations]
        if fit:
            self.attempt(self.users[fit[choice % len(fit)]], action, task_id, progress, solved, satisfied)

    def attempt(self, user, action, task_id, progress, solved, satisfied):
        self.now += timedelta(minutes=13)
        before = self.load(task_id)
        who = user.user_id
        _source, _target, roles, allowed_relations, _fields, _values = EXPECTED[action]
        permitted = user.role in roles and bool(relations(user, before) & allowed_relations)
        values = Action(action, note="说明", progress=progress, until=before.finish_due + timedelta(days=2),
                        to_unit="dept_chengguan" if before.to_unit != "dept_chengguan" else "dept_shengtai",
                        solved=solved, satisfied=satisfied)
        try:
            after = act(self.rt.db, self.rt.config, user, task_id, values, self.now)
        except Forbidden:
            assert not permitted, f"{who} ({user.role}) refused {action} on {before.state} {task_id}"
            assert self.load(task_id) == before
            return
        except TaskError:
            assert self.load(task_id) == before
            return
        assert permitted, f"{who} ({user.role}) made {action} on {task_id} without the right"
        if before.state == "closed":
            assert after.state == "closed"
        self.made.add(action)

    @invariant()
    def closed_is_final(self):
        for task_id in self.ids:
            state = self.load(task_id).state
            if task_id in self.closed:
                assert state == "closed"
            if state == "closed":
                self.closed.add(task_id)

    @invariant()
    def parent_progress_is_the_roll_up(self):
        children = [c for c in store.child_tasks(self.rt.db.cursor(), self.parent) if c.state != "cancelled"]
        if children:
            expected = sum(c.progress for c in children) // len(children)
            assert self.load(self.parent).progress == expected


def test_random_walks_respect_the_rules(rt, users):
    run_state_machine_as_test(
        lambda: TaskMachine(rt, users),
        settings=settings(max_examples=10, stateful_step_count=60, deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck)),
    )
    reached = set().union(*MADE)
    assert {"accept", "report", "submit", "verify", "close", "return"} <= reached, reached
