"""A page region that re-renders on the server when the data version changes (no reload)."""

from __future__ import annotations

from dash import dcc, html

from layouts import ids


def live_region(path: str, params: dict, children):
    """Wrap `children`; the router's refresh callback rebuilds them with the page's `live` builder."""
    return html.Div([dcc.Store(id=ids.LIVE_VIEW, data={"path": path, "params": params}),
                     html.Div(children, id=ids.LIVE_BODY)])
