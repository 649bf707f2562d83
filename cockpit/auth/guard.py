"""Who is asking, checked on the server for every route and every Dash callback."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from flask import g, has_request_context, request

from cockpit.core.i18n import N_
from cockpit.core.scope import contains
from cockpit.core.store import User


class NotAuthenticated(PermissionError):
    """No live session."""


class Forbidden(PermissionError):
    """The user may not do this; the message is a catalog msgid."""


def current_user() -> User:
    """The logged-in user of this request. Raises NotAuthenticated outside a live session."""
    account = g.get("user") if has_request_context() else None
    if account is None:
        raise NotAuthenticated("login required")
    return account


def client_ip() -> str | None:
    """The requesting address (behind a trusted proxy, configure ProxyFix in front)."""
    return request.remote_addr if has_request_context() else None


def require_role(account: User, roles: Iterable[str]) -> None:
    """Raise Forbidden unless `account` has one of `roles`."""
    if account.role not in set(roles):
        raise Forbidden(N_("You do not have permission for this."))


def require_area(account: User, area_code: str) -> None:
    """Raise Forbidden unless `area_code` lies in the user's area scope."""
    if not contains(account.area_code, area_code):
        raise Forbidden(N_("This area is outside your scope."))


def guarded(roles: Iterable[str]) -> Callable:
    """Decorate a Dash callback: the caller must be logged in and hold one of `roles`."""
    allowed = frozenset(roles)

    def wrap(func: Callable) -> Callable:
        @wraps(func)
        def inner(*args, **kwargs):
            require_role(current_user(), allowed)
            return func(*args, **kwargs)

        inner.allowed_roles = allowed  # read by the test that checks every callback is guarded
        return inner

    return wrap
