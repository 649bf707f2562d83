"""Every page, registered explicitly with the roles that may open it, and each role's home page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cockpit.core.i18n import N_
from cockpit.core.store import User
from layouts.pages import (
    admin,
    audit_log,
    briefings,
    catalog,
    district,
    domain,
    duty,
    forms,
    indicator,
    leader,
    my_cockpit,
    my_tasks,
    notifications,
    rankings,
    screen,
    sources,
    task_stats,
    tasks_board,
    topic,
)

VIEWERS = frozenset({"leader", "center_operator", "duty_officer"})


@dataclass(frozen=True)
class Page:
    """A page: where it lives, its title (msgid), its icon, who may open it and how it is built.

    `live` rebuilds the page's live region when the data version changes; `nav` puts it in the navigation;
    `landing` offers it as a default view after sign-in.
    """

    path: str
    title: str
    icon: str
    roles: frozenset[str]
    layout: Callable[[User, dict], object]
    live: Callable[[User, dict], object] | None = None
    nav: bool = True
    landing: bool = False


PAGES: tuple[Page, ...] = (
    Page("/cockpit", N_("Leadership cockpit"), "speedometer2", frozenset({"leader"}), leader.layout, leader.live,
         landing=True),
    Page("/district", N_("District sub-center"), "diagram-3", VIEWERS, district.layout, district.live, landing=True),
    Page("/duty", N_("Duty desk"), "broadcast", frozenset({"center_operator", "duty_officer"}), duty.layout,
         landing=True),
    Page("/topics", N_("Topics"), "collection", VIEWERS, topic.index),
    Page("/indicators", N_("Indicator system"), "list-columns-reverse", VIEWERS, catalog.layout),
    Page("/screen", N_("Big screen"), "display", VIEWERS, screen.layout, landing=True),
    Page("/my-cockpit", N_("My cockpit"), "sliders", VIEWERS, my_cockpit.layout, nav=False),
    Page("/topic", N_("Topic"), "collection", VIEWERS, topic.layout, topic.live, nav=False),
    Page("/domain", N_("Domain"), "grid", VIEWERS, domain.layout, domain.live, nav=False),
    Page("/indicator", N_("Indicator"), "graph-up", VIEWERS, indicator.layout, indicator.live, nav=False),
    Page("/tasks", N_("Task board"), "kanban", tasks_board.ROLES, tasks_board.layout),
    Page("/task-stats", N_("Task statistics"), "bar-chart-line", task_stats.ROLES, task_stats.layout),
    Page("/my-tasks", N_("My tasks"), "list-check", frozenset({"handler"}), my_tasks.layout),
    Page("/forms", N_("One form"), "clipboard-data", frozenset({"handler", "center_operator", "duty_officer"}),
         forms.layout),
    Page("/sources", N_("Data sources"), "hdd-network", frozenset(sources.ROLES), sources.layout),
    Page("/briefings", N_("Briefings"), "file-earmark-text",
         frozenset({"leader", "center_operator", "duty_officer", "handler"}), briefings.layout),
    Page("/rankings", N_("Rankings"), "bar-chart-steps",
         frozenset({"leader", "center_operator", "duty_officer"}), rankings.layout),
    Page("/admin", N_("System administration"), "gear", frozenset({"admin"}), admin.layout),
    Page("/notifications", N_("Notification log"), "bell", notifications.ROLES, notifications.layout),
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


def home_for_role(role: str) -> str:
    """The role's own home page."""
    return HOMES[role]


def home_for(user: User) -> str:
    """Where a user lands after login: their chosen default view when they may still open it, else the role's home."""
    from layouts.context import services
    from layouts.prefs import load

    try:
        chosen = load(user).get("default_view")
        services()
    except RuntimeError:  # outside an app context (CLI): the role's home
        return HOMES[user.role]
    page = page_at((chosen or "").split("?", 1)[0]) if chosen else None
    if page is not None and user.role in page.roles:
        return chosen
    return HOMES[user.role]
