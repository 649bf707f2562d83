"""Cross-reference checks of the indicator catalog, run by `cockpit check` after parsing.

Each issue names its key path, e.g. `indicators.hotline.ontime_rate.levels.red.below`.
"""

from __future__ import annotations

from cockpit.core.config import Config
from cockpit.core.config.data import DatasetConfig
from cockpit.core.config.errors import ConfigIssue
from cockpit.core.config.indicators import LEVELS, Filter, IndicatorConfig

_NUMERIC = ("integer", "float")


def check_indicators(config: Config) -> list[ConfigIssue]:
    """Every dangling dataset, column or input, wrong column type, cycle and disordered level bound."""
    issues: list[ConfigIssue] = []
    for iid, ind in config.indicators.items():
        path = f"indicators.{iid}"
        dataset = config.datasets.get(ind.dataset) if ind.dataset else None
        if dataset is not None:
            issues.extend(_columns(path, ind, dataset))
        issues.extend(_inputs(path, ind, config))
        issues.extend(_level_order(path, ind))
        for j, version in enumerate(ind.versions):
            if version.measure is not None and dataset is not None:
                vpath = f"{path}.versions[{j}]"
                issues.extend(_measure_columns(vpath, version.measure, dataset))
    issues.extend(_cycles(config))
    return issues


def _columns(path: str, ind: IndicatorConfig, ds: DatasetConfig) -> list[ConfigIssue]:
    issues = []
    time_col = ind.time or ds.time
    area_col = ind.area or ds.area
    if time_col is None:
        issues.append(ConfigIssue(f"{path}.time", "数据集未声明时间列 / the dataset declares no time column"))
    elif time_col not in ds.columns:
        issues.append(ConfigIssue(f"{path}.time", f"未知列 / unknown column {time_col}"))
    elif ds.columns[time_col].type != "timestamp":
        issues.append(ConfigIssue(f"{path}.time", f"时间列须为 timestamp / {time_col} is not a timestamp"))
    if area_col is None:
        issues.append(ConfigIssue(f"{path}.area", "数据集未声明区域列 / the dataset declares no area column"))
    elif area_col not in ds.columns:
        issues.append(ConfigIssue(f"{path}.area", f"未知列 / unknown column {area_col}"))
    issues.extend(_measure_columns(path, ind.measure, ds))
    return issues


def _measure_columns(path: str, measure, ds: DatasetConfig) -> list[ConfigIssue]:
    """Column references of one measure, with the type each position needs."""
    refs: list[tuple[str, str, tuple[str, ...] | None]] = []  # (key path, column, allowed types)
    mpath = f"{path}.measure"
    kind = measure.type
    if kind in ("distinct_count",):
        refs.append((f"{mpath}.column", measure.column, None))
    if kind in ("sum", "mean", "median", "percentile", "latest"):
        refs.append((f"{mpath}.column", measure.column, _NUMERIC))
    if kind == "latest":
        refs.append((f"{mpath}.entity", measure.entity, None))
    if kind == "working_days":
        refs += [(f"{mpath}.start", measure.start, ("timestamp",)), (f"{mpath}.end", measure.end, ("timestamp",))]
    if kind == "aqi":
        refs += [(f"{mpath}.pollutants.{p}", c, _NUMERIC) for p, c in measure.pollutants.items()]
    issues = _filters(f"{mpath}.where", getattr(measure, "where", []), ds)
    if kind == "ratio":
        for part in ("numerator", "denominator"):
            rows = getattr(measure, part)
            if rows.column:
                refs.append((f"{mpath}.{part}.column", rows.column, _NUMERIC))
            issues.extend(_filters(f"{mpath}.{part}.where", rows.where, ds))
    for key, col, types in refs:
        if col not in ds.columns:
            issues.append(ConfigIssue(key, f"未知列 / unknown column {col}"))
        elif types and ds.columns[col].type not in types:
            issues.append(ConfigIssue(key, f"列 {col} 类型为 {ds.columns[col].type}，需要 {'/'.join(types)}"))
    return issues


