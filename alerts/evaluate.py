"""The evaluator: observe every rule × area, step its warning, escalate, and write every transition
in one transaction. Runs as a scheduled job after the indicator engine."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from alerts import escalation, levels, lifecycle, observe, plans, reasons, silences, store
from alerts.model import Event, Instance
from cockpit.core import store as core_store
from cockpit.core.config import Config
from cockpit.core.db import Database

log = logging.getLogger(__name__)


@dataclass
class Report:
    """What one evaluation did."""

    observed: int = 0
    transitions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    rules_in_error: list[str] = field(default_factory=list)


def evaluate(db: Database, config: Config, now: datetime, stale_feeds: Iterable[observe.StaleFeed] = ()) -> Report:
    """One pass over every indicator with levels (and every stale source) at `now`."""
    config = levels.effective_config(db, config)
    observed = _observe_all(db, config, now, list(stale_feeds))
    report = Report(observed=len(observed))
    area_levels = {a.code: a.level for a in core_store.areas(db)}
    with db.transaction() as cur:
        current = store.open_instances(db, cur)
        active_silences = store.silences(db, now, cur)
        by_rule: dict[str, list[observe.Observed]] = defaultdict(list)
        for o in observed:
            by_rule[o.rule_id].append(o)
        for rule_id, items in by_rule.items():
            _evaluate_rule(cur, db, config, rule_id, items, current, active_silences, area_levels, now, report)
        if any(report.transitions.values()):
            db.bump(cur, "alerts")
    if report.transitions:
        log.info("warnings evaluated: %s", dict(report.transitions))
    return report


def _observe_all(db: Database, config: Config, now: datetime, feeds: list[observe.StaleFeed]):
    out = []
    for iid, ind in config.indicators.items():
        if not ind.levels:
            continue
        raw = observe.without_for(ind)
        for area, points in observe.indicator_series(db, iid, ind, now).items():
            out.extend(observe.observe_indicator(config, iid, ind, area, points, now, raw))
    known = [i.source_id for i in store.open_instances(db).values() if i.kind == "source"]
    out.extend(observe.observe_sources(config, feeds, known))
    return out


def _evaluate_rule(cur, db, config, rule_id, items, current, active_silences, area_levels, now, report) -> None:
    """Step every area of one rule; a rule that would hold too many open warnings goes into error."""
    stepped = []
    for o in items:
        prev = current.get((o.rule_id, o.area_code)) or Instance(
            o.rule_id, o.area_code, o.kind, o.indicator_id, o.source_id, o.domain,
            tier=escalation.AREA_TIER.get(area_levels.get(o.area_code, "city"), "city"))
        nxt, events = lifecycle.step(prev, o.observation, o.timing, now)
        nxt, more = escalation.escalate(nxt, config.alerts.escalation, now)
        stepped.append((prev, nxt, events + more))
    limit = config.alerts.max_open_per_rule
    open_after = sum(1 for _, nxt, _ in stepped if nxt.open)
    state = store.rule_state(db, rule_id, cur)
    in_error = open_after > limit
    if in_error:
        report.rules_in_error.append(rule_id)
        if state is None or state[0] != "error":
            args = {"count": open_after, "limit": limit}
            store.set_rule_state(cur, rule_id, "error", reasons.RULE_ERROR, now, open_after)
            store.insert_event(cur, None, Event("rule_error", now, "ok", "error", None, None, reasons.RULE_ERROR,
                                                args), now, rule_id=rule_id, area_code=config.city.code)
            log.warning("rule %s in error: %d open warnings (limit %d)", rule_id, open_after, limit)
    elif state is not None and state[0] == "error":
        store.set_rule_state(cur, rule_id, "ok", "", now, open_after)
    for prev, nxt, events in stepped:
        if in_error and prev.warning_id is None:
            continue  # a runaway rule makes no new warnings; the ones already open keep their lifecycle
        if not events and (prev.warning_id is None or replace(nxt, last_eval_at=prev.last_eval_at) == prev):
            continue  # nothing a reader would see changed: no write (keeps a pass over every area cheap)
        ids = silences.covering(active_silences, nxt)
        saved = store.save(cur, nxt, events, now, silenced=bool(ids)) if (events or prev.warning_id) else nxt
        if events and ids:
            store.count_suppressed(cur, ids)
        for ev in events:
            report.transitions[ev.kind] += 1
        if events:
            plans.on_transitions(cur, db, config, saved, events, now)
