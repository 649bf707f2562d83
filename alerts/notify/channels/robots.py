"""Group robots: DingTalk / 政务钉钉 custom robots (with 加签) and WeCom (企业微信) group robots.

DingTalk signing: sign = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"))), timestamp in
milliseconds, both added to the webhook URL; the robot refuses a timestamp more than an hour off. Both robots
answer HTTP 200 with {"errcode": 0, "errmsg": "ok"} on success.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

from alerts.notify.channels.base import Message, post_json, robot_result

_WECOM_COLOURS = {"red": "warning", "orange": "warning", "yellow": "comment", "blue": "info"}
WECOM_MARKDOWN_BYTES = 4096
WECOM_TEXT_BYTES = 2048


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The `sign` query value of a DingTalk robot request (already URL-encoded)."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), to_sign, digestmod=hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def send_dingtalk(receiver, message: Message, timeout: float) -> str:
    """Send a markdown (or text) message to a DingTalk robot, signed when a secret is configured."""
    url = receiver.url
    if receiver.secret is not None:
        timestamp = int(time.time() * 1000)
        sign = dingtalk_sign(receiver.secret.get_secret_value(), timestamp)
        url += ("&" if "?" in url else "?") + f"timestamp={timestamp}&sign={sign}"
    mentions = "".join(f" @{m}" for m in receiver.at_mobiles)
    if receiver.msgtype == "markdown":
        document = {"msgtype": "markdown",
                    "markdown": {"title": message.title, "text": message.markdown() + ("\n\n" + mentions if mentions
                                                                                        else "")}}
    else:
        document = {"msgtype": "text", "text": {"content": message.text() + mentions}}
    document["at"] = {"atMobiles": list(receiver.at_mobiles), "isAtAll": receiver.at_all}
    return robot_result(post_json(url, document, timeout))


def send_wecom(receiver, message: Message, timeout: float) -> str:
    """Send a markdown (or text) message to a WeCom group robot, cut to the robot's byte limits."""
    if receiver.msgtype == "markdown":
        content = _cut(message.markdown(_wecom_colour), WECOM_MARKDOWN_BYTES)
        document = {"msgtype": "markdown", "markdown": {"content": content}}
    else:
        document = {"msgtype": "text", "text": {"content": _cut(message.text(), WECOM_TEXT_BYTES),
                                                "mentioned_mobile_list": list(receiver.mentioned_mobiles)}}
    return robot_result(post_json(receiver.url, document, timeout))


def _wecom_colour(level: str, text: str) -> str:
    return f'<font color="{_WECOM_COLOURS.get(level, "comment")}">{text}</font>'


def _cut(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore") + "…"
