"""What every channel shares: the rendered message, the failure type, HTTP posting with sanitised errors."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

import httpx

from alerts.notify.notices import LEVEL_NAMES, reason_name
from cockpit.core.i18n import gettext


class SendFailed(Exception):
    """A send did not succeed; the message is safe to store (no URL, no secret)."""


@dataclass(frozen=True)
class Message:
    """One notification as channels see it: a title and its items (notice dicts), already translated."""

    notification_id: int
    receiver: str
    reason: str
    title: str
    level: str | None
    items: list[dict]

    def payload(self) -> dict:
        """The generic JSON document (webhook body)."""
        return {"version": "1", "notification_id": self.notification_id, "receiver": self.receiver,
                "reason": self.reason, "title": self.title, "level": self.level, "count": len(self.items),
                "items": self.items}

    def lines(self) -> list[str]:
        """One line per item: its title, its detail, its link."""
        out = []
        for item in self.items:
            line = item["title"] + (f" — {item['text']}" if item.get("text") else "")
            out.append(line + (f" {item['link']}" if item.get("link") else ""))
        return out

    def text(self) -> str:
        """Plain text: title, reason, then the items."""
        head = [self.title, f"{reason_name(self.reason)}"]
        return "\n".join(head + (self.lines() if len(self.items) > 1 or self.items[0].get("text") else []))

    def markdown(self, level_colour=None) -> str:
        """Markdown shared by the robots: a heading, the reason and one list item per notice."""
        level = gettext(LEVEL_NAMES[self.level]) if self.level in LEVEL_NAMES else ""
        heading = f"### {self.title}"
        if level_colour and self.level:
            heading = f"### {level_colour(self.level, self.title)}"
        body = [heading, "", f"> {reason_name(self.reason)}{' · ' + level if level else ''}", ""]
        for item in self.items:
            title = f"[{item['title']}]({item['link']})" if item.get("link") else item["title"]
            body.append(f"- **{title}**" + (f"：{item['text']}" if item.get("text") else ""))
        return "\n".join(body)


def post_json(url: str, document: dict, timeout: float, headers: dict[str, str] | None = None) -> httpx.Response:
    """POST `document` as UTF-8 JSON; raises SendFailed on a network error or a non-2xx status."""
    body = json.dumps(document, ensure_ascii=False, default=str).encode("utf-8")
    return post_bytes(url, body, timeout, headers)


def post_bytes(url: str, body: bytes, timeout: float, headers: dict[str, str] | None = None) -> httpx.Response:
    """POST a prepared JSON body; raises SendFailed on a network error or a non-2xx status."""
    try:
        response = _client().post(url, content=body, timeout=timeout, headers={
            "Content-Type": "application/json; charset=utf-8", **(headers or {})})
    except httpx.TimeoutException:
        raise SendFailed("timeout") from None
    except httpx.ConnectError:
        raise SendFailed("connection failed") from None
    except httpx.HTTPError as exc:
        raise SendFailed(type(exc).__name__) from None
    if not 200 <= response.status_code < 300:
        raise SendFailed(f"HTTP {response.status_code}")
    return response


_shared: httpx.Client | None = None
_shared_lock = threading.Lock()


def _client() -> httpx.Client:
    # One pooled client for every send: building a client (and its TLS context) per request costs more than the
    # request itself. httpx clients are thread-safe.
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = httpx.Client()
        return _shared


def robot_result(response: httpx.Response) -> str:
    """DingTalk and WeCom answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; anything else is a failure."""
    try:
        answer = response.json()
    except ValueError:
        raise SendFailed("robot answer is not JSON") from None
    if answer.get("errcode") != 0:
        raise SendFailed(f"errcode {answer.get('errcode')}: {str(answer.get('errmsg', ''))[:200]}")
    return "errcode 0"
