"""Planning: new events → notices → routes → grouped notifications (or suppressed ones) and repeats.

Runs in one transaction per batch of events together with the feed's read position, so that a restart neither
sends twice nor drops an event. Sending is done afterwards by `delivery`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from alerts.notify import store
from alerts.notify.feeds import Feed
from alerts.notify.notices import LEVEL_RANK, Notice, notice_from_dict, reason_name
from alerts.notify.routing import Route, routes_for
from cockpit.core.config import Config
from cockpit.core.db import Cursor, Database
from cockpit.core.i18n import N_, gettext, use_locale
from cockpit.core.scope import contains

OPENING = ("first", "level_changed", "escalated")
BATCH = 100


@dataclass
class PlanReport:
    """What one planning pass did."""

    events: int = 0
    queued: int = 0
    suppressed: int = 0
    repeats: int = 0


@dataclass
class _Group:
    route: Route
    receiver: str
    notices: list[Notice] = field(default_factory=list)


def plan(db: Database, config: Config, feeds: list[Feed], now: datetime) -> PlanReport:
    """Read every feed after its position, queue notifications for new events, then queue due repeats."""
    report = PlanReport()
    for feed in feeds:
        after = store.cursor(db, feed.name)
        while events := feed.fetch(db, after):
            for start in range(0, len(events), BATCH):  # short transactions: the lifecycle shares the writer
                chunk = events[start:start + BATCH]
                notices = [n for n in (feed.to_notice(e) for e in chunk) if n is not None]
                with db.transaction() as cur:
                    batch = _Batch(store.open_rows(cur, {n.key for n in notices if n.kind == "warning"}))
                    for notice in notices:
                        _route(config, notice, now, batch, report)
                    report.queued += _write(cur, config, batch, now)
                    after = int(chunk[-1]["event_id"])
                    store.set_cursor(cur, feed.name, after, now)
            report.events += len(events)
    report.repeats = _repeats(db, config, now)
    report.queued += report.repeats
    return report


@dataclass
class _Batch:
    """What one transaction will write, decided in memory first (a few statements instead of several per event)."""

    opened: dict[tuple[str, str], dict]
    upserts: dict[tuple[str, str], tuple[dict, str | None, bool]] = field(default_factory=dict)
    closes: set[str] = field(default_factory=set)
    acks: dict[str, datetime] = field(default_factory=dict)
    singles: list[dict] = field(default_factory=list)
    groups: dict[str, _Group] = field(default_factory=dict)


def _route(config: Config, notice: Notice, now: datetime, batch: _Batch, report: PlanReport) -> None:
    cfg = config.notifications
    if notice.kind == "warning" and notice.reason == "acknowledged":
        batch.acks[notice.key] = notice.at
        return
    seen: set[str] = set()
    for route in routes_for(cfg.route, notice.labels):
        for receiver in route.receivers:
            if receiver in seen:
                continue
            seen.add(receiver)
            if notice.kind == "warning" and not _worth_telling(batch.opened.get((receiver, notice.key)), notice):
                continue
            quiet = route.quiet_at(now, config.city.timezone) and not notice.urgent
            if notice.kind == "warning" and notice.reason in OPENING:
                batch.opened[(receiver, notice.key)] = {"level": notice.level}
                batch.upserts[(receiver, notice.key)] = (notice.as_dict(), notice.level, not quiet)
            if quiet or not cfg.enabled:
                batch.singles.append(_row(config, receiver, route, [notice], now, "suppressed",
                                          "quiet hours" if quiet else "notifications disabled"))
                report.suppressed += 1
                continue
            key = _group_key(receiver, route, notice)
            batch.groups.setdefault(key, _Group(route, receiver)).notices.append(notice)
    if notice.kind == "warning" and notice.reason == "resolved":
        batch.closes.add(notice.key)
        batch.acks.pop(notice.key, None)
        for pair in [p for p in batch.opened if p[1] == notice.key]:
            batch.opened.pop(pair)
            batch.upserts.pop(pair, None)


def _worth_telling(prior: dict | None, notice: Notice) -> bool:
    if notice.reason == "resolved":
        return prior is not None  # only those who heard it fire hear it resolve
    # the same warning firing again at the same level is not news
    return not (notice.reason == "first" and prior is not None and prior["level"] == notice.level)


def _write(cur: Cursor, config: Config, batch: _Batch, now: datetime) -> int:
    store.write_open_state(cur, batch.closes, batch.upserts, batch.acks, now)
    store.insert_notifications(cur, batch.singles + _flush(cur, config, batch.groups, now))
    return sum(len(g.notices) for g in batch.groups.values())


def _group_key(receiver: str, route: Route, notice: Notice) -> str:
    parts = [f"{name}={notice.labels.get(name, notice.key if name == 'key' else '')}" for name in route.group_by]
    return "|".join([receiver, route.path, *parts])


def _flush(cur: Cursor, config: Config, groups: dict[str, _Group], now: datetime) -> list[dict]:
    """Extend the groups still collecting members; return the rows of the new groups."""
    collecting = store.collecting_groups(cur, list(groups))
    rows = []
    for key, group in groups.items():
        existing = collecting.get(key)
        if existing is None:
            rows.append(_row(config, group.receiver, group.route, group.notices, now, "pending", None, key))
            continue
        items = existing["items"] + [n.as_dict() for n in group.notices]
        store.extend_group(cur, existing["notification_id"], _reasons(items), items, _summary(config, items),
                           _common_area(config, [i["labels"].get("area", "") for i in items]), _top_level(items))
    return rows


def _row(config: Config, receiver: str, route: Route, notices: list[Notice], now: datetime, status: str,
         result: str | None, group_key: str | None = None) -> dict:
    items = [n.as_dict() for n in notices]
    first = notices[0]
    rcv = config.notifications.receivers.get(receiver)
    wait = timedelta(seconds=route.group_wait) if status == "pending" else timedelta(0)
    return {
        "created_at": now, "kind": first.kind, "reason": _reasons(items), "receiver": receiver,
        "channel": rcv.channel if rcv else "?", "group_key": group_key or _group_key(receiver, route, first),
        "area_code": _common_area(config, [n.labels.get("area", "") for n in notices]),
        "domain": first.labels.get("domain") or None, "level": _top_level(items),
        "unit_id": first.labels.get("unit") or None, "title": first.title, "summary": _summary(config, items),
        "items": json.dumps(items, ensure_ascii=False, default=str), "item_count": len(items), "status": status,
        "due_at": now + wait, "attempts": 0, "result": result}


def _repeats(db: Database, config: Config, now: datetime) -> int:
    due = []
    for row in store.open_warnings(db):
        notice = notice_from_dict(row["notice"])
        route = next((r for r in routes_for(config.notifications.route, notice.labels)
                      if row["receiver"] in r.receivers), None)
        if route is None or route.repeat_interval <= 0:
            continue
        last = row["last_notified_at"]
        if last is not None and last + timedelta(seconds=route.repeat_interval) > now:
            continue
        if route.quiet_at(now, config.city.timezone) and not notice.urgent:
            continue
        reason = "repeat" if last is not None else "first"  # held back by quiet hours until now
        with use_locale(config.i18n.default_locale):
            title = notice.title if reason == "first" else gettext(N_("{what}: {title}"),
                                                                   what=gettext(N_("Repeated notice")),
                                                                   title=notice.title)
        due.append((row["receiver"], route, Notice(notice.kind, notice.key, notice.event_id, reason, now,
                                                   notice.labels, title, notice.text, notice.link, notice.extra)))
    if due:
        with db.transaction() as cur:  # one commit for every repeat of this pass
            groups: dict[str, _Group] = {}
            for receiver, route, again in due:
                groups.setdefault(_group_key(receiver, route, again), _Group(route, receiver)).notices.append(again)
                store.touch_open(cur, receiver, again.key, now)
            store.insert_notifications(cur, _flush(cur, config, groups, now))
    return len(due)


def _reasons(items: list[dict]) -> str:
    return ",".join(dict.fromkeys(i["reason"] for i in items))


def _summary(config: Config, items: list[dict]) -> str:
    with use_locale(config.i18n.default_locale):
        head = items[0]["title"] if len(items) == 1 else gettext(
            N_("{count} notices: {title} …"), count=len(items), title=items[0]["title"])
        return f"{head} ({reason_name(_reasons(items))})"[:500]


def _top_level(items: list[dict]) -> str | None:
    levels = [i["labels"].get("level") for i in items if i["labels"].get("level")]
    return max(levels, key=lambda lv: LEVEL_RANK.get(lv, 0)) if levels else None


def _common_area(config: Config, codes: list[str]) -> str:
    """The smallest configured area holding every code (the city when they share no district)."""
    codes = [c for c in codes if c]
    ancestor = codes[0] if codes else config.city.code
    while not all(contains(ancestor, code) for code in codes):
        area = config.area(ancestor)
        if area is None or area.parent is None:
            return config.city.code
        ancestor = area.parent
    return ancestor
