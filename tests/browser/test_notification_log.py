"""The notification log page: a duty officer reads it in the navigation; a handler is refused."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_duty_officer_reads_the_notification_log(live_server, visit):
    base, logins = live_server
    v = visit()
    login(v, base, "duty_hailing", logins["duty_hailing"])
    v.page.click("#main-nav >> text=通知记录")
    v.page.wait_for_selector("#notify-counts")
    assert "通知记录" in v.page.inner_text(".page-title")
    counts = v.page.inner_text("#notify-counts")
    for label in ("待发送", "已发送", "发送失败", "已暂缓"):
        assert label in counts
    assert v.errors == [] and v.external == []


def test_handler_is_refused(live_server, visit):
    base, logins = live_server
    v = visit()
    login(v, base, "handler_chengguan", logins["handler_chengguan"])
    response = v.page.goto(f"{base}/notifications")
    assert response.status == 403
