"""The cockpit of one area (city, district or street): index, warnings, tasks, pinned and domain tiles, map and
晾晒台. Shared by 领导驾驶舱 and 分中心; the live body re-renders when the data version changes."""

from __future__ import annotations

from urllib.parse import quote

import dash_bootstrap_components as dbc
from dash import html

from cockpit.auth.guard import current_user
from cockpit.core import store as core_store
from cockpit.core.i18n import _
from cockpit.core.scope import contains
from cockpit.core.store import Area, User
from layouts import readings
from layouts.components.common import empty_state, page_header, panel
from layouts.components.panels import index_panel, map_panel, ranking_panel, tasks_panel, warnings_panel
from layouts.components.tiles import tile
from layouts.context import services
from layouts.format import period_label
from layouts.scope import area_href

INDEX_TREND_PERIODS = 30  # the index panel's trend: the last 30 periods


def indicator_href(iid: str, area_code: str) -> str:
    """The indicator detail view for an area."""
    return f"/indicator?id={quote(iid)}&area={area_code}"


def domain_href(domain: str, area_code: str) -> str:
    """The domain view for an area."""
    return f"/domain?id={quote(domain)}&area={area_code}"


def own_view_href(user: User, area: Area) -> str:
    """The view of an area: a leader's own area is their cockpit; any other area its sub-center view."""
    return "/cockpit" if user.role == "leader" and area.code == user.area_code else area_href(area.code)


def crumbs(area: Area, last_label: str | None = None) -> list[tuple[str, str | None]]:
    """City → district → street, each a link except the current one (or all, when a page title follows); areas
    above the user's scope are named but not linked."""
    user = current_user()
    chain = readings.lineage(services().db, area.code)
    items = [(a.name, None if (a.code == area.code and last_label is None) or not contains(user.area_code, a.code)
              else own_view_href(user, a)) for a in chain]
    if last_label:
        items.append((last_label, None))
    return items


def header(area: Area, title: str, subtitle: str):
    """The page title with its breadcrumb and, for the demo city, the 演示数据 label."""
    svc = services()
    head = page_header(title, subtitle, crumbs(area))
    if svc.config.city.demo:
        from layouts.components.common import demo_badge

        return html.Div([head, demo_badge()], className="header-row")
    return head


def body(user: User, area: Area, dark: bool = False):
    """Everything under the header; re-evaluated (today, this month) at every render."""
    svc = services()
    cfg, db, now, tz = svc.config, svc.db, svc.clock.now(), svc.config.city.timezone
    prefs = core_store.prefs(db, user.user_id)
    pinned = [i for i in prefs.get("pinned", []) if i in cfg.indicators]
    domain_keys = [(d, k) for d in readings.ordered_domains(cfg, prefs.get("tile_order"))
                   if (k := readings.domain_key(cfg, d)) is not None]
    index_id = cfg.layouts.index_indicator
    ids = ([index_id] if index_id in cfg.indicators else []) + pinned + [key for _domain, key in domain_keys]
    # every tile of the page in one batch (a handful of statements, not several per tile)
    shown = iter(readings.readings(db, cfg, ids, area.code, now, {index_id: INDEX_TREND_PERIODS}))
    index_reading = next(shown) if index_id in cfg.indicators else None
    top = [dbc.Col(_index(area, index_reading, dark), lg=5)]
    top.append(dbc.Col(warnings_panel(readings.warning_counts(db, user, area.code),
                                      "/duty" if user.role != "leader" else None), lg=3, md=6))
    top.append(dbc.Col(tasks_panel(readings.task_figures(db, user, area.code, now, tz)), lg=4, md=6))
    parts = [dbc.Row(top, className="g-3 mb-3")]
    if pinned:
        tiles = [tile(next(shown), tz, indicator_href(iid, area.code), cfg.indicators[iid].domain) for iid in pinned]
        parts.append(panel(_("My indicators"), html.Div(tiles, className="tile-grid", id="pinned-tiles"),
                           html.A(_("Customise"), href="/my-cockpit", className="panel-link"), class_name="mb-3"))
    domain_tiles = [tile(next(shown), tz, domain_href(domain, area.code), domain) for domain, _key in domain_keys]
    parts.append(panel(_("Domains"), html.Div(domain_tiles, className="tile-grid", id="domain-tiles"),
                       class_name="mb-3"))
    rows, period = readings.ranking(db, cfg, area.code, now)
    index_ind = cfg.indicators.get(cfg.layouts.index_indicator)
    rank_title = _("District ranking") if area.level == "city" else _("Street ranking")
    ranking = ranking_panel(rows, period, period_label(period, "day", tz), index_ind.unit if index_ind else "",
                            area_href, rank_title, full_href=_full_ranking(user)) if rows else None
    bottom = [dbc.Col(map_panel(area.code, _("District map")), lg=7)]
    if ranking is not None:
        bottom.append(dbc.Col(ranking, lg=5))
    parts.append(dbc.Row(bottom, className="g-3"))
    return html.Div(parts)


def _index(area: Area, r: readings.Reading | None, dark: bool):
    tz = services().config.city.timezone
    if r is None:
        return panel(_("Vital-signs index"), empty_state(_("No index configured"), "", icon="activity"))
    times, values = r.spark
    return index_panel(r, tz, indicator_href(r.indicator_id, area.code), list(times), list(values), dark)


def _full_ranking(user: User) -> str | None:
    """The reports room's full 晾晒台 page, when it is registered and the user may open it."""
    from layouts.registry import page_at

    page = page_at("/rankings")
    return "/rankings" if page is not None and user.role in page.roles else None
