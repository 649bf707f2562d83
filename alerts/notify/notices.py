"""Notices: one thing worth telling someone, built from a warning transition or a task event.

A notice carries labels for routing (kind, key, rule, indicator, area, domain, level, unit, priority), why it is
sent (its reason) and its text, rendered in the deployment's default language when the event is read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from cockpit.core.config import Config
from cockpit.core.i18n import N_, gettext, use_locale

LEVEL_NAMES = {"blue": N_("Blue"), "yellow": N_("Yellow"), "orange": N_("Orange"), "red": N_("Red")}
LEVEL_RANK = {"blue": 1, "yellow": 2, "orange": 3, "red": 4}

REASONS = {
    "first": N_("First notice"), "level_changed": N_("Level changed"), "repeat": N_("Repeated notice"),
    "resolved": N_("Resolved"), "escalated": N_("Escalated"),
    "task.dispatch": N_("New task"), "task.reassign": N_("Task reassigned"), "task.return": N_("Task returned"),
    "task.urge": N_("Task urged"), "task.card": N_("Task carded"),
    "task.approve_extension": N_("Extension approved"), "task.reject_request": N_("Request rejected"),
}

_WARNING_TITLES = {
    "first": N_("[{level}] {indicator} · {area}"),
    "level_changed": N_("[{level}] {indicator} · {area} (was {prev})"),
    "resolved": N_("[Resolved] {indicator} · {area}"),
    "escalated": N_("[{level}] Escalated to {tier}: {indicator} · {area}"),
}


@dataclass(frozen=True)
class Notice:
    """One event to tell: routed by `labels`, explained by `reason`, shown as `title` and `text`."""

    kind: str
    key: str
    event_id: int
    reason: str
    at: datetime
    labels: dict[str, str]
    title: str
    text: str
    link: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def level(self) -> str | None:
        """The warning level (None for task events)."""
        return self.labels.get("level") or None

    @property
    def urgent(self) -> bool:
        """Whether quiet hours must let it through: a red warning or an urgent task."""
        return self.labels.get("level") == "red" or self.labels.get("priority") == "urgent"

    def as_dict(self) -> dict:
        """A JSON-ready form (stored with the notification and sent to webhooks)."""
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return data


def warning_reason(event: dict) -> str | None:
    """Why a `warning_events` row is worth a notice: first, level_changed, escalated, resolved; None when not.

    `acknowledged` is returned too: it is not announced but ends the repeats of that warning.
    """
    kind = event.get("kind") or ""
    by_kind = {"firing": "first", "level_up": "level_changed", "level_down": "level_changed",
               "escalated": "escalated", "acknowledged": "acknowledged"}
    if kind in by_kind:
        return by_kind[kind]
    if kind == "resolved" and event.get("from_state") in ("firing", "acknowledged"):
        return "resolved"
    return None


def warning_notice(event: dict, config: Config, reason: str, at: datetime | None = None) -> Notice:
    """The notice of one `warning_events` row (see alerts/notify/README.md for the columns used)."""
    area = event.get("area_code") or config.city.code
    indicator = event.get("indicator_id") or ""
    labels = {"kind": "warning", "key": str(event.get("warning_id") or event.get("rule_id")),
              "rule": str(event.get("rule_id") or ""), "indicator": indicator, "area": area,
              "domain": event.get("domain") or _domain(config, indicator), "level": event.get("level") or "",
              "tier": event.get("tier") or ""}
    with use_locale(config.i18n.default_locale):
        names = {"level": _level_name(event.get("level")), "prev": _level_name(event.get("prev_level")),
                 "indicator": _indicator_name(config, indicator, event), "area": _area_name(config, area),
                 "tier": _tier_name(event.get("tier"))}
        title = gettext(_WARNING_TITLES.get(reason, _WARNING_TITLES["first"]), **names)
        text = _warning_text(event)
    link = f"{config.notifications.link_base.rstrip('/')}/duty?warning={labels['key']}" \
        if config.notifications.link_base else None
    return Notice("warning", labels["key"], int(event["event_id"]), reason, at or event["occurred_at"], labels, title, text,
                  link, {"value": event.get("value"), "threshold": event.get("threshold")})


def task_notice(event: dict, config: Config) -> Notice:
    """The notice of one task event from `cockpit.tasks.queries.notifications_after` to its assignee unit."""
    reason = f"task.{event['action']}"
    unit = event.get("to_unit") or ""
    labels = {"kind": "task", "key": str(event["task_id"]), "unit": unit,
              "priority": event.get("priority") or "", "area": event.get("area_code") or config.city.code,
              "domain": event.get("domain") or ""}
    with use_locale(config.i18n.default_locale):
        title = gettext(N_("{what}: {title}"), what=gettext(REASONS.get(reason, N_("Task update"))),
                        title=event.get("title") or event["task_id"])
        text = event.get("note") or ""
    link = f"{config.notifications.link_base.rstrip('/')}/tasks/{event['task_id']}" \
        if config.notifications.link_base else None
    return Notice("task", labels["key"], int(event["event_id"]), reason, event["occurred_at"], labels, title,
                  text, link, {"detail": event.get("detail") or {}})


def notice_from_dict(data: dict) -> Notice:
    """Back from `as_dict` (used for repeats of a stored open warning)."""
    return Notice(data["kind"], data["key"], int(data["event_id"]), data["reason"],
                  datetime.fromisoformat(data["at"]), dict(data["labels"]), data["title"], data["text"],
                  data.get("link"), dict(data.get("extra") or {}))


def reason_name(reason: str) -> str:
    """The translated name of a reason (several reasons joined by commas)."""
    return ", ".join(gettext(REASONS.get(r, r)) for r in reason.split(","))


def _warning_text(event: dict) -> str:
    reason = _render_reason(event.get("reason") or "", event.get("reason_args") or "{}")
    parts = [reason] if reason else []
    value, threshold = event.get("value"), event.get("threshold")
    if value is not None:
        parts.append(gettext(N_("value {value}"), value=_num(value)))
    if threshold is not None:
        parts.append(gettext(N_("threshold {threshold}"), threshold=_num(threshold)))
    return "; ".join(parts)


def _render_reason(reason: str, args: str) -> str:
    if not reason:
        return ""
    from alerts import reasons  # the lifecycle's own wording (durations, levels and tiers translated)

    try:
        return reasons.render(reason, args)
    except ValueError:
        return gettext(reason)


def _tier_name(tier: str | None) -> str:
    from alerts.reasons import TIER_LABELS

    return gettext(TIER_LABELS[tier]) if tier in TIER_LABELS else (tier or "")


def _num(x) -> str:
    return f"{x:.6g}" if isinstance(x, float) else str(x)


def _level_name(level: str | None) -> str:
    return gettext(LEVEL_NAMES[level]) if level in LEVEL_NAMES else (level or "")


def _indicator_name(config: Config, indicator: str, event: dict) -> str:
    ind = config.indicators.get(indicator)
    return ind.name if ind else (indicator or event.get("rule_id") or "")


def _domain(config: Config, indicator: str) -> str:
    ind = config.indicators.get(indicator)
    return ind.domain if ind else ""


def _area_name(config: Config, code: str) -> str:
    area = config.area(code)
    return area.name if area else code
