"""Small building blocks shared by every page: headers, empty states, figures with units."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from cockpit.core.i18n import _


def page_header(title: str, subtitle: str | None = None, crumbs: list[tuple[str, str | None]] | None = None):
    """A page title with an optional breadcrumb of (label, href) pairs (href None for the current page)."""
    parts = []
    if crumbs:
        items = [
            html.Li(html.A(label, href=href) if href else label,
                    className="breadcrumb-item" + ("" if href else " active"))
            for label, href in crumbs
        ]
        parts.append(html.Nav(html.Ol(items, className="breadcrumb mb-1"), **{"aria-label": _("Breadcrumb")}))
    parts.append(html.H1(title, className="page-title"))
    if subtitle:
        parts.append(html.P(subtitle, className="page-subtitle"))
    return html.Div(parts, className="page-header")


def empty_state(title: str, body: str, icon: str = "inbox"):
    """What a panel shows when there is honestly nothing to show yet (never a fake zero)."""
    return html.Div(
        [html.I(className=f"bi bi-{icon} empty-icon"), html.Div(title, className="empty-title"),
         html.Div(body, className="empty-body")],
        className="empty-state",
    )


def stat_card(label: str, value: str, unit: str = "", note: str | None = None, level: str | None = None):
    """A headline figure: label, value with its unit, an optional note; `level` colours it (blue…red)."""
    return dbc.Card(
        dbc.CardBody([
            html.Div(label, className="stat-label"),
            html.Div([html.Span(value, className="stat-value"), html.Span(unit, className="stat-unit")]),
            html.Div(note, className="stat-note") if note else None,
        ]),
        className="stat-card h-100" + (f" level-{level}" if level else ""),
    )


def panel(title: str, body, actions=None, class_name: str = ""):
    """A titled panel."""
    header = html.Div([html.H2(title, className="panel-title"), actions], className="panel-header")
    return html.Section([header, html.Div(body, className="panel-body")], className=f"panel {class_name}")


def demo_badge():
    """The label every simulated figure carries."""
    return dbc.Badge(_("Demo data"), color="warning", text_color="dark", className="demo-badge")
