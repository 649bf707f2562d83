"""Managing user accounts: create, reset a password, check who may be created."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from cockpit.auth import store as auth_store
from cockpit.auth.passwords import check_strength, generate_password, hash_password, verify_password
from cockpit.core import store
from cockpit.core.audit import Actor, audit
from cockpit.core.clock import Clock, SystemClock
from cockpit.core.db import Database
from cockpit.core.i18n import N_
from cockpit.core.roles import ROLES
from cockpit.core.store import User


class UserError(ValueError):
    """A user change that cannot be made; the message is a catalog msgid, formatted with `values`."""

    def __init__(self, message: str, **values: object):
        super().__init__(message)
        self.values = values


def create_user(
    db: Database,
    actor: Actor,
    user_id: str,
    display_name: str,
    role: str,
    area_code: str,
    unit_id: str | None = None,
    password: str | None = None,
    must_change_password: bool = True,
    clock: Clock | None = None,
) -> str:
    """Create an account and return its password (generated when not given).

    Raises:
        UserError: unknown role, area or unit, a handler without a unit, a duplicate id, a weak password.
    """
    now = (clock or SystemClock()).now()
    if role not in ROLES:
        raise UserError(N_("Unknown role {role}."), role=role)
    if store.area(db, area_code) is None:
        raise UserError(N_("Unknown area {area}."), area=area_code)
    if unit_id is not None and store.unit(db, unit_id) is None:
        raise UserError(N_("Unknown unit {unit}."), unit=unit_id)
    if role == "handler" and unit_id is None:
        raise UserError(N_("A handler must belong to a unit."))
    if store.user_by_key(db, user_id) is not None:
        raise UserError(N_("User {user} already exists."), user=user_id)
    password = password or generate_password()
    if (reason := check_strength(password, user_id=user_id)) is not None:
        raise UserError(reason)
    account = User(user_id, display_name, role, unit_id, area_code, None, False, 0, None, must_change_password)
    with db.transaction() as cur:
        store.insert_user(cur, account, hash_password(password), now)
    audit(db, actor, "user.create", f"user:{user_id}", {"role": role, "area": area_code, "unit": unit_id}, clock=clock)
    return password


def reset_password(
    db: Database, actor: Actor, user_id: str, password: str | None = None, clock: Clock | None = None
) -> str:
    """Give a user a new password (generated when not given), end their sessions, and return it."""
    now = (clock or SystemClock()).now()
    if store.user(db, user_id) is None:
        raise UserError(N_("User {user} does not exist."), user=user_id)
    generated = password is None
    password = password or generate_password()
    if (reason := check_strength(password, user_id=user_id)) is not None:
        raise UserError(reason)
    with db.transaction() as cur:
        # A password someone else chose must be replaced by its owner at the next login.
        store.set_password_hash(cur, user_id, hash_password(password), now, must_change=generated)
        auth_store.revoke_user_sessions(cur, user_id)
    audit(db, actor, "user.reset_password", f"user:{user_id}", clock=clock)
    return password


def change_password(
    db: Database, actor: Actor, user_id: str, old: str, new: str, policy, clock: Clock | None = None
) -> None:
    """A user changes their own password: the old one must match; the new one must meet the policy and differ
    from the last `policy.password_history` passwords. Every outcome is audited.

    Raises:
        UserError: with the reason msgid.
    """
    clock = clock or SystemClock()
    reason = None
    if not verify_password(store.password_hash(db, user_id), old):
        reason = N_("The current password is wrong.")
    elif (weak := check_strength(new, policy.password_min_length, policy.password_min_classes, user_id)) is not None:
        reason = weak
    elif any(verify_password(h, new) for h in store.recent_password_hashes(db, user_id, max(policy.password_history, 1))):
        reason = N_("The new password must differ from your recent passwords.")
    if reason is not None:
        audit(db, actor, "user.change_password", f"user:{user_id}", reason, outcome="failed", clock=clock)
        raise UserError(reason)
    with db.transaction() as cur:
        store.set_password_hash(cur, user_id, hash_password(new), clock.now(), must_change=False)
    audit(db, actor, "user.change_password", f"user:{user_id}", clock=clock)


def update_account(
    db: Database, actor: Actor, user_id: str, *, role: str | None = None, area_code: str | None = None,
    unit_id: str | None = None, disabled: bool | None = None, unlock: bool = False, clock: Clock | None = None,
) -> None:
    """Change another user's role, scope, unit, enabled state, or clear a lockout; audited with old and new values.

    Raises:
        UserError: the account is the actor's own (nobody grants themselves rights or unlocks themselves),
            or a value is unknown.
    """
    account = store.user(db, user_id)
    if account is None:
        raise UserError(N_("User {user} does not exist."), user=user_id)
    if actor.user_id == user_id:
        raise UserError(N_("You cannot change your own account's rights."))
    if role is not None and role not in ROLES:
        raise UserError(N_("Unknown role {role}."), role=role)
    if area_code is not None and store.area(db, area_code) is None:
        raise UserError(N_("Unknown area {area}."), area=area_code)
    if unit_id is not None and store.unit(db, unit_id) is None:
        raise UserError(N_("Unknown unit {unit}."), unit=unit_id)
    new_role = role or account.role
    new_unit = unit_id if unit_id is not None else account.unit_id
    if new_role == "handler" and not new_unit:
        raise UserError(N_("A handler must belong to a unit."))
    changes = {k: v for k, v in {"role": role, "area": area_code, "unit": unit_id, "disabled": disabled,
                                 "unlock": unlock or None}.items() if v is not None}
    with db.transaction() as cur:
        store.update_user(cur, user_id, role=role, area_code=area_code, unit_id=unit_id, disabled=disabled,
                          unlock=unlock)
        if disabled or role is not None or area_code is not None:
            auth_store.revoke_user_sessions(cur, user_id)  # rights changed: the next request logs in anew
    before = {"role": account.role, "area": account.area_code, "unit": account.unit_id, "disabled": account.disabled}
    audit(db, actor, "user.update", f"user:{user_id}", {"before": before, "changes": changes}, clock=clock)


def disable_dormant_accounts(db: Database, days: int, clock: Clock | None = None) -> list[str]:
    """Disable accounts not used for `days` (never-used accounts count from creation); audit each. MLPS-T10."""
    clock = clock or SystemClock()
    cutoff = clock.now() - timedelta(days=days)
    dormant = store.dormant_user_ids(db, cutoff)
    for user_id in dormant:
        with db.transaction() as cur:
            store.update_user(cur, user_id, disabled=True)
            auth_store.revoke_user_sessions(cur, user_id)
        audit(db, Actor("scheduler"), "user.disable_dormant", f"user:{user_id}", f"unused for {days} days",
              clock=clock)
    return dormant


def with_locale(account: User, locale: str) -> User:
    """The same account with another language."""
    return replace(account, locale=locale)
