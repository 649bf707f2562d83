"""The routing tree: which receivers hear about a notice, with which options (inherited down the tree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from cockpit.core.config.notifications import RouteConfig, RouteMatch, duration_seconds

ROOT_DEFAULTS = {"receivers": [], "group_by": ["key"], "group_wait": "0s", "repeat_interval": "4h",
                 "quiet_hours": []}


@dataclass(frozen=True)
class Route:
    """The options of the node that took a notice: `path` names the node ("0.2.1"), for group keys and the log."""

    path: str
    receivers: tuple[str, ...]
    group_by: tuple[str, ...]
    group_wait: float
    repeat_interval: float
    quiet_hours: tuple[str, ...]

    def quiet_at(self, at: datetime, tz: str) -> bool:
        """Whether `at` falls in one of the quiet periods (local time; a period may run past midnight)."""
        local = at.astimezone(ZoneInfo(tz)).time()
        return any(_inside(local, period) for period in self.quiet_hours)


def routes_for(root: RouteConfig, labels: dict[str, str]) -> list[Route]:
    """The nodes that take a notice with these labels: the deepest match of each matching branch.

    The root always matches. Children are tried in order; the first that matches takes the notice unless it says
    `keep_matching`, in which case later siblings are tried too. A node none of whose children match takes the
    notice itself.
    """
    return _walk(root, labels, _options(root, ROOT_DEFAULTS), "0")


def _walk(node: RouteConfig, labels: dict[str, str], opts: dict, path: str) -> list[Route]:
    found: list[Route] = []
    for i, child in enumerate(node.routes):
        if not matches(child.match, labels):
            continue
        found.extend(_walk(child, labels, _options(child, opts), f"{path}.{i}"))
        if not child.keep_matching:
            break
    if found:
        return found
    return [Route(path, tuple(opts["receivers"]), tuple(opts["group_by"]), duration_seconds(opts["group_wait"]),
                  duration_seconds(opts["repeat_interval"]), tuple(opts["quiet_hours"]))]


def matches(match: RouteMatch, labels: dict[str, str]) -> bool:
    """Whether every condition of `match` holds for `labels` (areas match their whole subtree by code prefix)."""
    if match.kind is not None and labels.get("kind") != match.kind:
        return False
    if match.area is not None and not any(labels.get("area", "").startswith(code) for code in match.area):
        return False
    for name in ("domain", "level", "unit", "priority", "tier"):
        wanted = getattr(match, name)
        if wanted is not None and labels.get(name) not in wanted:
            return False
    return True


def _options(node: RouteConfig, inherited: dict) -> dict:
    return {key: getattr(node, key) if getattr(node, key) is not None else inherited[key] for key in ROOT_DEFAULTS}


def _inside(t: time, period: str) -> bool:
    start_text, end_text = period.split("-")
    start, end = _clock(start_text), _clock(end_text)
    if start <= end:
        return start <= t < end
    return t >= start or t < end


def _clock(text: str) -> time:
    hours, minutes = (int(x) for x in text.split(":"))
    return time(23, 59, 59, 999999) if hours == 24 else time(hours, minutes)
