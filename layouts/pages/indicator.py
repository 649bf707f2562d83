"""指标详情: trend with target and warning bands, 同比/环比, breakdown by sub-area, 口径, pin and Excel download."""

from __future__ import annotations

from datetime import datetime

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from cockpit.auth.guard import Forbidden, client_ip, current_user, guarded
from cockpit.core import store as core_store
from cockpit.core.audit import Actor, audit
from cockpit.core.i18n import N_, _
from cockpit.core.store import User
from indicators import queries
from indicators.periods import same_period_last_year, shift
from layouts import charts, readings
from layouts.components.common import empty_state, page_header, panel
from layouts.components.live import live_region
from layouts.components.tiles import comparisons, data_time, level_badge, value_line
from layouts.context import services
from layouts.export import workbook
from layouts.format import change, figure, period_label
from layouts.indicator_facts import facts
from layouts.pages.area_cockpit import crumbs, domain_href, indicator_href
from layouts.scope import area_href, scoped_area

VIEW_ROLES = frozenset({"leader", "center_operator", "duty_officer"})
WINDOW = {"hour": 72, "day": 90, "week": 52, "month": 24, "year": 10}
PIN, PIN_STATE, DOWNLOAD, DOWNLOAD_BUTTON = "indicator-pin", "indicator-ref", "indicator-download", "indicator-export"


def _indicator(params: dict) -> str:
    iid = params.get("id", "")
    if iid not in services().config.indicators:
        raise Forbidden(N_("No such indicator."))
    return iid


def layout(user: User, params: dict):
    """The detail view of one indicator for an area (the user's own by default)."""
    svc = services()
    area, iid = scoped_area(user, params.get("area")), _indicator(params)
    ind = svc.config.indicators[iid]
    pinned = iid in core_store.prefs(svc.db, user.user_id).get("pinned", [])
    actions = html.Div([
        dbc.Button([html.I(className="bi bi-pin-angle me-1"), _("Unpin") if pinned else _("Pin to my cockpit")],
                   id=PIN, color="outline-primary", size="sm", className="me-2"),
        dbc.Button([html.I(className="bi bi-file-earmark-excel me-1"), _("Download Excel")], id=DOWNLOAD_BUTTON,
                   color="outline-secondary", size="sm"),
        dcc.Download(id=DOWNLOAD),
        dcc.Store(id=PIN_STATE, data={"id": iid, "area": area.code}),
    ], className="page-actions")
    chain = crumbs(area, ind.domain)
    chain[-1] = (ind.domain, domain_href(ind.domain, area.code))
    chain.append((ind.name, None))
    return html.Div([
        html.Div([page_header(_("{indicator} · {area}", indicator=ind.name, area=area.name), ind.definition, chain),
                  actions], className="header-row spread"),
        live_region("/indicator", {"id": iid, "area": area.code}, live(user, {"id": iid, "area": area.code})),
    ])


def live(user: User, params: dict):
    """Figures, charts and breakdown; re-rendered when new data lands."""
    svc = services()
    cfg, db, tz, now = svc.config, svc.db, svc.config.city.timezone, svc.clock.now()
    area, iid = scoped_area(user, params.get("area")), _indicator(params)
    r = readings.reading(db, cfg, iid, area.code, now, spark=False)
    summary = panel(_("Latest value"), html.Div([
        html.Div([value_line(r, "xl"), None if r.missing else level_badge(r.level)], className="index-head"),
        data_time(r, tz), comparisons(r), _comparison_table(r, area.code),
    ], id="indicator-summary"))
    if r.period_start is None:
        chart = empty_state(_("No data yet"), _("The trend appears once values have been computed."), "graph-up")
        split = empty_state(_("No data yet"), "", "bar-chart")
    else:
        chart = _trend_chart(r, area.code)
        split = _breakdown(r, area.code)
    facts_table = html.Table([html.Tbody([html.Tr([html.Th(k), html.Td(v)]) for k, v in facts(db, cfg, iid)])],
                             className="facts-table")
    return html.Div([
        dbc.Row([dbc.Col(summary, lg=4), dbc.Col(panel(_("Trend"), chart), lg=8)], className="g-3 mb-3"),
        dbc.Row([dbc.Col(panel(_("By sub-area"), split), lg=7),
                 dbc.Col(panel(_("Definition and source"), facts_table), lg=5)],
                className="g-3"),
    ])


def _comparison_table(r: readings.Reading, area_code: str):
    svc = services()
    cmp = queries.compare(svc.db, svc.config, r.indicator_id, area_code, r.grain, r.period_start) \
        if r.period_start is not None else None
    if cmp is None:
        return None
    rows = [
        (_("Previous period"), str(figure(cmp.previous, r.unit)), change(cmp.mom_pct)),
        (_("Same period last year"), str(figure(cmp.last_year, r.unit)), change(cmp.yoy_pct)),
        (_("Target"), str(figure(cmp.target, r.unit)), str(figure(cmp.vs_target, r.unit)) if cmp.vs_target is not None
         else "—"),
        (_("Rank among peers"), _("{rank} of {of}", rank=cmp.rank, of=cmp.of) if cmp.rank else "—", ""),
    ]
    return html.Table([html.Tbody([html.Tr([html.Th(a), html.Td(b, className="num"), html.Td(c, className="num")])
                                   for a, b, c in rows])], className="facts-table compact", id="comparison-table")


