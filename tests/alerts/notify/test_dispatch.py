"""The notifier end to end against real local receivers: reasons, grouping, repeats, quiet hours, retries with
backoff, dead receivers, and task events to the assignee unit."""

from __future__ import annotations

import socket
import threading
import uuid

from alerts.notify import store
from cockpit.auth.users import create_user
from cockpit.core import store as core_store
from cockpit.core.audit import Actor
from cockpit.core.clock import FixedClock
from cockpit.tasks.dispatch import dispatch
from tests.alerts.notify.conftest import (
    HAILING,
    JIANGYAN,
    MONDAY_10AM,
    STREET,
    notifications,
    notifier,
    warning_event,
    with_notifications,
)
from tests.alerts.notify.receivers import DINGTALK_SECRET


def settings(http, route: dict | None = None, **extra) -> dict:
    return {"receivers": {"desk": {"channel": "webhook", "url": f"{http.url}/desk"},
                          "robot": {"channel": "dingtalk", "url": f"{http.url}/dingtalk?access_token=robot-token",
                                    "secret": DINGTALK_SECRET}},
            "retry": {"backoff": "30s", "max_backoff": "5m", "max_attempts": 3}, "timeout": "2s",
            "route": {"receivers": ["desk"], **(route or {})}, **extra}


def test_a_warning_is_told_when_it_fires_changes_level_and_resolves(rt, http):
    run = notifier(rt, with_notifications(rt, settings(http))).run_once
    w = warning_event(rt, "firing", "yellow")
    run()
    warning_event(rt, "level_up", "orange", warning=w, from_state="firing", prev_level="yellow")
    warning_event(rt, "pending", "yellow", from_state="inactive", to_state="pending")  # not news
    run()
    warning_event(rt, "resolved", "orange", warning=w, from_state="firing", to_state="resolved")
    run()
    bodies = [r.json() for r in http.at("/desk")]
    assert [b["reason"] for b in bodies] == ["first", "level_changed", "resolved"]
    assert bodies[0]["title"] == "【黄色预警】城东街道 · 空气质量指数AQI"
    assert bodies[1]["title"] == "【橙色预警】城东街道 · 空气质量指数AQI（原为黄色）"
    assert bodies[2]["title"] == "【已解除】城东街道 · 空气质量指数AQI"
    assert bodies[0]["items"][0]["text"] == "持续2小时高于阈值; 数值 168; 阈值 150"
    rows = notifications(rt)
    assert [(n["reason"], n["status"], n["attempts"], n["result"]) for n in rows] == [
        ("first", "sent", 1, "HTTP 200"), ("level_changed", "sent", 1, "HTTP 200"), ("resolved", "sent", 1, "HTTP 200")]
    assert rows[1]["level"] == "orange" and rows[1]["area_code"] == STREET and rows[1]["receiver"] == "desk"


def test_a_resolution_is_told_only_to_those_who_heard_the_warning_fire(rt, http):
    run = notifier(rt, with_notifications(rt, settings(http))).run_once
    warning_event(rt, "resolved", "yellow", from_state="firing", to_state="resolved")  # fired before any route
    warning_event(rt, "firing", "blue", silenced=True)  # covered by a silence: not sent
    run()
    assert http.received == [] and notifications(rt) == []


def test_repeat_interval_until_acknowledged(rt, http):
    run = notifier(rt, with_notifications(rt, settings(http, {"repeat_interval": "4h"}))).run_once
    w = warning_event(rt, "firing", "orange")
    run()
    rt.clock.advance(hours=3, minutes=59)
    run()
    assert len(http.at("/desk")) == 1
    rt.clock.advance(minutes=1)
    run()
    assert [r.json()["reason"] for r in http.at("/desk")] == ["first", "repeat"]
    warning_event(rt, "acknowledged", "orange", warning=w, from_state="firing", to_state="acknowledged")
    rt.clock.advance(hours=5)
    run()
    assert len(http.at("/desk")) == 2


