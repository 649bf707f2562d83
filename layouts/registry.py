"""Every page, registered explicitly with the roles that may open it, and each role's home page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cockpit.core.i18n import N_
from cockpit.core.store import User
from layouts.pages import admin, audit_log, district, duty, leader, my_tasks


@dataclass(frozen=True)
class Page:
    """A page: where it lives, its title (msgid), its icon, who may open it and how it is built."""

    path: str
    title: str
    icon: str
    roles: frozenset[str]
    layout: Callable[[User, dict], object]


PAGES: tuple[Page, ...] = (
    Page("/cockpit", N_("Leadership cockpit"), "speedometer2", frozenset({"leader"}), leader.layout),
    Page("/district", N_("District sub-center"), "diagram-3",
         frozenset({"leader", "center_operator", "duty_officer"}), district.layout),
    Page("/duty", N_("Duty desk"), "broadcast", frozenset({"center_operator", "duty_officer"}), duty.layout),
    Page("/my-tasks", N_("My tasks"), "list-check", frozenset({"handler"}), my_tasks.layout),
    Page("/admin", N_("System administration"), "gear", frozenset({"admin"}), admin.layout),
    Page("/audit", N_("Audit log"), "journal-text", frozenset({"auditor"}), audit_log.layout),
)

HOMES = {
    "leader": "/cockpit",
    "center_operator": "/district",
    "duty_officer": "/duty",
    "handler": "/my-tasks",
    "admin": "/admin",
    "auditor": "/audit",
}


def page_at(path: str) -> Page | None:
    """The page registered at `path` (trailing slash ignored)."""
    path = path.rstrip("/") or "/"
    return next((p for p in PAGES if p.path == path), None)


def pages_for(role: str) -> list[Page]:
    """The pages a role may open, in navigation order."""
    return [p for p in PAGES if role in p.roles]


def home_for(user: User) -> str:
    """Where a user lands after login."""
    return HOMES[user.role]