def _trend_chart(r: readings.Reading, area_code: str):
    svc = services()
    tz, db = svc.config.city.timezone, svc.db
    ind = svc.config.indicators[r.indicator_id]
    start = shift(r.period_start, r.grain, -WINDOW[r.grain], tz)
    end = shift(r.period_start, r.grain, 1, tz)
    frame = queries.trend(db, r.indicator_id, area_code, r.grain, start, end)
    ly = queries.trend(db, r.indicator_id, area_code, r.grain, same_period_last_year(start, r.grain, tz),
                       same_period_last_year(end, r.grain, tz))
    times, values = frame["period_start"].to_list(), frame["value"].to_list()
    present = [v for v in values if v is not None] + ([ind.target] if ind.target is not None else [])
    low, high = (min(present), max(present)) if present else (0.0, 1.0)
    pad = (high - low) * 0.15 or 1.0
    bands = readings.level_bands(ind, low - pad, high + pad)
    fig = charts.trend(times, values, r.unit, ind.target, bands, target_label=_("Target"),
                       last_year=([_plus_year(t) for t in ly["period_start"].to_list()], ly["value"].to_list()),
                       last_year_label=_("Same period last year"), name=ind.name)
    return dcc.Graph(figure=fig, config=charts.GRAPH_CONFIG, id="indicator-trend")


def _plus_year(t: datetime) -> datetime:
    try:
        return t.replace(year=t.year + 1)
    except ValueError:  # 29 February
        return t.replace(year=t.year + 1, day=28)


def _breakdown(r: readings.Reading, area_code: str):
    svc = services()
    frame = queries.breakdown(svc.db, r.indicator_id, area_code, r.grain, r.period_start)
    if frame.height == 0:
        return empty_state(_("No sub-areas"), _("This is the finest level."), "diagram-3")
    ind = svc.config.indicators[r.indicator_id]
    names, values = frame["name"].to_list(), frame["value"].to_list()
    colours = [charts.LEVEL_COLOURS.get(readings.level_of(ind, v) or "", charts.BRAND) for v in values]
    chart = dcc.Graph(figure=charts.bars(names, values, r.unit, colours, height=max(180, 26 * len(names) + 60)),
                      config=charts.GRAPH_CONFIG, id="indicator-breakdown")
    rows = [html.Tr([html.Td(html.A(n, href=indicator_href(r.indicator_id, code), className="area-link")),
                     html.Td(str(figure(v, r.unit)) if v is not None else _("No data"), className="num")],
                    **{"data-area": code})
            for code, n, v in zip(frame["area_code"].to_list(), names, values, strict=True)]
    table = html.Table([html.Thead(html.Tr([html.Th(_("Area")), html.Th(_("Value"), className="num")])),
                        html.Tbody(rows)], className="table table-sm area-table", id="breakdown-table")
    note = html.Div(_("Period {time}", time=period_label(r.period_start, r.grain, svc.config.city.timezone)),
                    className="panel-note")
    return html.Div([chart, table, note, html.A(_("Open the area view"), href=area_href(area_code),
                                                className="panel-link")])


@callback(Output(PIN, "children"), Input(PIN, "n_clicks"), State(PIN_STATE, "data"), prevent_initial_call=True)
@guarded(VIEW_ROLES)
def toggle_pin(_n, ref: dict):
    """Pin the indicator to the user's cockpit, or unpin it; stored per user."""
    from layouts.prefs import toggle_pinned

    user = current_user()
    iid = _indicator(ref or {})
    pinned = toggle_pinned(user, iid)
    return [html.I(className="bi bi-pin-angle me-1"), _("Unpin") if pinned else _("Pin to my cockpit")]


@callback(Output(DOWNLOAD, "data"), Input(DOWNLOAD_BUTTON, "n_clicks"), State(PIN_STATE, "data"),
          prevent_initial_call=True)
@guarded(VIEW_ROLES)
def download(_n, ref: dict):
    """The trend and the breakdown as an Excel file, for an area in the user's scope only; audited."""
    user = current_user()
    svc = services()
    ref = ref or {}
    area, iid = scoped_area(user, ref.get("area")), _indicator(ref)
    if not _n:
        return no_update
    cfg, tz = svc.config, svc.config.city.timezone
    ind = cfg.indicators[iid]
    r = readings.reading(svc.db, cfg, iid, area.code, svc.clock.now(), spark=False)
    sheets = []
    if r.period_start is not None:
        start = shift(r.period_start, r.grain, -WINDOW[r.grain], tz)
        frame = queries.trend(svc.db, iid, area.code, r.grain, start, shift(r.period_start, r.grain, 1, tz))
        sheets.append((_("Trend"), [_("Period"), _("Value"), _("Unit")],
                       [(period_label(t, r.grain, tz), v, ind.unit) for t, v in
                        zip(frame["period_start"].to_list(), frame["value"].to_list(), strict=True)]))
        split = queries.breakdown(svc.db, iid, area.code, r.grain, r.period_start)
        sheets.append((_("By sub-area"), [_("Division code"), _("Area"), _("Value"), _("Unit")],
                       [(c, n, v, ind.unit) for c, n, v in split.select("area_code", "name", "value").iter_rows()]))
    sheets.append((_("Definition"), [_("Item"), _("Content")], facts(svc.db, cfg, iid)))
    audit(svc.db, Actor(user.user_id, client_ip()), "export.indicator", f"{iid}@{area.code}", clock=svc.clock)
    stamp = readings.local_now(svc.clock.now(), tz).strftime("%Y%m%d-%H%M")
    return dcc.send_bytes(workbook(sheets), f"{ind.name}-{area.name}-{stamp}.xlsx")
