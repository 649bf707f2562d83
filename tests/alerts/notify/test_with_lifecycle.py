"""The real lifecycle drives the notifier: an AQI series fires a warning on 海陵区, the duty officer
acknowledges it (no repeats after), the air clears and the warning resolves — each step told once."""

from __future__ import annotations

from datetime import timedelta

from alerts import actions, evaluate, queries
from alerts.notify.jobs import Notifier
from cockpit import bootstrap
from cockpit.core.clock import FixedClock
from cockpit.core.config.notifications import NotificationsConfig
from tests.alerts.conftest import put_values, utc
from tests.alerts.notify.receivers import DINGTALK_SECRET

T0 = utc("2026-01-10 05:00")  # 13:00 in Taizhou: outside the quiet hours
HAILING = "321202"


class Officer:
    def __init__(self, user_id, role, area_code, unit_id=None):
        self.user_id, self.role, self.area_code, self.unit_id = user_id, role, area_code, unit_id


def test_fire_acknowledge_resolve_through_the_lifecycle(db, config, http):
    config = config.model_copy(update={"notifications": NotificationsConfig.model_validate({
        "receivers": {"city_desk": {"channel": "webhook", "url": f"{http.url}/desk"},
                      "hailing_robot": {"channel": "dingtalk", "secret": DINGTALK_SECRET,
                                        "url": f"{http.url}/dingtalk?access_token=robot-token"}},
        "route": {"receivers": ["city_desk"], "repeat_interval": "2h", "quiet_hours": ["22:00-07:00"], "routes": [
            {"match": {"kind": "warning"}, "receivers": ["city_desk"], "keep_matching": True},
            {"match": {"kind": "warning", "area": HAILING}, "receivers": ["hailing_robot"]}]}})})
    clock = FixedClock(T0)
    notifier = Notifier(db, config, clock, bootstrap.notification_feeds(config))

    def at(delta: timedelta) -> None:
        clock._at = T0 + delta
        evaluate.evaluate(db, config, clock.now())
        notifier.run_once()

    put_values(db, "env.aqi", "hour", HAILING, {T0 + timedelta(hours=h): 320.0 for h in range(6)})
    at(timedelta(minutes=10))  # pending: nothing to tell
    assert http.received == []
    at(timedelta(hours=2, minutes=10))  # held 2 h: orange fires
    desk, robot = http.at("/desk"), http.at("/dingtalk")
    assert [r.json()["reason"] for r in desk] == ["first"] and len(robot) == 1
    assert desk[0].json()["level"] == "orange" and "海陵区" in desk[0].json()["title"]
    assert "海陵区" in robot[0].json()["markdown"]["title"]

    wid = queries.warning_queue(db, config, HAILING, T0)["warning_id"][0]
    actions.acknowledge(db, Officer("duty_hailing", "duty_officer", HAILING), wid, "已通知生态环境局",
                        T0 + timedelta(hours=2, minutes=20))
    at(timedelta(hours=5))  # past the repeat interval: acknowledged, so no repeat
    assert len(http.at("/desk")) == 1 and len(http.at("/dingtalk")) == 1

    put_values(db, "env.aqi", "hour", HAILING, {T0 + timedelta(hours=h): 40.0 for h in range(6, 12)})
    for hours in (6, 8, 10):
        at(timedelta(hours=hours, minutes=10))
    kinds = [e.kind for e in queries.events_of(db, wid)]
    assert kinds[-1] == "resolved", kinds
    assert [r.json()["reason"] for r in http.at("/desk")] == ["first", "resolved"]
    assert len(http.at("/dingtalk")) == 2
