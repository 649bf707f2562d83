"""A test deployment with a user per role and unit relation the task rules care about."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cockpit import bootstrap
from cockpit.auth.users import create_user
from cockpit.core import store
from cockpit.core.audit import Actor
from cockpit.core.clock import FixedClock
from tests.conftest import write_config

# Monday 23 November 2026, 09:00 in Taizhou (a working day).
MONDAY_9AM = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
STREET = "321202001"  # a street of 海陵区

# (user id, role, area, unit)
USERS = [
    ("duty_city", "duty_officer", "321200", "dept_chengyun"),
    ("operator_city", "center_operator", "321200", "dept_chengyun"),
    ("duty_hailing", "duty_officer", "321202", "center_321202"),
    ("operator_hailing", "center_operator", "321202", "center_321202"),
    ("operator_jiangyan", "center_operator", "321204", "center_321204"),
    ("street_op", "center_operator", STREET, f"center_{STREET}"),
    ("street_duty2", "duty_officer", "321202002", "center_321202002"),
    ("leader_mayor", "leader", "321200", None),
    ("leader_hailing", "leader", "321202", None),
    ("handler_chengguan", "handler", "321200", "dept_chengguan"),
    ("handler_shengtai", "handler", "321200", "dept_shengtai"),
    ("admin1", "admin", "321200", None),
    ("auditor1", "auditor", "321200", None),
]


def make_runtime(folder, at: datetime = MONDAY_9AM):
    """A migrated runtime in `folder` with every test user."""
    rt = bootstrap.open_runtime(write_config(folder), clock=FixedClock(at))
    for user_id, role, area, unit in USERS:
        create_user(rt.db, Actor("test"), user_id, user_id, role, area, unit, password="Correct-Horse-42-battery",
                    must_change_password=False)
    return rt


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    """A deployment per test module whose clock stands at Monday 09:00 (tests make their own tasks)."""
    runtime = make_runtime(tmp_path_factory.mktemp("tasks"))
    yield runtime
    runtime.db.close()


@pytest.fixture(scope="module")
def users(rt):
    """{user id: User}."""
    return {u.user_id: u for u in store.users(rt.db)}
