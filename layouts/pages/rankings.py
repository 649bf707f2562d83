"""晾晒台: districts and departments ranked by each criterion; every score opens to show how it was computed."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from cockpit.core.i18n import _
from cockpit.core.store import User
from cockpit.reports.explain import how, show_value
from cockpit.reports.html_doc import STATUS
from cockpit.reports.narrative import KIND_NAMES, tr
from cockpit.reports.periods import KINDS, last_complete
from cockpit.reports.rankings import rankings
from layouts.components.common import page_header, panel
from layouts.context import services


def layout(user: User, params: dict):
    """The rankings of the last complete day, week or month (`kind` in the query)."""
    svc = services()
    kind = params.get("kind") if params.get("kind") in KINDS else "weekly"
    period = last_complete(kind, svc.clock.now(), svc.config.city.timezone)
    tabs = dbc.Nav([dbc.NavLink(tr(KIND_NAMES[k]), href=f"/rankings?kind={k}", active=k == kind) for k in KINDS],
                   pills=True, className="mb-3")
    subtitle = _("{first} to {last}", first=period.first_day().isoformat(), last=period.last_day().isoformat())
    own = user.area_code[:6] if len(user.area_code) >= 6 and user.area_code != svc.config.city.code else None
    panels = [panel(f"{_(r.title)} · {_('Districts') if r.subject_kind == 'district' else _('Departments')}",
                    _table(r, own)) for r in rankings(svc.db, svc.config, period)]
    note = html.P(_("Volumes are compared per 100,000 residents; fewer cases than the minimum sample are listed as "
                    "insufficient sample, not ranked; districts are ranked within their peer group where configured."),
                  className="text-muted small")
    return html.Div([page_header(_("Rankings"), subtitle), tabs, note, *panels])


def _table(ranking, own: str | None):
    rows = []
    shown = [x for x in ranking.rows if x.status != "no_data"]
    ordered = sorted(shown, key=lambda x: (x.group or "", x.rank is None, x.rank or 0, x.subject))
    for x in ordered:
        data = x.__dict__
        rank = str(x.rank) if x.rank is not None else tr(STATUS[x.status])
        change = "—" if x.change is None else (f"↑{x.change}" if x.change > 0 else (f"↓{-x.change}" if x.change < 0
                                                                                    else "0"))
        score = html.Details([html.Summary(show_value(x.value, ranking.unit)),
                              html.Div(how(data, ranking.metric, ranking.unit), className="small text-muted")],
                             className="score-how")
        rows.append(html.Tr([html.Td(rank, className="num"), html.Td(x.name), html.Td(x.group or "—"),
                             html.Td(score), html.Td(change, className="num")],
                            className="table-warning" if own and x.subject == own else None,
                            **{"data-subject": x.subject}))
    missing = [x.name for x in ranking.rows if x.status == "no_data"]
    note = html.P(_("No data this period: {names}.", names=_("; ").join(missing)), className="text-muted small") \
        if missing else None
    if not rows:
        return html.Div([html.P(_("Nobody has data to rank."), className="text-muted"), note])
    widths = {"rank": "12%", "name": "18%", "group": "12%", "score": "48%", "change": "10%"}
    head = html.Thead(html.Tr([html.Th(_("Rank"), className="num", style={"width": widths["rank"]}),
                               html.Th(_("Name"), style={"width": widths["name"]}),
                               html.Th(_("Peer group"), style={"width": widths["group"]}),
                               html.Th(_("Score"), style={"width": widths["score"]}),
                               html.Th(_("Change"), className="num", style={"width": widths["change"]})]))
    return html.Div([dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, className="ranking-table"), note])
