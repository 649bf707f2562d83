"""Cross-reference checks of the `alerts` and `plans` sections."""

from __future__ import annotations

from cockpit.core.config import Config, ConfigIssue


def check_alerts(config: Config) -> list[ConfigIssue]:
    """Plans name known indicators with levels, areas and units; per-indicator clear_for names indicators."""
    issues = []
    units = {u.id for u in config.units}
    areas = {a.code for a in config.areas}
    for iid in config.alerts.clear_for_by_indicator:
        if iid not in config.indicators:
            issues.append(ConfigIssue(f"alerts.clear_for_by_indicator.{iid}", f"未知指标 / unknown indicator {iid}"))
    for pid, plan in config.plans.items():
        for i, t in enumerate(plan.triggers):
            path = f"plans.{pid}.triggers[{i}]"
            ind = config.indicators.get(t.indicator)
            if ind is None:
                issues.append(ConfigIssue(f"{path}.indicator", f"未知指标 / unknown indicator {t.indicator}"))
            elif not ind.levels:
                issues.append(ConfigIssue(f"{path}.indicator", f"指标未配置预警等级 / {t.indicator} has no levels"))
            for code in t.areas:
                if code not in areas:
                    issues.append(ConfigIssue(f"{path}.areas", f"未知区域 / unknown area {code}"))
        for i, action in enumerate(plan.actions):
            if action.unit != "center" and action.unit not in units and not _center(action.unit, areas):
                issues.append(ConfigIssue(f"plans.{pid}.actions[{i}].unit", f"未知单位 / unknown unit {action.unit}"))
            if action.priority is not None and action.priority not in config.tasks.sla:
                issues.append(ConfigIssue(f"plans.{pid}.actions[{i}].priority",
                                          f"未知优先级 / unknown priority {action.priority}"))
    return issues


def _center(unit: str, areas: set[str]) -> bool:
    return unit.startswith("center_") and unit.removeprefix("center_") in areas
