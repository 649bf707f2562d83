"""Configuration of notifications: receivers (a channel and its settings) and a routing tree like Alertmanager's.

A warning or task event is labelled (kind, area, domain, level, unit, priority) and walks the tree from the root:
the first child whose `match` holds takes it (and its later siblings too when `keep_matching` is set), the
deepest matching node decides. Options left out of a node are inherited from its parent.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from cockpit.core.config.base import Model

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|h|d)$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PERIOD = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
Level = Literal["blue", "yellow", "orange", "red"]


def duration_seconds(text: str) -> float:
    """`"30s"`, `"5m"`, `"4h"`, `"1d"` → seconds."""
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(f"duration {text!r} must look like 30s, 5m, 4h or 1d")
    return float(match.group(1)) * _SECONDS[match.group(2)]


def _check_duration(value: str | None) -> str | None:
    if value is not None:
        duration_seconds(value)
    return value


class WebhookReceiver(Model):
    """A generic webhook: the notification as JSON, POSTed; signed with HMAC-SHA256 of the body when a secret is set."""

    channel: Literal["webhook"]
    url: str = Field(description="Receiver URL (http or https)")
    secret: SecretStr | None = Field(default=None, description="HMAC key; the header carries `sha256=<hex>` of the body")
    signature_header: str = Field(default="X-Cockpit-Signature", description="Header that carries the signature")
    headers: dict[str, str] = Field(default_factory=dict, description="Extra request headers")


class DingTalkReceiver(Model):
    """A DingTalk / 政务钉钉 custom robot (自定义机器人), optionally with 加签 (timestamp + secret, HMAC-SHA256)."""

    channel: Literal["dingtalk"]
    url: str = Field(description="Robot webhook URL with its access_token, e.g. .../robot/send?access_token=…")
    secret: SecretStr | None = Field(default=None, description="加签 secret (SEC…); adds timestamp and sign to the URL")
    msgtype: Literal["markdown", "text"] = "markdown"
    at_mobiles: list[str] = Field(default_factory=list, description="Mobile numbers to @ in the group")
    at_all: bool = Field(default=False, description="@ everyone in the group")


class WeComReceiver(Model):
    """A WeCom (企业微信) group robot; its key in the URL is the credential (the robot has no signing)."""

    channel: Literal["wecom"]
    url: str = Field(description="Robot webhook URL, e.g. .../cgi-bin/webhook/send?key=…")
    msgtype: Literal["markdown", "text"] = "markdown"
    mentioned_mobiles: list[str] = Field(default_factory=list, description="Mobile numbers to @ (text messages)")


class EmailReceiver(Model):
    """E-mail over SMTP (optionally STARTTLS and login)."""

    channel: Literal["email"]
    host: str = Field(description="SMTP server host")
    port: int = Field(default=25, ge=1, le=65535)
    starttls: bool = Field(default=False, description="Upgrade the connection with STARTTLS before login")
    ca_file: str | None = Field(
        default=None, description="PEM file of the CA that signed the server's certificate (e.g. an intranet CA); "
                                  "the system's CAs when absent")
    username: str | None = None
    password: SecretStr | None = None
    sender: str = Field(description="From address")
    to: list[str] = Field(min_length=1, description="Recipient addresses")


class SmsReceiver(Model):
    """An SMS gateway over HTTP: a JSON body built from a template, POSTed to the gateway."""

    channel: Literal["sms"]
    url: str = Field(description="Gateway URL")
    phones: list[str] = Field(min_length=1, description="Mobile numbers")
    text: str = Field(default="{title}", description="Message template; fields: {title}, {level}, {area}, {reason}")
    max_chars: int = Field(default=300, ge=10, description="Longer texts are cut (long SMS are billed per part)")
    payload: dict[str, str] = Field(
        default_factory=lambda: {"mobiles": "{phones}", "content": "{text}"},
        description="JSON body: `{phones}` alone becomes the list of numbers, `{phones_csv}` the numbers joined by "
                    "commas, `{text}` the message",
    )
    headers: dict[str, str] = Field(default_factory=dict, description="Request headers, e.g. the gateway's token")


Receiver = WebhookReceiver | DingTalkReceiver | WeComReceiver | EmailReceiver | SmsReceiver


class RouteMatch(Model):
    """What a route takes. Every given condition must hold; an empty match takes everything."""

    kind: Literal["warning", "task"] | None = Field(default=None, description="Warnings or task events")
    area: list[str] | None = Field(default=None, description="Area codes; each takes its whole subtree (code prefix)")
    domain: list[str] | None = Field(default=None, description="Indicator or task domains, e.g. 生态环保")
    level: list[Level] | None = Field(default=None, description="Warning levels")
    unit: list[str] | None = Field(default=None, description="Assignee units of task events")
    priority: list[str] | None = Field(default=None, description="Task priorities")
    tier: list[Literal["street", "district", "city", "leader"]] | None = Field(
        default=None, description="Escalation tier a warning has reached (street → district → city → leader)")

    @field_validator("area", "domain", "level", "unit", "priority", "tier", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return [value] if isinstance(value, str) else value


class RouteConfig(Model):
    """One node of the routing tree; options left out are inherited from the parent node."""

    match: RouteMatch = Field(default_factory=RouteMatch)
    receivers: list[str] | None = Field(default=None, description="Receiver names notified by this node")
    group_by: list[str] | None = Field(
        default=None, description="Labels that make one group (one message): key, kind, rule, indicator, area, "
                                  "domain, level, unit; `key` (the default) means one warning or task per group")
    group_wait: str | None = Field(default=None, description="How long a new group waits for more members, e.g. 30s")
    repeat_interval: str | None = Field(default=None, description="Re-notify a still-firing warning this often, e.g. 4h")
    quiet_hours: list[str] | None = Field(
        default=None, description="Local periods like 22:00-07:00 when only red warnings (and urgent tasks) are sent")
    keep_matching: bool = Field(default=False, description="Also try the next siblings (Alertmanager's `continue`)")
    routes: list[RouteConfig] = Field(default_factory=list, description="Child routes, tried in order")

    @field_validator("group_wait", "repeat_interval")
    @classmethod
    def _durations(cls, value: str | None) -> str | None:
        return _check_duration(value)

    @field_validator("quiet_hours")
    @classmethod
    def _periods(cls, value: list[str] | None) -> list[str] | None:
        for text in value or []:
            if not _PERIOD.match(text):
                raise ValueError(f"quiet period {text!r} must look like 22:00-07:00")
        return value


class RetryConfig(Model):
    """Retries of failed sends: the wait doubles from `backoff` up to `max_backoff`."""

    max_attempts: int = Field(default=8, ge=1, description="Attempts before a notification is given up as failed")
    backoff: str = Field(default="30s", description="Wait before the first retry")
    max_backoff: str = Field(default="30m", description="Longest wait between retries")

    @field_validator("backoff", "max_backoff")
    @classmethod
    def _durations(cls, value: str) -> str:
        return _check_duration(value)


class NotificationsConfig(Model):
    """Notifications of warnings and task events through webhooks, robots, e-mail and SMS."""

    enabled: bool = Field(default=True, description="Send notifications (they are still recorded when off)")
    receivers: dict[str, Receiver] = Field(default_factory=dict, description="Named receivers, each one channel")
    route: RouteConfig = Field(
        default_factory=lambda: RouteConfig(receivers=[], group_by=["key"], group_wait="0s", repeat_interval="4h",
                                            quiet_hours=[]),
        description="The root of the routing tree; its options are the defaults of every node")
    retry: RetryConfig = Field(default_factory=RetryConfig)
    timeout: str = Field(default="5s", description="Time limit of one send")
    poll_seconds: int = Field(default=10, ge=1, description="How often new events are read and due sends made")
    link_base: str | None = Field(default=None, description="Public URL of the cockpit, for links in messages")

    @field_validator("timeout")
    @classmethod
    def _timeout(cls, value: str) -> str:
        return _check_duration(value)

    @model_validator(mode="after")
    def _known_receivers(self) -> NotificationsConfig:
        unknown = sorted({name for node in _nodes(self.route) for name in node.receivers or []} - set(self.receivers))
        if unknown:
            raise ValueError(f"route names unknown receivers: {', '.join(unknown)}")
        return self


def _nodes(node: RouteConfig):
    yield node
    for child in node.routes:
        yield from _nodes(child)
