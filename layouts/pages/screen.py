"""大屏: a dark wall view for 1920×1080 and 3840×2160 that rotates through the city overview and the configured
topics, refreshing its figures at every turn; clock and data freshness always visible, no scrolling."""

from __future__ import annotations

from dash import Input, Output, callback, clientside_callback, dcc, html

from cockpit.auth.guard import current_user, require_role
from cockpit.core.i18n import _, fmt_datetime
from cockpit.core.store import User
from layouts import readings
from layouts.components.common import demo_badge
from layouts.components.panels import map_panel, ranking_panel, tasks_panel, warnings_panel
from layouts.components.tiles import tile
from layouts.context import services
from layouts.format import period_label
from layouts.pages import topic as topic_page
from layouts.scope import area_href, scoped_area

ROLES = frozenset({"leader", "center_operator", "duty_officer"})
TICK, BODY, TITLE, CLOCK, CLOCK_TICK, FRESH = ("screen-tick", "screen-body", "screen-view-title", "screen-clock",
                                               "screen-clock-tick", "screen-freshness")


def views() -> list[str]:
    """The rotation: the overview (when configured) and every topic marked for the screen."""
    cfg = services().config
    out = ["overview"] if cfg.layouts.screen.overview else []
    return out + [tid for tid, t in cfg.layouts.topics.items() if t.screen] or ["overview"]


def layout(user: User, params: dict):
    """The wall frame; the body is filled by the rotation callback."""
    svc = services()
    area = scoped_area(user, None)
    rotate = svc.config.layouts.screen.rotate_seconds * 1000
    title, fresh = _status(0)
    return html.Div([
        dcc.Interval(id=TICK, interval=rotate),
        dcc.Interval(id=CLOCK_TICK, interval=1000),
        html.Header([
            html.Div([html.Span(_("{city} operations cockpit", city=area.name), className="screen-city"),
                      html.Span(title, id=TITLE, className="screen-view")], className="screen-titles"),
            html.Div([demo_badge() if svc.config.city.demo else None,
                      html.Span(fresh, id=FRESH, className="screen-fresh"),
                      html.Span(id=CLOCK, className="screen-clock", **{"data-tz": svc.config.city.timezone})],
                     className="screen-status"),
        ], className="screen-header"),
        html.Main(render(user, 0), id=BODY, className="screen-main"),
    ], className="screen-mode", id="screen")


def render(user: User, n: int):
    """The view at rotation step `n` (today, this month etc. re-evaluated now)."""
    names = views()
    name = names[n % len(names)]
    area = scoped_area(user, None)
    if name == "overview":
        return _overview(user, area)
    topic = services().config.layouts.topics[name]
    return topic_page.content(topic, area, dark=True, limit=12)


def _overview(user: User, area):
    svc = services()
    cfg, db, now, tz = svc.config, svc.db, svc.clock.now(), svc.config.city.timezone
    from layouts.pages.area_cockpit import INDEX_TREND_PERIODS, _index

    index_id = cfg.layouts.index_indicator
    has_index = index_id in cfg.indicators
    keys = [(domain, key) for domain in readings.ordered_domains(cfg, None) if (key := readings.domain_key(cfg, domain))]
    shown = readings.readings(db, cfg, ([index_id] if has_index else []) + [key for _domain, key in keys], area.code,
                              now, {index_id: INDEX_TREND_PERIODS})
    index_reading = shown.pop(0) if has_index else None
    tiles = [tile(r, tz, None, domain, dark=True) for (domain, _key), r in zip(keys, shown, strict=True)]
    rows, period = readings.ranking(db, cfg, area.code, now)
    index_ind = cfg.indicators.get(cfg.layouts.index_indicator)
    return html.Div([
        html.Div([_index(area, index_reading, dark=True),
                  warnings_panel(readings.warning_counts(db, user, area.code)),
                  tasks_panel(readings.task_figures(db, user, area.code, now, tz))], className="screen-col left"),
        html.Div(html.Div(tiles[:12], className="tile-grid screen-grid"), className="screen-col middle"),
        html.Div([map_panel(area.code, _("District map")),
                  ranking_panel(rows, period, period_label(period, "day", tz), index_ind.unit if index_ind else "",
                                area_href, _("District ranking"), dark=True)], className="screen-col right"),
    ], className="screen-overview")


@callback(Output(BODY, "children"), Output(TITLE, "children"), Output(FRESH, "children"),
          Input(TICK, "n_intervals"), prevent_initial_call=True)
def rotate(n: int | None):
    """Next view of the rotation, with fresh figures and the data time."""
    user = current_user()
    require_role(user, ROLES)
    return render(user, n or 0), *_status(n or 0)


def _status(n: int) -> tuple[str, str]:
    """The name of the view at step `n` and the time of the newest data."""
    svc = services()
    names = views()
    name = names[n % len(names)]
    title = _("City overview") if name == "overview" else svc.config.layouts.topics[name].title
    changed = svc.db.data_changed_at("indicators") or svc.db.data_changed_at("data")
    fresh = _("Data as of {time}", time=fmt_datetime(changed, svc.config.city.timezone, "short")) if changed \
        else _("No data received yet")
    return title, fresh


clientside_callback(
    """function(_n) {
        const el = document.getElementById('screen-clock');
        const tz = (el && el.dataset.tz) || undefined;
        return new Date().toLocaleString(document.documentElement.lang || 'zh-CN', {hour12: false, timeZone: tz});
    }""",
    Output(CLOCK, "children"),
    Input(CLOCK_TICK, "n_intervals"),
)
