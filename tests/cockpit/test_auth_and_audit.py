"""Accounts, sessions and the audit chain, through the public functions on a real DuckDB file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cockpit import bootstrap
from cockpit.auth import sessions
from cockpit.auth.users import UserError, create_user
from cockpit.core import audit, store
from cockpit.core.audit import Actor
from cockpit.core.clock import FixedClock
from tests.conftest import write_config

POLICY = sessions.SessionPolicy(idle_minutes=30, max_hours=12, lock_after_failures=3, lock_minutes=15)


@pytest.fixture
def rt(tmp_path):
    clock = FixedClock(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    return bootstrap.open_runtime(write_config(tmp_path), clock=clock)


def test_login_session_expiry_and_logout(rt):
    pw = create_user(rt.db, Actor("t"), "duty1", "值班员", "duty_officer", "321202", "center_321202", clock=rt.clock)
    stored = rt.db.one("select password_hash from users where user_id = 'duty1'")[0]
    assert stored.startswith("$argon2") and pw not in stored
    result = sessions.login(rt.db, "duty1", pw, "127.0.0.1", POLICY, rt.clock)
    assert result.token and sessions.resolve(rt.db, result.token, POLICY, rt.clock).user.user_id == "duty1"
    rt.clock.advance(minutes=31)
    assert sessions.resolve(rt.db, result.token, POLICY, rt.clock) is None  # idle timeout
    again = sessions.login(rt.db, "duty1", pw, "127.0.0.1", POLICY, rt.clock)
    sessions.logout(rt.db, again.token, "127.0.0.1", rt.clock)
    assert sessions.resolve(rt.db, again.token, POLICY, rt.clock) is None  # a captured cookie is useless


def test_lockout_and_same_message_for_unknown_user(rt):
    pw = create_user(rt.db, Actor("t"), "leader1", "市领导", "leader", "321200", clock=rt.clock)
    unknown = sessions.login(rt.db, "nobody", "x", None, POLICY, rt.clock)
    wrong = sessions.login(rt.db, "leader1", "x", None, POLICY, rt.clock)
    assert unknown.reason == wrong.reason == sessions.BAD_CREDENTIALS
    for _ in range(2):
        sessions.login(rt.db, "leader1", "x", None, POLICY, rt.clock)
    assert sessions.login(rt.db, "leader1", pw, None, POLICY, rt.clock).reason == sessions.LOCKED
    rt.clock.advance(minutes=16)
    assert sessions.login(rt.db, "leader1", pw, None, POLICY, rt.clock).token


def test_user_validation(rt):
    with pytest.raises(UserError):
        create_user(rt.db, Actor("t"), "h1", "处置", "handler", "321200", clock=rt.clock)  # no unit
    with pytest.raises(UserError):
        create_user(rt.db, Actor("t"), "x1", "某人", "leader", "999999", clock=rt.clock)
    with pytest.raises(UserError):
        create_user(rt.db, Actor("t"), "x2", "某人", "leader", "321200", password="short", clock=rt.clock)


def test_audit_chain_detects_edit_and_delete(rt):
    for i in range(5):
        audit.audit(rt.db, Actor("u", "10.0.0.1"), "test.action", f"obj:{i}", {"n": i}, clock=rt.clock)
    assert audit.verify(rt.db) == []
    rt.db.cursor().execute("update audit_log set detail = '{\"n\": 9}' where seq = 2")
    assert any("2" in p for p in audit.verify(rt.db))
    rt.db.cursor().execute("delete from audit_log where seq = 4")
    assert len(audit.verify(rt.db)) >= 2


def test_area_scope_by_division_code(rt):
    inside = {a.code for a in store.areas(rt.db, within="321202")}
    assert "321202001" in inside and "321203001" not in inside
    assert len(store.areas(rt.db, within="321200", level="street")) == 88
