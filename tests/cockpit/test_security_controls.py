"""MLPS level-3 identity controls through the public auth functions (real DuckDB file, injected clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from cockpit import bootstrap
from cockpit.auth import sessions, totp
from cockpit.auth.ratelimit import AttemptLimiter
from cockpit.auth.users import UserError, change_password, create_user, reset_password, update_account
from cockpit.core import store
from cockpit.core.audit import Actor
from cockpit.core.clock import FixedClock
from tests.conftest import write_config


@pytest.fixture
def rt(tmp_path):
    return bootstrap.open_runtime(write_config(tmp_path), clock=FixedClock(datetime(2026, 11, 23, 8, tzinfo=UTC)))


def policy(rt):
    return sessions.SessionPolicy.from_config(rt.config)


def test_mlps_t01_user_names_are_unique_after_case_and_width_folding(rt):
    create_user(rt.db, Actor("t"), "admin2", "管理员", "admin", "321200", clock=rt.clock)
    for variant in ("Admin2", "ａｄｍｉｎ２", "ADMIN2"):
        with pytest.raises(UserError):
            create_user(rt.db, Actor("t"), variant, "冒充者", "leader", "321200", clock=rt.clock)


def test_mlps_t02_password_policy_and_history(rt):
    pw = create_user(rt.db, Actor("t"), "duty9", "值班", "duty_officer", "321202", "center_321202", clock=rt.clock)
    p = policy(rt)
    for bad in ("Ab1!", "alllowercase", "Duty9-Password1", pw):
        with pytest.raises(UserError):
            change_password(rt.db, Actor("duty9"), "duty9", pw, bad, p, rt.clock)
    change_password(rt.db, Actor("duty9"), "duty9", pw, "Xq7#mLp2Vr", p, rt.clock)
    with pytest.raises(UserError):  # wrong current password
        change_password(rt.db, Actor("duty9"), "duty9", pw, "Other#Pass9", p, rt.clock)
    actions = [(r[4], r[7]) for r in store.audit_records(rt.db) if r[4] == "user.change_password"]
    assert ("user.change_password", "ok") in actions and actions.count(("user.change_password", "failed")) == 5


def test_mlps_t03_old_or_reset_passwords_force_a_change(rt):
    create_user(rt.db, Actor("t"), "op1", "操作员", "center_operator", "321202", password="Good#Pass123",
                must_change_password=False, clock=rt.clock)
    p = policy(rt)
    assert not sessions.password_change_due(store.user(rt.db, "op1"), p, rt.clock.now())
    assert sessions.password_change_due(store.user(rt.db, "op1"), p, rt.clock.now() + timedelta(days=91))
    reset_password(rt.db, Actor("admin"), "op1", clock=rt.clock)
    assert sessions.password_change_due(store.user(rt.db, "op1"), p, rt.clock.now())


def test_mlps_t07_second_factor_codes_are_single_use(rt):
    create_user(rt.db, Actor("t"), "aud", "审计", "auditor", "321200", password="Secure#Pass7", clock=rt.clock)
    p = policy(rt)
    first = sessions.login(rt.db, "aud", "Secure#Pass7", None, p, rt.clock)
    assert first.stage == "mfa"
    session = sessions.resolve(rt.db, first.token, p, rt.clock)
    assert session.stage == "mfa"  # the app treats this as not logged in until the code is verified
    secret = totp.new_secret()
    with rt.db.transaction() as cur:
        store.set_totp(cur, "aud", secret, None)
    code = pyotp.TOTP(secret).at(rt.clock.now())
    assert not totp.verify_code(rt.db, "aud", "000000" if code != "000000" else "111111", rt.clock.now())
    assert totp.verify_code(rt.db, "aud", code, rt.clock.now())
    assert not totp.verify_code(rt.db, "aud", code, rt.clock.now())  # replay refused
    full = sessions.complete_second_factor(rt.db, session, None, p, rt.clock)
    assert sessions.resolve(rt.db, first.token, p, rt.clock) is None  # the pre-factor token is dead
    assert sessions.resolve(rt.db, full, p, rt.clock).stage == "full"


def test_mlps_t06_absolute_session_lifetime(rt):
    create_user(rt.db, Actor("t"), "dutyx", "值班", "duty_officer", "321202", password="Duty#Pass12", clock=rt.clock)
    p = policy(rt)
    token = sessions.login(rt.db, "dutyx", "Duty#Pass12", None, p, rt.clock).token
    for _ in range(int(p.max_hours * 60 / 20)):  # active every 20 minutes, never idle
        assert sessions.resolve(rt.db, token, p, rt.clock) is not None
        rt.clock.advance(minutes=20)
    assert sessions.resolve(rt.db, token, p, rt.clock) is None


def test_login_attempts_are_limited_per_address():
    limiter = AttemptLimiter(3, timedelta(minutes=10))
    now = datetime(2026, 11, 23, tzinfo=UTC)
    assert [limiter.allow("10.0.0.1", now) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("10.0.0.2", now)
    assert limiter.allow("10.0.0.1", now + timedelta(minutes=11))


def test_admin_cannot_change_own_rights_and_changes_are_audited(rt):
    create_user(rt.db, Actor("t"), "sysadmin", "管理员", "admin", "321200", password="Admin#Pass9x", clock=rt.clock)
    create_user(rt.db, Actor("t"), "op7", "操作员", "center_operator", "321202", clock=rt.clock)
    with pytest.raises(UserError):
        update_account(rt.db, Actor("sysadmin"), "sysadmin", role="auditor", clock=rt.clock)
    update_account(rt.db, Actor("sysadmin"), "op7", area_code="321203", clock=rt.clock)
    assert store.user(rt.db, "op7").area_code == "321203"
    records = [r for r in store.audit_records(rt.db) if r[4] == "user.update"]
    assert len(records) == 1 and '"before"' in records[0][6] and "321202" in records[0][6]


def test_mlps_t10_dormant_accounts_are_disabled_and_audited(rt):
    from cockpit.auth.users import disable_dormant_accounts

    create_user(rt.db, Actor("t"), "old1", "久未登录", "duty_officer", "321202", password="Dormant#77x", clock=rt.clock)
    create_user(rt.db, Actor("t"), "new1", "常用账号", "duty_officer", "321202", password="Fresh#Pass77", clock=rt.clock)
    rt.clock.advance(days=60)
    sessions.login(rt.db, "new1", "Fresh#Pass77", None, policy(rt), rt.clock)  # used: counts from now
    rt.clock.advance(days=29)
    assert disable_dormant_accounts(rt.db, 90, rt.clock) == []
    rt.clock.advance(days=2)
    assert disable_dormant_accounts(rt.db, 90, rt.clock) == ["old1"]
    assert store.user(rt.db, "old1").disabled and not store.user(rt.db, "new1").disabled
    assert any(r[4] == "user.disable_dormant" for r in store.audit_records(rt.db))


def test_mlps_t20_authenticator_secrets_are_sealed_at_rest(rt, tmp_path):
    """A copy of the database file alone does not reveal TOTP secrets; another key cannot open them."""
    import base64

    import duckdb

    from cockpit.core import fieldcrypt

    create_user(rt.db, Actor("t"), "aud2", "审计", "auditor", "321200", password="Secure#Pass7", clock=rt.clock)
    secret = totp.new_secret()
    with rt.db.transaction() as cur:
        store.set_totp(cur, "aud2", totp.seal(rt.db, "users.totp_secret", secret), None)
    assert store.totp_state(rt.db, "aud2")[0] == secret
    copy = tmp_path / "copy.duckdb"
    rt.db.backup_to(copy)
    raw = duckdb.connect(str(copy)).sql("select totp_secret from users where user_id = 'aud2'").fetchall()[0][0]
    assert secret not in raw and raw.startswith(fieldcrypt.PREFIX)
    other = fieldcrypt.FieldCipher(base64.urlsafe_b64decode(base64.urlsafe_b64encode(b"k" * 32)))
    with pytest.raises(fieldcrypt.FieldCipherError):
        other.open("users.totp_secret", raw)
    with pytest.raises(fieldcrypt.FieldCipherError):  # a sealed value moved to another column does not open
        fieldcrypt.cipher_for(rt.db).open("sessions.pending_totp", raw)
