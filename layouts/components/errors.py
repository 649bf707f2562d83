"""What a person sees when a page is refused or missing."""

from __future__ import annotations

from dash import html

from cockpit.core.i18n import _


def forbidden():
    """The page shown when the user may not open something (the server has already refused the data)."""
    return html.Div([
        html.I(className="bi bi-shield-lock empty-icon"),
        html.H1(_("Access denied"), className="page-title"),
        html.P(_("You do not have permission to open this page or area. The attempt has been recorded.")),
        html.A(_("Back to my home page"), href="/", className="btn btn-primary"),
    ], className="error-page", id="access-denied")


def not_found():
    """The page shown for an unknown address."""
    return html.Div([
        html.I(className="bi bi-signpost-split empty-icon"),
        html.H1(_("Page not found"), className="page-title"),
        html.A(_("Back to my home page"), href="/", className="btn btn-primary"),
    ], className="error-page")
