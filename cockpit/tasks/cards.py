"""The SLA clock's round: give yellow and red cards to tasks whose deadlines near or pass, as timeline events."""

from __future__ import annotations

import logging
from datetime import datetime

from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.tasks import service, store
from cockpit.tasks.errors import TaskError
from cockpit.tasks.model import SYSTEM, Action
from cockpit.tasks.sla import SlaPolicy, card_to_issue

log = logging.getLogger(__name__)

CLOCKED_STATES = ["dispatched", "accepted", "in_progress"]


def issue_cards(db: Database, config: Config, now: datetime) -> list[tuple[str, str]]:
    """Record every card due at `now`; returns (task id, card level) for each card issued."""
    policy = SlaPolicy.from_config(config)
    issued = []
    for task in store.tasks_in_states(db, CLOCKED_STATES):
        card = card_to_issue(task, policy, now)
        if card is None:
            continue
        try:
            service.act(db, config, SYSTEM, task.task_id, Action("card", card=card.level, card_phase=card.phase), now)
        except TaskError as exc:  # the task moved on between the read and the write
            log.info("task %s: no card (%s)", task.task_id, exc.msgid)
            continue
        log.warning("task %s: %s card (%s deadline %s)", task.task_id, card.level, card.phase, card.due)
        issued.append((task.task_id, card.level))
    return issued
