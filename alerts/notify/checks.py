"""Cross-reference checks of `notifications`: areas and units named by routes must exist."""

from __future__ import annotations

from cockpit.core.config import Config, ConfigIssue
from cockpit.core.config.notifications import RouteConfig


def check_notifications(config: Config) -> list[ConfigIssue]:
    """Every unknown area code or unit id in the routing tree, with its key path."""
    areas = {a.code for a in config.areas}
    units = {u.id for u in config.units} | _center_units(config)
    issues: list[ConfigIssue] = []
    for path, node in _walk(config.notifications.route, "notifications.route"):
        for j, code in enumerate(node.match.area or []):
            if code not in areas:
                issues.append(ConfigIssue(f"{path}.match.area[{j}]", f"未知区域 / unknown area {code}"))
        for j, unit in enumerate(node.match.unit or []):
            if unit not in units:
                issues.append(ConfigIssue(f"{path}.match.unit[{j}]", f"未知单位 / unknown unit {unit}"))
    return issues


def _center_units(config: Config) -> set[str]:
    return {f"center_{a.code}" for a in config.areas}


def _walk(node: RouteConfig, path: str):
    yield path, node
    for i, child in enumerate(node.routes):
        yield from _walk(child, f"{path}.routes[{i}]")
