"""Emergency plans (预案): a firing warning that meets a plan's trigger proposes the plan with its
pre-filled tasks (unit, text, deadline); a person starts it (启动), raises it (升级) and ends it (解除),
each recorded with who and when. Dispatching a proposal is the task room's job (origin "plan"): the
page calls `cockpit.tasks.dispatch` and records the task here with `record_dispatch`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alerts import store
from alerts.errors import AlertError, Forbidden, NotFound
from alerts.model import RANK, Event, Instance
from cockpit.core import store as core_store
from cockpit.core.audit import Actor, audit
from cockpit.core.clock import FixedClock
from cockpit.core.config import Config
from cockpit.core.config.alerts import PlanConfig
from cockpit.core.config.indicators import parse_duration
from cockpit.core.db import Cursor, Database
from cockpit.core.i18n import N_
from cockpit.core.scope import contains

KINDS = {"propose": N_("Proposed"), "start": N_("Started"), "escalate": N_("Raised"), "end": N_("Ended")}
PLAN_ROLES = frozenset({"duty_officer", "center_operator"})


@dataclass(frozen=True)
class Proposal:
    """One pre-filled task of an activation; `task_id` once dispatched."""

    activation_id: str
    seq: int
    unit_id: str
    title: str
    body: str
    priority: str | None
    finish_due: datetime
    task_id: str | None
    dispatched_by: str | None
    dispatched_at: datetime | None


def triggered(config: Config, inst: Instance) -> list[str]:
    """Ids of the plans whose trigger this warning meets (indicator, level at or above, area)."""
    if inst.kind != "level" or inst.level is None:
        return []
    out = []
    for pid, plan in config.plans.items():
        for t in plan.triggers:
            if t.indicator == inst.indicator_id and RANK[inst.level] >= RANK[t.level] and (
                    not t.areas or any(contains(a, inst.area_code) for a in t.areas)):
                out.append(pid)
                break
    return out


def resolve_unit(db: Database, unit: str, area_code: str) -> str:
    """A plan action's unit: `center` is the command center of the warning's district (or the city's)."""
    if unit != "center":
        return unit
    code = area_code
    while True:
        area = core_store.area(db, code)
        if area is None or area.level in ("district", "city") or area.parent_code is None:
            return f"center_{code}" if area is not None and area.level == "district" else "dept_chengyun"
        code = area.parent_code


def on_transitions(cur: Cursor, db: Database, config: Config, inst: Instance, events: list[Event],
                   now: datetime) -> None:
    """Propose triggered plans when a warning fires or rises; record 升级 on a raised activation."""
    if not any(e.kind in ("firing", "level_up") for e in events):
        return
    for pid in triggered(config, inst):
        plan = config.plans[pid]
        existing = store.activation_for(cur, pid, inst.warning_id)
        if existing is None:
            _propose(cur, db, pid, plan, inst, now)
        elif plan.escalate_on and RANK[inst.level] >= RANK[plan.escalate_on] and existing[2] == "active" \
                and (existing[1] is None or RANK[existing[1]] < RANK[inst.level]):
            store.plan_event(cur, existing[0], now, "escalate", "system", inst.level, None)
            store.set_activation(cur, existing[0], level=inst.level)


def _propose(cur: Cursor, db: Database, pid: str, plan: PlanConfig, inst: Instance, now: datetime) -> str:
    aid = f"YA{store.next_activation_number(cur):05d}"
    store.insert_activation(cur, aid, pid, inst.warning_id, inst.area_code, inst.level, "proposed", now)
    store.plan_event(cur, aid, now, "propose", "system", inst.level, None)
    for i, action in enumerate(plan.actions, start=1):
        store.insert_proposal(cur, aid, i, resolve_unit(db, action.unit, inst.area_code), action.text,
                              action.body, action.priority, now + parse_duration(action.deadline))
    return aid


def _activation(db: Database, user, activation_id: str) -> tuple:
    row = store.activation(db, activation_id)
    if row is None or not contains(user.area_code, row[3]):
        raise NotFound(N_("No such plan activation."))
    if user.role not in PLAN_ROLES:
        raise Forbidden(N_("You do not have permission for this."))
    return row


def act(db: Database, user, activation_id: str, kind: str, now: datetime, note: str | None = None) -> None:
    """A person starts (启动), raises (升级) or ends (解除) a plan activation in their scope."""
    row = _activation(db, user, activation_id)
    state = row[5]
    allowed = {"start": ("proposed",), "escalate": ("active",), "end": ("proposed", "active")}
    if kind not in allowed or state not in allowed[kind]:
        raise AlertError(N_("The plan cannot do this now."))
    with db.transaction() as cur:
        store.plan_event(cur, activation_id, now, kind, user.user_id, row[4], note)
        new_state = {"start": "active", "escalate": "active", "end": "ended"}[kind]
        store.set_activation(cur, activation_id, state=new_state, ended=(now, user.user_id) if kind == "end" else None)
        db.bump(cur, "alerts")
    audit(db, Actor(user.user_id), f"plan.{kind}", f"plan_activation:{activation_id}",
          {"plan": row[1], "warning": row[2], "note": note}, clock=FixedClock(now))


def proposals(db: Database, activation_id: str) -> list[Proposal]:
    """The pre-filled tasks of an activation, in plan order."""
    return [Proposal(*r) for r in store.proposals(db, activation_id)]


def record_dispatch(db: Database, user, activation_id: str, seq: int, task_id: str, now: datetime) -> None:
    """Remember the task dispatched for a proposal (starting the plan if it was only proposed)."""
    row = _activation(db, user, activation_id)
    with db.transaction() as cur:
        store.set_proposal_task(cur, activation_id, seq, task_id, user.user_id, now)
        if row[5] == "proposed":
            store.plan_event(cur, activation_id, now, "start", user.user_id, row[4], None)
            store.set_activation(cur, activation_id, state="active")
        db.bump(cur, "alerts")
