"""Area scope of a page or callback, checked on the server: a user sees their own area and what lies under it."""

from __future__ import annotations

from cockpit.auth.guard import Forbidden, client_ip, require_area
from cockpit.core import store
from cockpit.core.audit import Actor, audit
from cockpit.core.i18n import N_
from cockpit.core.store import Area, User
from layouts.context import services


def scoped_area(user: User, code: str | None) -> Area:
    """The area `code` (the user's own when None) if it lies in the user's scope.

    Raises:
        Forbidden: outside the user's scope or unknown (the app's error handler audits the refusal).
    """
    code = (code or user.area_code).strip()[:12]
    require_area(user, code)
    area = store.area(services().db, code)
    if area is None:
        raise Forbidden(N_("This area is outside your scope."))
    return area


def area_href(code: str) -> str:
    """The view of one area: the city's own cockpit or the sub-center view of a district or street."""
    return f"/district?area={code}"


def audit_area_view(user: User, code: str | None, where: str) -> None:
    """Record a look at another area's figures (MLPS: who saw which area's data when it is not their own)."""
    if code and code != user.area_code:
        svc = services()
        audit(svc.db, Actor(user.user_id, client_ip()), "view.area", f"area:{code[:12]}", where, clock=svc.clock)
