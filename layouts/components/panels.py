"""The cockpit's panels: the vital-signs index, open warnings, task figures and the 晾晒台 ranking."""

from __future__ import annotations

from datetime import datetime

from dash import dcc, html

from cockpit.core.i18n import _, fmt_percent
from layouts import charts
from layouts.components.common import empty_state, panel
from layouts.components.tiles import LEVEL_LABELS, comparisons, data_time, level_badge, value_line
from layouts.format import figure
from layouts.readings import RankRow, Reading, TaskFigures

LEVEL_ORDER = ("red", "orange", "yellow", "blue")


def index_panel(r: Reading, tz: str, href: str, trend_times: list, trend_values: list, dark: bool = False):
    """The 城市运行体征指数: its value, level, data time, 同比/环比 and a 30-day trend."""
    chart = (dcc.Graph(figure=charts.trend(trend_times, trend_values, r.unit, r.target, dark=dark,
                                           height=None if dark else 150,
                                           target_label=_("Target {value}", value=figure(r.target, r.unit))),
                       config=charts.GRAPH_CONFIG, className="index-trend")
             if len(trend_times) > 1 else None)
    body = html.Div([
        html.Div([value_line(r, "xl"), None if r.missing else level_badge(r.level)], className="index-head"),
        data_time(r, tz), comparisons(r), chart,
    ], id="vital-index", **{"data-state": "missing" if r.missing else (r.level or "normal")})
    return panel(r.name, body, html.A(_("Details"), href=href, className="panel-link"), class_name="index-panel")


def warnings_panel(counts: dict[str, int] | None, href: str | None = None):
    """Open warnings by level; an honest placeholder while the warning engine is not connected."""
    if counts is None:
        body = empty_state(_("Warning engine not connected"),
                           _("Open warnings by level appear here once the warning engine runs."), icon="bell-slash")
    else:
        body = html.Div([
            html.Div([html.Div(str(counts.get(level, 0)), className="count-value"),
                      html.Div(_(LEVEL_LABELS[level]), className="count-label")],
                     className=f"count-box level-{level}", **{"data-level": level})
            for level in LEVEL_ORDER
        ], className="count-row")
    actions = html.A(_("Warning queue"), href=href, className="panel-link") if href else None
    return panel(_("Open warnings"), body, actions, class_name="warnings-panel")


def tasks_panel(t: TaskFigures | None):
    """Tasks dispatched today, this month's on-time rate, overdue tasks and yellow/red cards."""
    if t is None:
        return panel(_("Tasks"), empty_state(_("No task figures"), "", icon="list-task"))
    cells = [
        (_("Dispatched today"), figure(t.dispatched_today, "").text, _("tasks"), ""),
        (_("On-time rate this month"), fmt_percent(t.on_time_rate, 1), "", ""),
        (_("Overdue"), figure(t.overdue, "").text, _("tasks"), "level-orange" if t.overdue else ""),
        (_("Yellow / red cards"), f"{t.yellow_cards} / {t.red_cards}", "", "level-red" if t.red_cards else ""),
    ]
    body = html.Div([
        html.Div([html.Div(label, className="mini-label"),
                  html.Div([html.Span(value, className="mini-value"), html.Span(unit, className="mini-unit")])],
                 className=f"mini-stat {cls}")
        for label, value, unit, cls in cells
    ], className="mini-grid", id="task-figures")
    return panel(_("Tasks"), body, class_name="tasks-panel")


def ranking_panel(rows: list[RankRow], period: datetime | None, period_text: str, unit: str, area_href,
                  title: str, dark: bool = False, full_href: str | None = None):
    """晾晒台: sub-areas by index, each a link to its own view."""
    if not rows:
        return panel(title, empty_state(_("No sub-areas"), "", icon="list-ol"))
    items = []
    for r in rows:
        f = figure(r.value, unit, digits=1)
        items.append(html.Li([
            html.Span(str(r.rank) if r.rank else "—", className="rank-no"),
            html.A(r.name, href=area_href(r.area_code), className="rank-name area-link"),
            html.Span(html.Span(className=f"rank-bar level-{r.level or 'normal'}",
                                style={"width": f"{max(0.0, min(100.0, r.value or 0)):.0f}%"}) if r.value is not None
                      else None, className="rank-track"),
            html.Span(str(f) if not f.missing else _("No data"), className="rank-value" + (" missing" if f.missing else "")),
        ], className="rank-row", **{"data-area": r.area_code}))
    note = html.Div(_("Ranked by the vital-signs index · {time}", time=period_text), className="panel-note")
    more = html.A(_("Full ranking"), href=full_href, className="panel-link") if full_href else None
    return panel(title, [html.Ol(items, className="ranking", id="ranking"), note], more, class_name="ranking-panel")


def map_panel(area_code: str, title: str):
    """The district map (folium, in its own frame); a click on a district opens its view."""
    return panel(title, html.Iframe(src=f"/maps/districts?area={area_code}", className="map-frame", title=title))