def test_grouping_waits_and_sends_one_message_per_group(rt, http):
    cfg = settings(http, {"group_by": ["indicator"], "group_wait": "30s"})
    run = notifier(rt, with_notifications(rt, cfg)).run_once
    warning_event(rt, "firing", "yellow", area=STREET)
    run()
    rt.clock.advance(seconds=10)
    warning_event(rt, "firing", "orange", area=JIANGYAN)
    warning_event(rt, "firing", "yellow", area=HAILING, indicator="hotline.volume", domain="12345热线")
    run()
    assert http.received == []
    rt.clock.advance(seconds=20)
    run()
    (group,) = (r.json() for r in http.at("/desk"))
    assert group["count"] == 2 and group["level"] == "orange"  # the most severe member
    rt.clock.advance(seconds=10)  # the other indicator's group started 10 s later
    run()
    assert [r.json()["count"] for r in http.at("/desk")] == [2, 1]
    (two,) = [n for n in notifications(rt) if n["item_count"] == 2]
    assert two["area_code"] == "321200"  # the area holding both: visible to the city, not to one district


def test_quiet_hours_hold_back_all_but_red(rt, http):
    cfg = settings(http, {"quiet_hours": ["22:00-07:00"], "repeat_interval": "12h"})
    rt.clock = FixedClock(MONDAY_10AM.replace(hour=15))  # 23:00 in Taizhou
    run = notifier(rt, with_notifications(rt, cfg)).run_once
    warning_event(rt, "firing", "yellow")
    warning_event(rt, "firing", "red", area=JIANGYAN)
    run()
    assert [r.json()["level"] for r in http.at("/desk")] == ["red"]
    assert {(n["level"], n["status"]) for n in notifications(rt)} == {("yellow", "suppressed"), ("red", "sent")}
    rt.clock.advance(hours=7)  # 06:00: still quiet
    run()
    assert len(http.at("/desk")) == 1
    rt.clock.advance(hours=1)  # 07:00: the held-back warning goes out once
    run()
    run()
    assert [(r.json()["level"], r.json()["reason"]) for r in http.at("/desk")] == [("red", "first"),
                                                                                   ("yellow", "first")]


def test_a_failed_send_is_retried_with_backoff_then_succeeds(rt, http):
    run = notifier(rt, with_notifications(rt, settings(http))).run_once
    http.fail["/desk"] = [500, 503]
    warning_event(rt, "firing", "yellow")
    run()
    (row,) = notifications(rt)
    assert (row["status"], row["attempts"], row["result"]) == ("pending", 1, "HTTP 500")
    assert row["due_at"] == MONDAY_10AM.replace(second=30)
    rt.clock.advance(seconds=29)
    run()
    assert notifications(rt)[0]["attempts"] == 1
    rt.clock.advance(seconds=1)
    run()  # second attempt: 503; the wait doubles to 60 s
    assert notifications(rt)[0]["result"] == "HTTP 503"
    rt.clock.advance(seconds=60)
    run()
    (row,) = notifications(rt)
    assert (row["status"], row["attempts"], row["result"]) == ("sent", 3, "HTTP 200")
    assert len(http.at("/desk")) == 1


def test_sends_give_up_after_the_last_attempt(rt, http):
    run = notifier(rt, with_notifications(rt, settings(http))).run_once
    http.fail["/desk"] = [500] * 10
    warning_event(rt, "firing", "yellow")
    for _ in range(6):
        run()
        rt.clock.advance(minutes=5)
    (row,) = notifications(rt)
    assert (row["status"], row["attempts"]) == ("failed", 3)
    assert len(http.fail["/desk"]) == 7


