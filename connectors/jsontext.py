"""A tolerant JSON reader for what real government APIs (and the Open311 specification's own examples) send.

Handles, in order: valid JSON; a response with an HTTP status line and headers pasted before the body;
numbers written with leading zeros (`"service_code":006`), read as the strings they are meant to be.
"""

from __future__ import annotations

import json
import re
from typing import Any

_LEADING_ZERO = re.compile(r'([:\[,]\s*)(-?0\d+(?:\.\d+)?)(?=\s*[,}\]])')


class InvalidJson(ValueError):
    """The text is not JSON even after the known repairs; the message says where, in Chinese."""


def loads_tolerant(text: str) -> Any:
    """Parse JSON, repairing the quirks above; raises InvalidJson with the position of the error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    body = text.lstrip("\ufeff \r\n\t")
    if body.startswith("HTTP/"):
        parts = re.split(r"\r?\n\r?\n", body, maxsplit=1)
        body = parts[1] if len(parts) == 2 else ""
    body = _LEADING_ZERO.sub(lambda m: f'{m.group(1)}"{m.group(2)}"', body)
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise InvalidJson(f"内容不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from None


def at_path(data: Any, path: str) -> Any:
    """The value at a dotted path (`data.items`, `extended_attributes.ward`); '' is the value itself."""
    for part in path.split(".") if path else []:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def as_text(value: Any) -> str | None:
    """A JSON value as the text a dataset column parses: objects and lists stay JSON."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
