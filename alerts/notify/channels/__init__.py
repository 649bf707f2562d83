"""Channels: how one rendered notification reaches one receiver. Each channel is a function `send(receiver,
message, timeout)` that returns a short result or raises `SendFailed` with a reason free of secrets."""

from __future__ import annotations

from collections.abc import Callable

from alerts.notify.channels.base import Message, SendFailed
from alerts.notify.channels.email import send_email
from alerts.notify.channels.robots import send_dingtalk, send_wecom
from alerts.notify.channels.web import send_sms, send_webhook

SENDERS: dict[str, Callable[..., str]] = {
    "webhook": send_webhook, "dingtalk": send_dingtalk, "wecom": send_wecom, "email": send_email, "sms": send_sms,
}


def send(receiver, message: Message, timeout: float) -> str:
    """Send `message` through the receiver's channel; returns a short result, raises SendFailed."""
    return SENDERS[receiver.channel](receiver, message, timeout)


__all__ = ["SENDERS", "Message", "SendFailed", "send"]
