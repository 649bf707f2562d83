"""MQTT connector: subscribes (QoS 1, persistent session) to device readings and status as JSON payloads.

Each run connects with a fixed client id and `clean_session=False`, so the broker keeps messages that
arrive between runs. Messages are acknowledged only after their batch is committed (manual ack): a run
killed mid-way gets them again next time, and the keyed upsert absorbs the repeat.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

import polars as pl
from pydantic import Field, SecretStr

from connectors.base import Batch, Connector, FetchContext, Reject, Settings, register
from connectors.errors import ConfigError, TransientError
from connectors.jsontext import as_text, at_path


class MqttSettings(Settings):
    """Settings of an `mqtt` source."""

    host: str = "127.0.0.1"
    port: int = 1883
    topics: list[str] = Field(min_length=1, description="Topic filters, e.g. `city/air/+/reading`")
    qos: int = Field(default=1, ge=0, le=2)
    client_id: str | None = Field(default=None, description="Defaults to cockpit-<source id>; keep it stable")
    username: str | None = None
    password: SecretStr | None = None
    fields: dict[str, str] = Field(default_factory=dict, description="Dataset column → dotted path in the payload")
    topic_field: str | None = Field(default=None, description="Dataset column to hold the message topic")
    listen_seconds: float = Field(default=10.0, gt=0, description="How long one run collects messages")
    idle_seconds: float = Field(default=2.0, gt=0, description="End the run early after this long without messages")
    batch_size: int = Field(default=1000, ge=1, description="Messages per flush")
    max_messages: int = Field(default=100_000, ge=1)


@register
class Mqtt(Connector):
    """Collects JSON messages from an MQTT broker and flushes them in batches."""

    kind = "mqtt"
    settings = MqttSettings

    def fetch(self, settings: MqttSettings, ctx: FetchContext) -> Iterator[Batch]:
        """Yield batches of messages received during the listening window."""
        client, inbox = _connect(settings, ctx)
        try:
            started = last = time.monotonic()
            buffer: list = []
            taken = 0
            while taken < settings.max_messages:
                now = time.monotonic()
                if now - started >= settings.listen_seconds or now - last >= settings.idle_seconds:
                    break
                try:
                    msg = inbox.get(timeout=0.05)
                except queue.Empty:
                    continue
                last = time.monotonic()
                buffer.append(msg)
                taken += 1
                if len(buffer) >= settings.batch_size:
                    yield _batch(buffer, settings, client)
                    buffer = []
            if buffer:
                yield _batch(buffer, settings, client)
        finally:
            client.disconnect()       # sends DISCONNECT through the running network loop
            client.loop_stop()


def _connect(settings: MqttSettings, ctx: FetchContext):
    import paho.mqtt.client as mqtt

    inbox: queue.Queue = queue.Queue()
    ready = threading.Event()
    outcome: dict[str, Any] = {}
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=settings.client_id or f"cockpit-{ctx.source_id}",
                         clean_session=False, protocol=mqtt.MQTTv311, manual_ack=True)
    if settings.username:
        client.username_pw_set(settings.username, settings.password.get_secret_value() if settings.password else None)
    client.reconnect_delay_set(1, 30)

    def on_connect(c, _userdata, _flags, reason, _props):
        outcome["reason"] = reason
        if not reason.is_failure:
            c.subscribe([(t, settings.qos) for t in settings.topics])
        ready.set()

    client.on_connect = on_connect
    client.on_message = lambda _c, _u, msg: inbox.put((msg.mid, msg.qos, msg.topic, msg.payload))
    where = f"mqtt://{settings.host}:{settings.port}"
    try:
        client.connect(settings.host, settings.port, keepalive=30)
    except OSError as exc:
        raise TransientError(f"无法连接消息服务器 {where}：{exc.strerror or exc}") from None
    client.loop_start()
    if not ready.wait(ctx.timeout_seconds):
        client.loop_stop()
        raise TransientError(f"连接消息服务器 {where} 超时")
    reason = outcome["reason"]
    if reason.is_failure:
        client.loop_stop()
        text = str(reason)
        if "authori" in text.lower() or "password" in text.lower() or "identifier" in text.lower():
            raise ConfigError(f"消息服务器 {where} 拒绝连接：{text}，请检查用户名、密码或客户端标识")
        raise TransientError(f"消息服务器 {where} 拒绝连接：{text}")
    return client, inbox


def _batch(messages: list, settings: MqttSettings, client) -> Batch:
    rows: list[dict[str, str | None]] = []
    rejects: list[Reject] = []
    for _mid, _qos, topic, payload in messages:
        try:
            data = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raw = json.dumps({"topic": topic, "payload": payload.decode("utf-8", "replace")[:4000]}, ensure_ascii=False)
            rejects.append(Reject(raw, f"主题 {topic} 的消息不是有效的 JSON，已隔离"))
            continue
        for item in data if isinstance(data, list) else [data]:
            row = ({c: as_text(at_path(item, p)) for c, p in settings.fields.items()} if settings.fields
                   else {k: as_text(v) for k, v in item.items()} if isinstance(item, dict) else {})
            if settings.topic_field:
                row[settings.topic_field] = topic
            rows.append(row)
    columns = list(dict.fromkeys(k for r in rows for k in r))
    frame = pl.DataFrame({c: pl.Series(c, [r.get(c) for r in rows], dtype=pl.String) for c in columns})

    def ack() -> None:
        for mid, qos, _topic, _payload in messages:
            if qos > 0:
                client.ack(mid, qos)

    return Batch(frame, None, rejects, on_commit=ack)
