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
            cls.settings.model_validate(source.settings)
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
    return issues
