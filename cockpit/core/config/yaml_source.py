"""Reading the YAML files: `!include path` for further files, `${NAME}` for secrets from the environment."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from cockpit.core.config.errors import ConfigIssue

_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class _Include:
    def __init__(self, target: str):
        self.target = target


class _Loader(yaml.SafeLoader):
    """SafeLoader plus the `!include` tag; never constructs arbitrary objects."""


_Loader.add_constructor("!include", lambda loader, node: _Include(loader.construct_scalar(node)))


def read_yaml_tree(path: Path) -> tuple[Any, list[ConfigIssue]]:
    """Read `path`, resolve includes relative to each including file and substitute `${ENV}` values.

    Returns the plain data and the issues met on the way (unreadable files, cycles, unset variables).
    """
    issues: list[ConfigIssue] = []
    data = _read(path, "", issues, ())
    return data, issues


def _read(path: Path, key: str, issues: list[ConfigIssue], stack: tuple[Path, ...]) -> Any:
    path = path.resolve()
    if path in stack:
        issues.append(ConfigIssue(key, f"包含循环 / include cycle: {path}"))
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        issues.append(ConfigIssue(key, f"无法读取文件 / cannot read {path}: {exc.strerror}"))
        return None
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader subclass
    except yaml.YAMLError as exc:
        issues.append(ConfigIssue(key, f"YAML 语法错误 / YAML syntax error in {path}: {exc}"))
        return None
    return _resolve(raw, path.parent, key, issues, (*stack, path))


def _resolve(node: Any, base: Path, key: str, issues: list[ConfigIssue], stack: tuple[Path, ...]) -> Any:
    if isinstance(node, _Include):
        return _read(base / node.target, key, issues, stack)
    if isinstance(node, dict):
        return {k: _resolve(v, base, _join(key, str(k)), issues, stack) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, base, f"{key}[{i}]", issues, stack) for i, v in enumerate(node)]
    if isinstance(node, str) and "${" in node:
        return _substitute(node, key, issues)
    return node


def _substitute(text: str, key: str, issues: list[ConfigIssue]) -> str:
    def repl(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        value = os.environ.get(name)
        if value is None:
            if default is not None:
                return default
            issues.append(ConfigIssue(key, f"环境变量未设置 / environment variable {name} is not set"))
            return ""
        return value

    return _ENV.sub(repl, text)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name