class BlackHole:
    """A TCP server that accepts connections and never answers (a hung receiver)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.connected = threading.Event()
        self.conns = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            self.connected.set()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"


def test_dead_and_hung_receivers_do_not_hold_up_others_or_the_lifecycle(rt, http):
    hole = BlackHole()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    dead_url = f"http://127.0.0.1:{closed.getsockname()[1]}/hook"
    closed.close()
    cfg = settings(http, {"receivers": ["hung", "dead", "desk"]})
    cfg["receivers"] |= {"hung": {"channel": "webhook", "url": hole.url},
                         "dead": {"channel": "webhook", "url": dead_url}}
    run = notifier(rt, with_notifications(rt, cfg)).run_once
    warning_event(rt, "firing", "orange")
    worker = threading.Thread(target=run)
    worker.start()
    assert hole.connected.wait(5)
    warning_event(rt, "firing", "yellow", area=JIANGYAN)  # the lifecycle writes while a send hangs
    assert worker.is_alive()
    worker.join(10)
    assert len(http.at("/desk")) == 1
    results = {n["receiver"]: (n["status"], n["result"]) for n in notifications(rt)}
    assert results == {"desk": ("sent", "HTTP 200"), "dead": ("pending", "connection failed"),
                       "hung": ("pending", "timeout")}
    hole.sock.close()


def officer(rt):
    if core_store.user(rt.db, "duty_notify") is None:
        create_user(rt.db, Actor("test"), "duty_notify", "值班员", "duty_officer", "321200", "dept_chengyun",
                    password="Correct-Horse-42-battery", must_change_password=False)
    return core_store.user(rt.db, "duty_notify")


def new_task(rt, title: str, priority: str | None = None) -> None:
    dispatch(rt.db, rt.config, officer(rt), origin="manual", origin_id=uuid.uuid4().hex, to_unit="dept_chengguan",
             title=title, body="凤凰河段发现大量漂浮物", area_code=HAILING, now=rt.clock.now(), priority=priority)


def test_task_events_reach_the_assignee_unit(rt, http):
    cfg = settings(http, {"routes": [{"match": {"kind": "task", "unit": "dept_chengguan"}, "receivers": ["robot"]}]})
    run = notifier(rt, with_notifications(rt, cfg)).run_once
    new_task(rt, "河道漂浮物清理")
    run()
    (req,) = http.at("/dingtalk")
    doc = req.json()
    assert "河道漂浮物清理" in doc["markdown"]["title"]
    (row,) = notifications(rt)
    assert (row["kind"], row["reason"], row["unit_id"], row["status"]) == ("task", "task.dispatch",
                                                                           "dept_chengguan", "sent")
    run()
    assert len(http.at("/dingtalk")) == 1
    assert store.cursor(rt.db, "tasks") > 0


def test_escalation_names_the_new_tier(rt, http):
    run = notifier(rt, with_notifications(rt, settings(http))).run_once
    w = warning_event(rt, "firing", "orange", area=HAILING)
    warning_event(rt, "escalated", "orange", warning=w, area=HAILING, from_state="firing", tier="city")
    run()
    assert [r.json()["reason"] for r in http.at("/desk")] == ["first,escalated"]  # one warning, one message
    assert http.at("/desk")[0].json()["items"][1]["title"] == "【橙色预警】已升级至市级值班台：海陵区 · 空气质量指数AQI"


def test_at_night_only_urgent_tasks_go_out(rt, http):
    cfg = settings(http, {"quiet_hours": ["22:00-07:00"]})
    rt.clock = FixedClock(MONDAY_10AM.replace(hour=16))  # 00:00 in Taizhou
    run = notifier(rt, with_notifications(rt, cfg)).run_once
    new_task(rt, "路灯不亮", priority="normal")
    new_task(rt, "燃气管道泄漏", priority="urgent")
    run()
    assert [r.json()["title"] for r in http.at("/desk")] == ["新任务：燃气管道泄漏"]
    assert {(n["title"], n["status"], n["result"]) for n in notifications(rt)} == {
        ("新任务：路灯不亮", "suppressed", "quiet hours"), ("新任务：燃气管道泄漏", "sent", "HTTP 200")}


def test_switched_off_notifications_are_recorded_not_sent(rt, http):
    run = notifier(rt, with_notifications(rt, settings(http, enabled=False))).run_once
    warning_event(rt, "firing", "red")
    run()
    assert http.received == []
    assert [(n["status"], n["result"]) for n in notifications(rt)] == [("suppressed", "notifications disabled")]
