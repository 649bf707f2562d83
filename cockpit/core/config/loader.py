"""Loading a configuration file into a validated `Config`, reporting every error at once."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from cockpit.core.config.errors import ConfigInvalid, ConfigIssue, format_loc
from cockpit.core.config.models import Config
from cockpit.core.config.references import Check, check_references
from cockpit.core.config.yaml_source import read_yaml_tree


def load_config(path: str | Path, extra_checks: Iterable[Check] = ()) -> Config:
    """Read, validate and cross-check the configuration at `path`.

    Args:
        path: the root YAML file; `!include` paths are relative to the including file.
        extra_checks: checks from rooms above the core (connector settings, measures), run after parsing.

    Raises:
        ConfigInvalid: with every issue found, each naming its key path.
    """
    path = Path(path)
    data, issues = read_yaml_tree(path)
    if issues:
        raise ConfigInvalid(str(path), issues)
    if not isinstance(data, dict):
        raise ConfigInvalid(str(path), [ConfigIssue("", "配置文件顶层必须是映射 / the top level must be a mapping")])
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigInvalid(str(path), [_issue(err) for err in exc.errors()]) from None
    issues = check_references(config)
    for check in extra_checks:
        issues.extend(check(config))
    if issues:
        raise ConfigInvalid(str(path), issues)
    return config


def _issue(error: dict) -> ConfigIssue:
    loc = tuple(part for part in error["loc"] if part not in ("function-after", "function-before"))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "未知配置项 / unknown key"
    elif error["type"] == "missing":
        message = "缺少必填项 / required key is missing"
    return ConfigIssue(format_loc(loc), message)
