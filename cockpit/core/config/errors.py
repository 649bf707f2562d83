"""Configuration errors that name the key path of every offending value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigIssue:
    """One problem in the configuration, located by its dotted key path."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ConfigInvalid(Exception):
    """Raised when a configuration cannot be used; carries every issue found, not only the first."""

    def __init__(self, source: str, issues: list[ConfigIssue]):
        self.source = source
        self.issues = issues
        super().__init__(self.report())

    def report(self) -> str:
        """A human-readable report: one line per issue, prefixed by the file it came from."""
        head = f"配置无效 / invalid configuration: {self.source} ({len(self.issues)} 处错误 / errors)"
        return "\n".join([head, *(f"  - {issue}" for issue in self.issues)])


def format_loc(loc: tuple) -> str:
    """Turn a pydantic error location into `a.b[3].c`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
