"""The routing tree: matching, inheritance down the tree, keep_matching, quiet periods; config errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from alerts.notify.routing import routes_for
from cockpit.core.config.notifications import NotificationsConfig

TREE = {
    "receivers": {name: {"channel": "webhook", "url": f"http://127.0.0.1:9/{name}"}
                  for name in ("city_desk", "hailing_desk", "env_bureau", "leader_sms", "chengguan")},
    "route": {
        "receivers": ["city_desk"], "group_wait": "30s", "repeat_interval": "4h", "quiet_hours": ["22:00-07:00"],
        "routes": [
            {"match": {"kind": "warning", "level": ["red"]}, "receivers": ["leader_sms"], "quiet_hours": [],
             "keep_matching": True},
            {"match": {"kind": "warning", "area": "321202"}, "receivers": ["hailing_desk"], "group_by": ["area"],
             "routes": [{"match": {"domain": "生态环保"}, "receivers": ["env_bureau"], "repeat_interval": "1h"}]},
            {"match": {"kind": "task", "unit": ["dept_chengguan"]}, "receivers": ["chengguan"]},
            {"match": {"kind": "warning", "tier": ["leader"]}, "receivers": ["leader_sms"]},
        ],
    },
}


def tree():
    return NotificationsConfig.model_validate(TREE).route


def test_the_deepest_matching_node_decides_and_inherits_what_it_leaves_out():
    (route,) = routes_for(tree(), {"kind": "warning", "area": "321202001", "domain": "生态环保", "level": "yellow"})
    assert route.receivers == ("env_bureau",) and route.path == "0.1.0"
    assert route.repeat_interval == 3600  # its own
    assert route.group_by == ("area",) and route.group_wait == 30  # from its parent and the root
    assert route.quiet_hours == ("22:00-07:00",)


def test_area_matches_the_whole_subtree_and_nothing_else():
    (inside,) = routes_for(tree(), {"kind": "warning", "area": "321202003", "domain": "城市管理", "level": "blue"})
    (outside,) = routes_for(tree(), {"kind": "warning", "area": "321204001", "domain": "生态环保", "level": "blue"})
    assert inside.receivers == ("hailing_desk",)
    assert outside.receivers == ("city_desk",) and outside.path == "0"
    assert outside.group_by == ("key",) and outside.repeat_interval == 4 * 3600


def test_keep_matching_lets_later_siblings_take_the_notice_too():
    routes = routes_for(tree(), {"kind": "warning", "area": "321202001", "domain": "生态环保", "level": "red"})
    assert [r.receivers for r in routes] == [("leader_sms",), ("env_bureau",)]
    assert routes[0].quiet_hours == ()


def test_task_events_route_by_assignee_unit():
    (route,) = routes_for(tree(), {"kind": "task", "unit": "dept_chengguan", "area": "321200"})
    (other,) = routes_for(tree(), {"kind": "task", "unit": "dept_shengtai", "area": "321200"})
    assert route.receivers == ("chengguan",) and other.receivers == ("city_desk",)


@pytest.mark.parametrize(("utc_hour", "quiet"), [(13, False), (14, True), (22, True), (23, False), (1, False)])
def test_quiet_hours_are_local_time_and_may_run_past_midnight(utc_hour, quiet):
    (route,) = routes_for(tree(), {"kind": "warning", "area": "321204", "level": "yellow"})
    # Taizhou is UTC+8: 14:00 UTC is 22:00 local, 23:00 UTC is 07:00 local.
    assert route.quiet_at(datetime(2026, 11, 23, utc_hour, tzinfo=UTC), "Asia/Shanghai") is quiet


@pytest.mark.parametrize(("change", "message"), [
    ({"route": {"receivers": ["nobody"]}}, "unknown receivers: nobody"),
    ({"route": {"group_wait": "soon"}}, "must look like 30s"),
    ({"route": {"quiet_hours": ["22-07"]}}, "must look like 22:00-07:00"),
    ({"receivers": {"x": {"channel": "pager", "url": "http://h"}}}, "channel"),
    ({"receivers": {"x": {"channel": "email", "host": "h", "sender": "a@b.cn"}}}, "to"),
])
def test_config_errors_are_reported(change, message):
    with pytest.raises(ValidationError, match=message):
        NotificationsConfig.model_validate(change)


def test_unknown_units_and_areas_in_routes_fail_the_config_check(tmp_path):
    from alerts.notify.checks import check_notifications
    from cockpit import bootstrap
    from tests.conftest import write_config

    config = bootstrap.check(write_config(tmp_path))
    bad = config.model_copy(update={"notifications": NotificationsConfig.model_validate({
        "receivers": TREE["receivers"],
        "route": {"routes": [{"match": {"area": "999999", "unit": "dept_nowhere"}, "receivers": ["city_desk"]}]}})})
    issues = {(i.path, i.message.split(" / ")[0]) for i in check_notifications(bad)}
    assert issues == {("notifications.route.routes[0].match.area[0]", "未知区域"),
                      ("notifications.route.routes[0].match.unit[0]", "未知单位")}


def test_a_warning_escalated_to_the_leader_tier_reaches_the_leader():
    (route,) = routes_for(tree(), {"kind": "warning", "area": "321204", "level": "orange", "tier": "leader"})
    (before,) = routes_for(tree(), {"kind": "warning", "area": "321204", "level": "orange", "tier": "city"})
    assert route.receivers == ("leader_sms",) and before.receivers == ("city_desk",)
