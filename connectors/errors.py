"""Failure classification, in one table: config error (stop, a person must fix it), transient (retry), bug.

Modelled on Airbyte CDK's `default_error_mapping.py`. Messages are Chinese (an operator reads them on the
数据接入 page) and must never contain secrets: connectors build them from what they know is safe, and
`safe_message` masks anything that looks like a credential in messages of foreign exceptions.
"""

from __future__ import annotations

import re
import socket
from typing import Literal

ErrorKind = Literal["config", "transient", "bug"]


class ConnectorError(Exception):
    """A failure a connector understands; its message is plain Chinese and free of secrets."""

    kind: ErrorKind = "bug"


class ConfigError(ConnectorError):
    """The source is configured wrongly (bad credentials, missing table, unreadable folder): retrying won't help."""

    kind: ErrorKind = "config"


class TransientError(ConnectorError):
    """The source is down, slow or returned garbage this time: retry later with backoff."""

    kind: ErrorKind = "transient"


# Foreign exception types by name (drivers are imported lazily), most specific first.
_BY_NAME: list[tuple[str, ErrorKind, str]] = [
    ("OperationalError", "transient", "数据库连接或执行失败"),
    ("InterfaceError", "transient", "数据库连接中断"),
    ("ProgrammingError", "config", "SQL 语句或表结构与配置不符"),
    ("UndefinedTable", "config", "源表不存在"),
    ("TimeoutException", "transient", "请求超时"),
    ("ConnectError", "transient", "无法连接到接口"),
    ("RemoteProtocolError", "transient", "接口连接被意外关闭"),
    ("JSONDecodeError", "transient", "返回内容不是有效的 JSON"),
]

_BY_TYPE: list[tuple[type[BaseException], ErrorKind, str]] = [
    (TimeoutError, "transient", "操作超时"),
    (socket.timeout, "transient", "操作超时"),
    (ConnectionError, "transient", "连接失败"),
    (PermissionError, "config", "没有访问权限"),
    (FileNotFoundError, "config", "文件或目录不存在"),
]


def classify(exc: BaseException) -> tuple[ErrorKind, str]:
    """The kind of a failure and a Chinese message safe to show and store."""
    if isinstance(exc, ConnectorError):
        return exc.kind, safe_message(str(exc))
    names = {t.__name__ for t in type(exc).__mro__}
    for name, kind, text in _BY_NAME:
        if name in names:
            return kind, f"{text}：{safe_message(_first_line(exc))}"
    for cls, kind, text in _BY_TYPE:
        if isinstance(exc, cls):
            return kind, f"{text}：{safe_message(_first_line(exc))}"
    return "bug", f"程序错误（{type(exc).__name__}），请联系运维人员查看日志"


_SECRET = re.compile(
    r"(?i)(password|passwd|pwd|secret|token|api[_-]?key|app[_-]?key|authorization|bearer)"
    r"([\"']?\s*[:=]\s*|\s+)[^\s&,;'\"]+"
)
_URL_CREDENTIALS = re.compile(r"://[^/@\s:]+:[^/@\s]+@")


def safe_message(text: str) -> str:
    """Mask credentials (`password=…`, `Bearer …`, `user:pass@host`) in a message."""
    text = _URL_CREDENTIALS.sub("://***:***@", text)
    return _SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
