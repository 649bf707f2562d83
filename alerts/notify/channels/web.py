"""The generic webhook (signed JSON) and the HTTP SMS gateway."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from alerts.notify.channels.base import Message, post_bytes, post_json


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, timestamp + "." + body): receivers recompute it to trust the body."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def send_webhook(receiver, message: Message, timeout: float) -> str:
    """POST the notification document; with a secret, sign it (timestamp header + signature header)."""
    body = json.dumps(message.payload(), ensure_ascii=False, default=str).encode("utf-8")
    headers = dict(receiver.headers)
    if receiver.secret is not None:
        timestamp = str(int(time.time()))
        headers["X-Cockpit-Timestamp"] = timestamp
        headers[receiver.signature_header] = webhook_signature(receiver.secret.get_secret_value(), timestamp, body)
    response = post_bytes(receiver.url, body, timeout, headers)
    return f"HTTP {response.status_code}"


def send_sms(receiver, message: Message, timeout: float) -> str:
    """Fill the gateway's JSON template with the numbers and the (cut) text and POST it."""
    first = message.items[0] if message.items else {}
    text = receiver.text.format_map(_Fields(title=message.title, level=message.level or "",
                                            area=first.get("labels", {}).get("area", ""), reason=message.reason))
    text = text[: receiver.max_chars]
    document = {}
    for key, template in receiver.payload.items():
        if template == "{phones}":
            document[key] = list(receiver.phones)
        else:
            document[key] = template.format_map(_Fields(phones_csv=",".join(receiver.phones), text=text))
    response = post_json(receiver.url, document, timeout, dict(receiver.headers))
    return f"HTTP {response.status_code}"


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
