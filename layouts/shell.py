"""The shell around every page: city name, live clock, data freshness, role navigation, language, logout."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from cockpit.auth.csrf import form_token
from cockpit.core.i18n import _, current_locale
from cockpit.core.roles import ROLE_LABELS
from cockpit.core.store import User
from layouts import ids
from layouts.components.warning_counts import header_counts
from layouts.context import services
from layouts.registry import pages_for

DATA_POLL_MS = 10_000


def shell(user: User, session_token: str):
    """The whole page frame for a logged-in user; the router fills `ids.PAGE`."""
    svc = services()
    csrf = form_token(svc.secret, session_token)
    nav = [
        dbc.NavItem(dbc.NavLink([html.I(className=f"bi bi-{p.icon} me-1"), _(p.title)], href=p.path, active="partial"))
        for p in pages_for(user.role) if p.nav
    ]
    other = "en" if current_locale() == "zh_CN" else "zh_CN"
    user_menu = dbc.DropdownMenu(
        [
            dbc.DropdownMenuItem(f"{user.display_name} · {_(ROLE_LABELS[user.role])}", header=True),
            html.Form([
                dcc.Input(type="hidden", name="csrf_token", value=csrf),
                dcc.Input(type="hidden", name="locale", value=other),
                html.Button("English" if other == "en" else "中文", type="submit", className="dropdown-item",
                            id="switch-language"),
            ], method="POST", action="/settings/locale"),
            dbc.DropdownMenuItem([html.I(className="bi bi-sliders me-1"), _("My cockpit")], href="/my-cockpit",
                                 id="menu-my-cockpit") if user.role in ("leader", "center_operator", "duty_officer")
            else None,
            dbc.DropdownMenuItem([html.I(className="bi bi-key me-1"), _("Change password")], href="/password",
                                 external_link=True),
            dbc.DropdownMenuItem(divider=True),
            html.Form([
                dcc.Input(type="hidden", name="csrf_token", value=csrf),
                html.Button([html.I(className="bi bi-box-arrow-right me-1"), _("Sign out")], type="submit",
                            className="dropdown-item", id="logout-button"),
            ], method="POST", action="/logout"),
        ],
        label=[html.I(className="bi bi-person-circle me-1"), user.display_name],
        align_end=True, nav=True, in_navbar=True, id="user-menu",
    )
    navbar = dbc.Navbar(
        dbc.Container([
            html.A([html.Span(svc.config.city.name, className="brand-city"),
                    html.Span(_("City Operations Cockpit"), className="brand-product")],
                   href="/", className="navbar-brand"),
            dbc.NavbarToggler(id="nav-toggle"),
            dbc.Collapse(dbc.Nav(nav, navbar=True, className="me-auto", id="main-nav"), navbar=True,
                         id="nav-collapse"),
            html.Div([
                header_counts(user),
                html.Span(id=ids.FRESHNESS, className="freshness"),
                html.Span(id=ids.CLOCK, className="shell-clock", **{"data-tz": svc.config.city.timezone}),
                dbc.Nav(user_menu, navbar=True),
            ], className="shell-right"),
        ], fluid=True),
        color="dark", dark=True, className="shell-navbar", expand="lg",
    )
    return html.Div([
        dcc.Location(id=ids.URL, refresh="callback-nav"),
        dcc.Interval(id=ids.CLOCK_TICK, interval=1000),
        dcc.Interval(id=ids.DATA_POLL, interval=DATA_POLL_MS),
        dcc.Store(id=ids.DATA_VERSION),
        navbar,
        dbc.Container(html.Div(id=ids.PAGE), fluid=True, className="page-container"),
    ], className=f"role-{user.role}")
