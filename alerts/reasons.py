"""Why a warning is in its state: English msgids (Chinese in the catalog) with named values.

Reasons are stored as msgid + JSON values and rendered in the reader's language, so the notification
stages and the pages show the same words ("持续2小时高于阈值", "数据断流").
"""

from __future__ import annotations

import json
from datetime import timedelta

from cockpit.core.i18n import N_, gettext

HELD_ABOVE = N_("Held above the threshold for {duration}")
HELD_BELOW = N_("Held below the threshold for {duration}")
ABOVE = N_("Above the threshold")
BELOW = N_("Below the threshold")
CHANGE = N_("Changed faster than the allowed rate")
BASELINE = N_("Deviates from the seasonal baseline")
PENDING = N_("Condition holds; fires if it lasts {duration}")
CANCELLED = N_("Condition cleared before firing")
RESOLVED = N_("Back to normal for {duration}")
LEVEL_DOWN = N_("{level} level clear for {duration}; a lower level still holds")
NO_DATA = N_("Data feed interrupted")
ACKNOWLEDGED = N_("Acknowledged by {user}")
ESCALATED = N_("Not acknowledged within {duration}; escalated to the {tier} tier")
RULE_ERROR = N_("The rule produced {count} open warnings, above the limit of {limit}; the rule is in error")
NOT_FIRING = N_("Only a firing warning can be acknowledged.")

LEVEL_LABELS = {"blue": N_("Blue"), "yellow": N_("Yellow"), "orange": N_("Orange"), "red": N_("Red")}
TIER_LABELS = {"street": N_("street"), "district": N_("district"), "city": N_("city duty desk"),
               "leader": N_("leader")}
_UNITS = ((7 * 86400, N_("{n} weeks")), (86400, N_("{n} days")), (3600, N_("{n} hours")), (60, N_("{n} minutes")))


def duration_text(delta: timedelta) -> str:
    """A duration as stored in reason values: `2h`, `30m`, `1d` (rendered per language)."""
    seconds = int(delta.total_seconds())
    for size, suffix in ((7 * 86400, "w"), (86400, "d"), (3600, "h"), (60, "m")):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{suffix}"
    return f"{seconds // 60}m"


def _render_duration(text: str) -> str:
    amount, suffix = int(text[:-1]), text[-1]
    size = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60}[suffix]
    msgid = next(m for s, m in _UNITS if s == size)
    return gettext(msgid, n=amount)


def render(reason: str, args: dict | str | None = None) -> str:
    """The reason in the current language, its values filled (durations, levels and tiers translated)."""
    values = json.loads(args) if isinstance(args, str) else dict(args or {})
    if "duration" in values:
        values["duration"] = _render_duration(values["duration"])
    if "level" in values and values["level"] in LEVEL_LABELS:
        values["level"] = gettext(LEVEL_LABELS[values["level"]])
    if "tier" in values and values["tier"] in TIER_LABELS:
        values["tier"] = gettext(TIER_LABELS[values["tier"]])
    try:
        return gettext(reason, **values)
    except (KeyError, IndexError):
        return gettext(reason)
