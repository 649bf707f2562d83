"""Figure tiles: a value with its unit, data time, status colour, sparkline and 同比/环比. Pure functions of a
Reading; missing shows 暂无数据, stale is greyed with its age."""

from __future__ import annotations

from dash import dcc, html

from cockpit.core.i18n import N_, _
from layouts import charts
from layouts.format import age, change, change_tone, figure, period_label
from layouts.readings import Reading

LEVEL_LABELS = {"blue": N_("Blue"), "yellow": N_("Yellow"), "orange": N_("Orange"), "red": N_("Red")}


def level_badge(level: str | None):
    """A small badge naming the warning colour (蓝/黄/橙/红), or 正常."""
    if level is None:
        return html.Span(_("Normal"), className="level-badge level-normal")
    return html.Span(_(LEVEL_LABELS[level]), className=f"level-badge level-{level}")


def value_line(r: Reading, size: str = ""):
    """The number and its unit; 暂无数据 when missing."""
    if r.missing:
        return html.Div([html.Span("—", className="tile-value missing"),
                         html.Span(_("No data"), className="tile-unit")], className=f"tile-figure {size}")
    f = figure(r.value, r.unit)
    return html.Div([html.Span(f.text, className="tile-value"), html.Span(f.unit, className="tile-unit")],
                    className=f"tile-figure {size}")


def data_time(r: Reading, tz: str):
    """The period the figure belongs to; greyed with its age when stale."""
    if r.period_start is None:
        return html.Div(_("Data time —"), className="tile-time missing")
    text = period_label(r.period_start, r.grain, tz)
    if r.stale and r.age is not None:
        return html.Div([html.I(className="bi bi-hourglass-split me-1"),
                         _("{time} · stale, updated {age}", time=text, age=age(r.age))], className="tile-time stale",
                        title=_("This figure has not been updated in time"))
    return html.Div(_("Data time {time}", time=text), className="tile-time")


def comparisons(r: Reading):
    """同比 and 环比, coloured by whether the change is an improvement."""
    return html.Div([
        html.Span([_("YoY") + " ", html.B(change(r.yoy_pct), className=f"tone-{change_tone(r.yoy_pct, r.direction)}")],
                  className="cmp"),
        html.Span([_("MoM") + " ", html.B(change(r.mom_pct), className=f"tone-{change_tone(r.mom_pct, r.direction)}")],
                  className="cmp"),
    ], className="tile-cmp")


def spark(r: Reading, dark: bool = False):
    """A sparkline of the recent periods (no chart when there is nothing to draw)."""
    times, values = r.spark
    if len(times) < 2:
        return html.Div(className="tile-spark empty")
    colour = charts.LEVEL_COLOURS.get(r.level or "", charts.BRAND if not dark else "#4fc3f7")
    return dcc.Graph(figure=charts.sparkline(times, values, colour, dark), config={**charts.GRAPH_CONFIG,
                     "staticPlot": True}, className="tile-spark")


def tile(r: Reading, tz: str, href: str | None, caption: str | None = None, dark: bool = False, tile_id: str | None = None):
    """One indicator tile; `caption` (e.g. the domain) above the indicator name; the whole tile links to `href`."""
    state = "missing" if r.missing else ("stale" if r.stale else (r.level or "normal"))
    body = [
        html.Div([html.Div([html.Div(caption, className="tile-caption") if caption else None,
                            html.Div(r.name, className="tile-name")]),
                  None if r.missing else level_badge(r.level)],
                 className="tile-head"),
        value_line(r),
        data_time(r, tz),
        spark(r, dark),
        comparisons(r),
    ]
    attrs = {"data-indicator": r.indicator_id, "data-state": state}
    if tile_id:
        attrs["id"] = tile_id
    cls = f"tile tile-{state}"
    if href:
        return html.A(body, href=href, className=cls + " tile-link", **attrs)
    return html.Div(body, className=cls, **attrs)
