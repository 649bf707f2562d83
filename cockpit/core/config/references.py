"""Cross-reference checks run after parsing: every name that points elsewhere must exist."""

from __future__ import annotations

from collections.abc import Callable

from cockpit.core.config.errors import ConfigIssue
from cockpit.core.config.models import Config

Check = Callable[[Config], list[ConfigIssue]]


def check_references(config: Config) -> list[ConfigIssue]:
    """Every dangling or duplicate reference in the configuration, with its key path."""
    issues: list[ConfigIssue] = []
    for check in (_areas, _units, _sources, _indicators, _topics):
        issues.extend(check(config))
    return issues


def _areas(config: Config) -> list[ConfigIssue]:
    issues = []
    seen: set[str] = set()
    by_code = {a.code: a for a in config.areas}
    cities = [a for a in config.areas if a.level == "city"]
    if len(cities) != 1:
        issues.append(ConfigIssue("areas", f"需要且仅需要一个市级区域 / exactly one city area, found {len(cities)}"))
    if config.city.code not in by_code:
        issues.append(ConfigIssue("city.code", f"区域表中没有 {config.city.code} / not among areas"))
    expected_parent = {"district": "city", "street": "district"}
    for i, area in enumerate(config.areas):
        if area.code in seen:
            issues.append(ConfigIssue(f"areas[{i}].code", f"重复的区域代码 / duplicate area code {area.code}"))
        seen.add(area.code)
        if area.parent is None:
            continue
        parent = by_code.get(area.parent)
        if parent is None:
            issues.append(ConfigIssue(f"areas[{i}].parent", f"未知的上级区域 / unknown parent area {area.parent}"))
        elif parent.level != expected_parent[area.level]:
            issues.append(ConfigIssue(f"areas[{i}].parent", f"{area.level} 的上级应为 {expected_parent[area.level]}"))
        elif area.level == "street" and not area.code.startswith(parent.code):
            issues.append(ConfigIssue(f"areas[{i}].code", f"街道代码须以上级代码 {parent.code} 开头"))
    return issues


def _units(config: Config) -> list[ConfigIssue]:
    issues = []
    areas = {a.code for a in config.areas}
    seen: set[str] = set()
    for i, unit in enumerate(config.units):
        if unit.id in seen:
            issues.append(ConfigIssue(f"units[{i}].id", f"重复的单位 id / duplicate unit id {unit.id}"))
        seen.add(unit.id)
        if unit.area not in areas:
            issues.append(ConfigIssue(f"units[{i}].area", f"未知区域 / unknown area {unit.area}"))
    return issues


def _sources(config: Config) -> list[ConfigIssue]:
    issues = []
    units = {u.id for u in config.units}
    for sid, source in config.sources.items():
        if source.dataset not in config.datasets:
            issues.append(ConfigIssue(f"sources.{sid}.dataset", f"未知数据集 / unknown dataset {source.dataset}"))
        if source.owner is not None and source.owner not in units:
            issues.append(ConfigIssue(f"sources.{sid}.owner", f"未知单位 / unknown unit {source.owner}"))
    return issues


def _indicators(config: Config) -> list[ConfigIssue]:
    issues = []
    units = {u.id for u in config.units}
    for iid, ind in config.indicators.items():
        if ind.dataset is not None and ind.dataset not in config.datasets:
            issues.append(ConfigIssue(f"indicators.{iid}.dataset", f"未知数据集 / unknown dataset {ind.dataset}"))
        if ind.owner is not None and ind.owner not in units:
            issues.append(ConfigIssue(f"indicators.{iid}.owner", f"未知单位 / unknown unit {ind.owner}"))
    return issues


def _topics(config: Config) -> list[ConfigIssue]:
    issues = []
    known = config.indicators

    def need(path: str, iid: str) -> None:
        if iid not in known:
            issues.append(ConfigIssue(path, f"未知指标 / unknown indicator {iid}"))

    for tid, topic in config.layouts.topics.items():
        for j, iid in enumerate(topic.indicators):
            need(f"layouts.topics.{tid}.indicators[{j}]", iid)
        for s, section in enumerate(topic.sections):
            for j, iid in enumerate(section.indicators):
                need(f"layouts.topics.{tid}.sections[{s}].indicators[{j}]", iid)
        if topic.trend is not None:
            need(f"layouts.topics.{tid}.trend", topic.trend)
    for domain, iid in config.layouts.domain_keys.items():
        need(f"layouts.domain_keys.{domain}", iid)
        if iid in known and known[iid].domain != domain:
            issues.append(ConfigIssue(f"layouts.domain_keys.{domain}", f"{iid} 不属于该领域 / not in this domain"))
    if known and config.layouts.index_indicator not in known:
        need("layouts.index_indicator", config.layouts.index_indicator)
    return issues
