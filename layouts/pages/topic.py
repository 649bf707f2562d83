"""专题: pages defined in configuration alone (`layouts.topics` in config.yaml): a trend and blocks of tiles."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from cockpit.auth.guard import Forbidden
from cockpit.core.config.layout import TopicConfig
from cockpit.core.i18n import N_, _
from cockpit.core.store import Area, User
from indicators import queries
from indicators.periods import shift
from layouts import charts, readings
from layouts.components.common import empty_state, page_header, panel
from layouts.components.live import live_region
from layouts.components.tiles import tile
from layouts.context import services
from layouts.pages.area_cockpit import crumbs, indicator_href
from layouts.scope import scoped_area


def _topic(params: dict) -> tuple[str, TopicConfig]:
    tid = params.get("id", "")
    topic = services().config.layouts.topics.get(tid)
    if topic is None:
        raise Forbidden(N_("No such topic."))
    return tid, topic


def index(user: User, params: dict):
    """专题 list: every configured topic as a card."""
    topics = services().config.layouts.topics
    cards = [html.A([html.I(className=f"bi bi-{t.icon} topic-icon"), html.Div(t.title, className="topic-title"),
                     html.Div(t.description, className="topic-desc")], href=f"/topic?id={tid}",
                    className="topic-card", **{"data-topic": tid}) for tid, t in topics.items()]
    body = html.Div(cards, className="topic-grid", id="topic-list") if cards else empty_state(
        _("No topics configured"), _("Add topics under layouts.topics in config.yaml."), "collection")
    return html.Div([page_header(_("Topics"), _("Thematic views defined in the configuration")), body])


def layout(user: User, params: dict):
    """One topic page for an area in the user's scope."""
    area = scoped_area(user, params.get("area"))
    tid, topic = _topic(params)
    return html.Div([
        page_header(topic.title, topic.description, crumbs(area, topic.title)),
        live_region("/topic", {"id": tid, "area": area.code}, live(user, {"id": tid, "area": area.code})),
    ], className="topic-page")


def live(user: User, params: dict):
    """The topic's trend and tiles, re-rendered when new data lands."""
    area = scoped_area(user, params.get("area"))
    _tid, topic = _topic(params)
    return content(topic, area, dark=False)


def content(topic: TopicConfig, area: Area, dark: bool, limit: int | None = None):
    """The topic's body (shared with the big screen, which passes `dark` and a tile limit)."""
    svc = services()
    cfg, db, now, tz = svc.config, svc.db, svc.clock.now(), svc.config.city.timezone
    blocks = []
    if topic.indicators:
        blocks.append((None, topic.indicators))
    blocks += [(s.title, s.indicators) for s in topic.sections]
    shown = 0
    sections = []
    for title, ids in blocks:
        if limit is not None:
            ids = ids[:max(0, limit - shown)]
        shown += len(ids)
        if not ids:
            continue
        tiles = [tile(readings.reading(db, cfg, iid, area.code, now), tz, None if dark else
                      indicator_href(iid, area.code), dark=dark) for iid in ids]
        grid = html.Div(tiles, className="tile-grid")
        sections.append(panel(title, grid, class_name="mb-3 topic-section") if title else
                        html.Div(grid, className="mb-3 topic-section"))
    trend_id = topic.trend or (topic.all_indicators() or [None])[0]
    chart = _trend(trend_id, area, dark) if trend_id else None
    if dark:
        return html.Div([html.Div(chart, className="screen-trend"), html.Div(sections, className="screen-tiles")],
                        className="screen-topic")
    return html.Div([dbc.Row([dbc.Col(chart, lg=12)], className="mb-3") if chart else None, *sections])


def _trend(iid: str, area: Area, dark: bool):
    svc = services()
    cfg, db, tz = svc.config, svc.db, svc.config.city.timezone
    ind = cfg.indicators[iid]
    r = readings.reading(db, cfg, iid, area.code, svc.clock.now(), spark=False)
    title = _("{indicator} · trend", indicator=ind.name)
    if r.period_start is None:
        return panel(title, empty_state(_("No data yet"), "", "graph-up"))
    frame = queries.trend(db, iid, area.code, r.grain, shift(r.period_start, r.grain, -60, tz),
                          shift(r.period_start, r.grain, 1, tz))
    present = [v for v in frame["value"].to_list() if v is not None]
    low, high = (min(present), max(present)) if present else (0.0, 1.0)
    pad = (high - low) * 0.15 or 1.0
    fig = charts.trend(frame["period_start"].to_list(), frame["value"].to_list(), r.unit, ind.target,
                       readings.level_bands(ind, low - pad, high + pad), dark=dark, height=None if dark else 300,
                       target_label=_("Target"))
    size = {"style": {"height": "100%"}} if dark else {}  # dcc.Graph fails on style=None
    return panel(title, dcc.Graph(figure=fig, config=charts.GRAPH_CONFIG, className="topic-trend", **size),
                 class_name="trend-panel")
