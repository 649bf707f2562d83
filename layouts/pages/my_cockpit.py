"""量身定做: the leader picks pinned indicators, the order of the domain tiles and the page they land on."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from cockpit.auth.guard import Forbidden, current_user, guarded
from cockpit.core.i18n import N_, _
from cockpit.core.store import User
from layouts import prefs, readings
from layouts.components.common import page_header, panel
from layouts.context import services

ROLES = frozenset({"leader", "center_operator", "duty_officer"})
PINNED, ORDER, DEFAULT, SAVE, SAVED = "prefs-pinned", "prefs-order", "prefs-default", "prefs-save", "prefs-saved"


def view_choices(user: User) -> list[tuple[str, str]]:
    """(path, label) of the pages a user may choose to land on."""
    from layouts.registry import home_for_role, pages_for

    cfg = services().config
    choices = [(home_for_role(user.role), _("My role's home page"))]
    choices += [(p.path, _(p.title)) for p in pages_for(user.role) if p.landing and p.path != choices[0][0]]
    choices += [(f"/topic?id={tid}", _("Topic: {title}", title=t.title)) for tid, t in cfg.layouts.topics.items()]
    return choices


def layout(user: User, params: dict):
    """The personalisation form, filled with the stored choices."""
    cfg = services().config
    stored = prefs.load(user)
    options = [{"label": f"{i.domain} · {i.name}", "value": iid} for iid, i in cfg.indicators.items()]
    choices = view_choices(user)
    default = stored.get("default_view") if stored.get("default_view") in [c[0] for c in choices] else choices[0][0]
    form = html.Div([
        html.Label(_("Pinned indicators (shown first on my cockpit)"), htmlFor=PINNED, className="form-label"),
        dcc.Dropdown(options, stored.get("pinned", []), multi=True, id=PINNED, placeholder=_("Choose indicators")),
        html.Label(_("Order of the domain tiles (in the order chosen; the rest follow)"), htmlFor=ORDER,
                   className="form-label mt-3"),
        dcc.Dropdown([{"label": d, "value": d} for d in readings.domains(cfg)],
                     readings.ordered_domains(cfg, stored.get("tile_order")), multi=True, id=ORDER),
        html.Label(_("Default view after sign-in"), className="form-label mt-3"),
        dbc.RadioItems(options=[{"label": label, "value": path} for path, label in choices], value=default,
                       id=DEFAULT),
        html.Div([dbc.Button(_("Save"), id=SAVE, color="primary", className="mt-3"),
                  html.Span(id=SAVED, className="ms-3 saved-note")]),
    ], className="prefs-form")
    return html.Div([page_header(_("My cockpit"), _("Choose what you see first; stored for your account")),
                     panel(_("Personalise"), form)])


@callback(Output(SAVED, "children"), Input(SAVE, "n_clicks"), State(PINNED, "value"), State(ORDER, "value"),
          State(DEFAULT, "value"), prevent_initial_call=True)
@guarded(ROLES)
def save(_n, pinned, order, default):
    """Store the choices (only known indicators, domains and pages this user may open)."""
    user = current_user()
    cfg = services().config
    if default not in [c[0] for c in view_choices(user)]:
        raise Forbidden(N_("You do not have permission for this."))
    prefs.save(user, pinned=[i for i in pinned or [] if i in cfg.indicators],
               tile_order=[d for d in order or [] if d in readings.domains(cfg)], default_view=default)
    return _("Saved")
