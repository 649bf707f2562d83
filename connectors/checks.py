"""Configuration checks of the connectors room, run by `cockpit check` and at start-up."""

from __future__ import annotations

from pydantic import ValidationError

from cockpit.core.config import Config
from cockpit.core.config.errors import ConfigIssue, format_loc
from connectors.base import kinds


def check_sources(config: Config) -> list[ConfigIssue]:
    """Every source's kind must be registered and its settings must fit that kind's settings model."""
    issues: list[ConfigIssue] = []
    registry = kinds()
    for sid, source in config.sources.items():
        cls = registry.get(source.kind)
        if cls is None:
            known = ", ".join(sorted(registry))
            issues.append(ConfigIssue(f"sources.{sid}.kind", f"未知接入方式 / unknown connector kind {source.kind!r} "
                                                              f"(可选 / one of: {known})"))
            continue
        try:
            settings = cls.settings.model_validate(source.settings)
        except ValidationError as exc:
            for err in exc.errors():
                loc = format_loc(tuple(err["loc"]))
                path = f"sources.{sid}.settings" + (f".{loc}" if loc and not loc.startswith("[") else loc)
                message = err["msg"].removeprefix("Value error, ")
                if err["type"] == "extra_forbidden":
                    message = "未知配置项 / unknown key"
                elif err["type"] == "missing":
                    message = "缺少必填项 / required key is missing"
                issues.append(ConfigIssue(path, message))
            continue
        dataset = config.datasets.get(source.dataset)
        if dataset is not None:
            issues.extend(_mapped_columns(sid, settings, set(dataset.columns)))
            if source.kind == "manual_form" and not (dataset.area and dataset.time):
                issues.append(ConfigIssue(f"sources.{sid}.dataset", "一张表的数据集须声明 area 与 time 列 / "
                                                                    "a manual_form dataset needs area and time"))
    return issues


def _mapped_columns(sid: str, settings, columns: set[str]) -> list[ConfigIssue]:
    """Column mappings must name columns of the source's dataset (a typo would silently drop a field)."""
    issues = []
    prefix = f"sources.{sid}.settings"
    for header, target in (getattr(settings, "columns", None) or {}).items():
        if target not in columns:
            issues.append(ConfigIssue(f"{prefix}.columns.{header}", f"数据集中没有列 / no dataset column {target!r}"))
    for target in getattr(settings, "fields", None) or {}:
        if target not in columns and getattr(settings, "preset", None) is None:
            issues.append(ConfigIssue(f"{prefix}.fields.{target}", f"数据集中没有列 / no dataset column {target!r}"))
    for key in ("required", "allow_negative"):
        for target in getattr(settings, key, None) or []:
            if target not in columns:
                issues.append(ConfigIssue(f"{prefix}.{key}", f"数据集中没有列 / no dataset column {target!r}"))
    unpivot = getattr(settings, "unpivot", None)
    if unpivot is not None:
        for key in ("name_to", "value_to"):
            if getattr(unpivot, key) not in columns:
                issues.append(ConfigIssue(f"{prefix}.unpivot.{key}",
                                          f"数据集中没有列 / no dataset column {getattr(unpivot, key)!r}"))
    return issues