def _filters(path: str, filters: list[Filter], ds: DatasetConfig) -> list[ConfigIssue]:
    issues = []
    for k, f in enumerate(filters):
        key = f"{path}[{k}]"
        if f.column not in ds.columns:
            issues.append(ConfigIssue(f"{key}.column", f"未知列 / unknown column {f.column}"))
            continue
        ctype = ds.columns[f.column].type
        if f.ref is not None:
            if f.ref not in ds.columns:
                issues.append(ConfigIssue(f"{key}.ref", f"未知列 / unknown column {f.ref}"))
            elif (ds.columns[f.ref].type in _NUMERIC) != (ctype in _NUMERIC) and ds.columns[f.ref].type != ctype:
                issues.append(ConfigIssue(f"{key}.ref", f"无法比较 {ctype} 与 {ds.columns[f.ref].type}"))
            continue
        values = f.value if isinstance(f.value, list) else [f.value] if f.value is not None else []
        for v in values:
            if not _fits(ctype, v):
                issues.append(ConfigIssue(f"{key}.value", f"值 {v!r} 与列 {f.column} 的类型 {ctype} 不符"))
    return issues


def _fits(ctype: str, value) -> bool:
    if ctype == "boolean":
        return isinstance(value, bool)
    if ctype in _NUMERIC:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def _inputs(path: str, ind: IndicatorConfig, config: Config) -> list[ConfigIssue]:
    m = ind.measure
    names = m.inputs if m.type == "derived" else list(m.components) if m.type == "composite" else []
    key = "inputs" if m.type == "derived" else "components"
    issues = []
    for j, name in enumerate(names):
        if name not in config.indicators:
            issues.append(ConfigIssue(f"{path}.measure.{key}[{j}]", f"未知指标 / unknown indicator {name}"))
            continue
        other = config.indicators[name]
        missing = [g for g in ind.grains if g not in other.grains]
        if missing:
            issues.append(ConfigIssue(f"{path}.measure.{key}[{j}]", f"{name} 未按 {','.join(missing)} 计算"))
        if m.type == "composite" and other.target is None:
            issues.append(ConfigIssue(f"{path}.measure.{key}[{j}]", f"{name} 没有目标值，无法归一 / needs a target"))
    return issues


def _level_order(path: str, ind: IndicatorConfig) -> list[ConfigIssue]:
    """More severe levels must have bounds at least as far out as milder ones."""
    issues = []
    for bound, worse in (("below", lambda a, b: a <= b), ("above", lambda a, b: a >= b)):
        prev = None
        for level in LEVELS:
            rule = ind.levels.get(level)
            value = getattr(rule, bound) if rule else None
            if value is None:
                continue
            if prev is not None and not worse(value, prev[1]):
                issues.append(ConfigIssue(f"{path}.levels.{level}.{bound}",
                                          f"{level} 的阈值 {value} 不应比 {prev[0]} 的 {prev[1]} 更宽松"))
            prev = (level, value)
    return issues


def _cycles(config: Config) -> list[ConfigIssue]:
    graph = {iid: _deps(ind) for iid, ind in config.indicators.items()}
    issues, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "active"
        for dep in graph.get(node, []):
            if state.get(dep) == "active":
                cycle = " → ".join(stack[stack.index(dep):] + [dep]) if dep in stack else dep
                issues.append(ConfigIssue(f"indicators.{node}.measure", f"指标循环引用 / cycle: {cycle}"))
            elif dep in graph and dep not in state:
                visit(dep, [*stack, dep])
        state[node] = "done"

    for iid in graph:
        if iid not in state:
            visit(iid, [iid])
    return issues


def _deps(ind: IndicatorConfig) -> list[str]:
    m = ind.measure
    return list(m.inputs) if m.type == "derived" else list(m.components) if m.type == "composite" else []
