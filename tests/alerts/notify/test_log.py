"""The notification log: duty officers and center operators see their area's notifications only."""

from __future__ import annotations

import pytest

from alerts.notify import queries
from cockpit.core.store import User
from tests.alerts.notify.conftest import JIANGYAN, STREET, notifier, warning_event, with_notifications


def person(role: str, area: str) -> User:
    return User(f"{role}-{area}", "测试", role, None, area, None, False, 0, None, False)


def test_each_reader_sees_the_notifications_of_their_area(rt, http):
    cfg = {"receivers": {"desk": {"channel": "webhook", "url": f"{http.url}/desk"}}, "route": {"receivers": ["desk"]}}
    http.fail["/desk"] = [500]
    warning_event(rt, "firing", "yellow", area=STREET)
    warning_event(rt, "firing", "orange", area=JIANGYAN)
    notifier(rt, with_notifications(rt, cfg)).run_once()

    city = queries.notification_log(rt.db, person("duty_officer", "321200"))
    hailing = queries.notification_log(rt.db, person("center_operator", "321202"))
    street = queries.notification_log(rt.db, person("duty_officer", STREET))
    assert {r["area_code"] for r in city} == {STREET, JIANGYAN}
    assert [r["area_code"] for r in hailing] == [STREET] and [r["area_code"] for r in street] == [STREET]
    assert queries.status_counts(rt.db, person("duty_officer", "321200")) == {"sent": 1, "pending": 1}
    failed_first = queries.notification_log(rt.db, person("duty_officer", "321200"), status="pending")
    assert [(r["receiver"], r["result"]) for r in failed_first] == [("desk", "HTTP 500")]


@pytest.mark.parametrize("role", ["handler", "leader", "admin", "auditor"])
def test_other_roles_may_not_read_the_log(rt, role):
    with pytest.raises(queries.NotAllowed):
        queries.notification_log(rt.db, person(role, "321200"))
