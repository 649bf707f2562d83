"""Cross-reference checks of the `tasks` section: routed units and areas exist."""

from __future__ import annotations

from cockpit.core.config import Config, ConfigIssue


def check_tasks(config: Config) -> list[ConfigIssue]:
    """Every routing rule names a known area and unit (`center` needs a district or street area)."""
    issues = []
    units = {u.id for u in config.units}
    areas = {a.code: a for a in config.areas}
    for i, rule in enumerate(config.tasks.routing):
        path = f"tasks.routing[{i}]"
        if rule.area is not None and rule.area not in areas:
            issues.append(ConfigIssue(f"{path}.area", f"未知区域 / unknown area {rule.area}"))
        if rule.unit == "center":
            if rule.area is None or (rule.area in areas and areas[rule.area].level == "city"):
                issues.append(ConfigIssue(f"{path}.unit", "center 需要区县或街道区域 / center needs a district or street"))
        elif rule.unit not in units:
            issues.append(ConfigIssue(f"{path}.unit", f"未知单位 / unknown unit {rule.unit}"))
    lead = config.tasks.leader_dispatch_unit
    if lead is not None and lead not in units:
        issues.append(ConfigIssue("tasks.leader_dispatch_unit", f"未知单位 / unknown unit {lead}"))
    return issues
