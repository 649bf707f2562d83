"""Each channel against a real local receiver: the bodies and signatures the real robots and servers check."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from alerts.notify.channels import Message, SendFailed, send
from cockpit.core.config.notifications import NotificationsConfig
from tests.alerts.notify.receivers import DINGTALK_SECRET, WECOM_KEY

ITEM = {"kind": "warning", "key": "W-1", "event_id": 7, "reason": "first", "at": "2026-11-23T02:00:00+00:00",
        "labels": {"kind": "warning", "area": "321202001", "level": "orange", "domain": "生态环保"},
        "title": "【橙色】空气质量指数 · 城东街道", "text": "持续2小时高于阈值; 数值 168", "link": None, "extra": {}}
MESSAGE = Message(notification_id=42, receiver="r", reason="first", title=ITEM["title"], level="orange",
                  items=[ITEM])


def receiver(settings: dict):
    return NotificationsConfig.model_validate({"receivers": {"r": settings}}).receivers["r"]


def test_webhook_posts_the_document_signed_over_timestamp_and_body(http):
    rcv = receiver({"channel": "webhook", "url": f"{http.url}/hook", "secret": "s3cret"})
    assert send(rcv, MESSAGE, 5) == "HTTP 200"
    (req,) = http.at("/hook")
    doc = req.json()
    assert doc["notification_id"] == 42 and doc["items"][0]["title"] == ITEM["title"] and doc["count"] == 1
    stamp = req.headers["X-Cockpit-Timestamp"]
    expected = hmac.new(b"s3cret", stamp.encode() + b"." + req.body, hashlib.sha256).hexdigest()
    assert req.headers["X-Cockpit-Signature"] == f"sha256={expected}"


def test_unsigned_webhook_has_no_signature_and_a_500_is_a_failure(http):
    rcv = receiver({"channel": "webhook", "url": f"{http.url}/plain", "headers": {"X-Tenant": "taizhou"}})
    http.fail["/plain"] = [500]
    with pytest.raises(SendFailed, match="HTTP 500"):
        send(rcv, MESSAGE, 5)
    send(rcv, MESSAGE, 5)
    (req,) = http.at("/plain")
    assert "X-Cockpit-Signature" not in req.headers and req.headers["X-Tenant"] == "taizhou"


def test_dingtalk_markdown_is_signed_as_the_robot_checks_it(http):
    rcv = receiver({"channel": "dingtalk", "url": f"{http.url}/dingtalk?access_token=robot-token",
                    "secret": DINGTALK_SECRET, "at_mobiles": ["13800001111"]})
    assert send(rcv, MESSAGE, 5) == "errcode 0"
    (req,) = http.at("/dingtalk")
    doc = req.json()
    assert doc["msgtype"] == "markdown" and doc["markdown"]["title"] == ITEM["title"]
    assert ITEM["title"] in doc["markdown"]["text"] and "@13800001111" in doc["markdown"]["text"]
    assert doc["at"] == {"atMobiles": ["13800001111"], "isAtAll": False}


def test_dingtalk_with_the_wrong_secret_is_refused_by_the_robot(http):
    rcv = receiver({"channel": "dingtalk", "url": f"{http.url}/dingtalk?access_token=robot-token",
                    "secret": "SECnot-the-robots-secret"})
    with pytest.raises(SendFailed, match="errcode 310000"):
        send(rcv, MESSAGE, 5)
    assert http.at("/dingtalk") == []


def test_dingtalk_text_message(http):
    rcv = receiver({"channel": "dingtalk", "url": f"{http.url}/dingtalk?access_token=robot-token",
                    "secret": DINGTALK_SECRET, "msgtype": "text", "at_all": True})
    send(rcv, MESSAGE, 5)
    doc = http.at("/dingtalk")[0].json()
    assert doc["msgtype"] == "text" and doc["text"]["content"].startswith(ITEM["title"])
    assert doc["at"]["isAtAll"] is True


def test_wecom_markdown_and_text_within_the_robot_limits(http):
    url = f"{http.url}/wecom/cgi-bin/webhook/send?key={WECOM_KEY}"
    send(receiver({"channel": "wecom", "url": url}), MESSAGE, 5)
    big = Message(1, "r", "first", "长" * 10, "red", [{**ITEM, "text": "很长的说明" * 600}])
    send(receiver({"channel": "wecom", "url": url, "msgtype": "text", "mentioned_mobiles": ["13800001111"]}),
         big, 5)
    markdown, text = (r.json() for r in http.at("/wecom/cgi-bin/webhook/send"))
    assert markdown["msgtype"] == "markdown" and '<font color="warning">' in markdown["markdown"]["content"]
    assert text["text"]["mentioned_mobile_list"] == ["13800001111"]
    assert len(text["text"]["content"].encode()) <= 2048


def test_wecom_with_a_wrong_key_fails(http):
    rcv = receiver({"channel": "wecom", "url": f"{http.url}/wecom/cgi-bin/webhook/send?key=wrong"})
    with pytest.raises(SendFailed, match="errcode 93000"):
        send(rcv, MESSAGE, 5)


def test_sms_gateway_gets_the_numbers_and_the_cut_text(http):
    rcv = receiver({"channel": "sms", "url": f"{http.url}/sms", "phones": ["13800001111", "13900002222"],
                    "text": "【泰州城运】{title}", "max_chars": 20,
                    "payload": {"mobiles": "{phones}", "to": "{phones_csv}", "content": "{text}", "sign": "泰州城运"},
                    "headers": {"Authorization": "Bearer gateway-token"}})
    send(rcv, MESSAGE, 5)
    (req,) = http.at("/sms")
    doc = req.json()
    assert doc["mobiles"] == ["13800001111", "13900002222"] and doc["to"] == "13800001111,13900002222"
    assert doc["content"] == ("【泰州城运】" + ITEM["title"])[:20] and doc["sign"] == "泰州城运"
    assert req.headers["Authorization"] == "Bearer gateway-token"


def test_email_reaches_the_smtp_server(smtp):
    rcv = receiver({"channel": "email", "host": "127.0.0.1", "port": smtp.port, "sender": "cockpit@taizhou.gov.cn",
                    "to": ["duty@taizhou.gov.cn", "leader@taizhou.gov.cn"]})
    assert send(rcv, MESSAGE, 5) == "SMTP accepted"
    mail = smtp.mails[-1]
    assert mail["to"] == ["duty@taizhou.gov.cn", "leader@taizhou.gov.cn"]
    assert mail["mail"]["Subject"] == ITEM["title"]
    assert "持续2小时高于阈值" in mail["mail"].get_content()


def test_unreachable_servers_fail_without_naming_the_url():
    from tests.conftest import free_port

    port = free_port()
    rcv = receiver({"channel": "dingtalk", "url": f"http://127.0.0.1:{port}/x?access_token=very-secret"})
    with pytest.raises(SendFailed) as failed:
        send(rcv, MESSAGE, 2)
    assert str(failed.value) == "connection failed" and "very-secret" not in str(failed.value)
    mail = receiver({"channel": "email", "host": "127.0.0.1", "port": port, "sender": "a@b.cn", "to": ["c@d.cn"]})
    with pytest.raises(SendFailed, match="SMTP"):
        send(mail, MESSAGE, 2)


def test_email_over_starttls_with_login_trusting_the_intranet_ca(tmp_path):
    from tests.alerts.notify.receivers import self_signed_certificate, start_tls_smtp_receiver
    from tests.conftest import free_port

    cert, key = self_signed_certificate(tmp_path)
    server = start_tls_smtp_receiver(free_port(), cert, key, "cockpit", "mail-pass")
    try:
        settings = {"channel": "email", "host": "127.0.0.1", "port": server.port, "starttls": True,
                    "username": "cockpit", "password": "mail-pass", "sender": "cockpit@taizhou.gov.cn",
                    "to": ["duty@taizhou.gov.cn"]}
        with pytest.raises(SendFailed, match="TLS"):  # the system's CAs do not know the intranet CA
            send(receiver(settings), MESSAGE, 5)
        assert send(receiver({**settings, "ca_file": cert}), MESSAGE, 5) == "SMTP accepted"
        with pytest.raises(SendFailed, match="SMTP"):  # refused login (the server may also hang up)
            send(receiver({**settings, "ca_file": cert, "password": "wrong"}), MESSAGE, 5)
        (mail,) = server.mails
        assert mail["tls"] and mail["login"] == "cockpit" and mail["mail"]["Subject"] == ITEM["title"]
    finally:
        server.controller.stop()
