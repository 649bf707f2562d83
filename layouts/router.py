"""The page router and the shell's live parts. Thin callbacks: check the user, call one builder."""

from __future__ import annotations

from urllib.parse import parse_qs

from dash import Input, Output, callback, clientside_callback

from cockpit.auth.guard import client_ip, current_user
from cockpit.core.audit import Actor, audit
from cockpit.core.i18n import _, fmt_datetime
from layouts import ids
from layouts.components.errors import forbidden, not_found
from layouts.context import services
from layouts.registry import page_at

# The clock runs in the browser: no server round trip every second.
clientside_callback(
    """function(_n) {
        const d = new Date();
        return d.toLocaleString(document.documentElement.lang || 'zh-CN', {hour12: false});
    }""",
    Output(ids.CLOCK, "children"),
    Input(ids.CLOCK_TICK, "n_intervals"),
)


@callback(Output(ids.PAGE, "children"), Input(ids.URL, "pathname"), Input(ids.URL, "search"))
def render_page(pathname: str | None, search: str | None):
    """Build the page at `pathname` if the user's role may open it; refuse (and audit) otherwise."""
    user = current_user()
    page = page_at(pathname or "/")
    if page is None:
        return not_found()
    if user.role not in page.roles:
        svc = services()
        audit(svc.db, Actor(user.user_id, client_ip()), "access.page", pathname, outcome="denied", clock=svc.clock)
        return forbidden()
    params = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
    if params.get("area") and params["area"] != user.area_code:
        # MLPS: record who looked at which area's figures when it is not their own.
        svc = services()
        audit(svc.db, Actor(user.user_id, client_ip()), "view.area", f"area:{params['area'][:12]}", pathname,
              clock=svc.clock)
    return page.layout(user, params)


@callback(Output(ids.FRESHNESS, "children"), Output(ids.DATA_VERSION, "data"), Input(ids.DATA_POLL, "n_intervals"))
def poll_data_version(_n):
    """The data version pages listen to, and the age of the newest data in the shell."""
    current_user()
    svc = services()
    version, changed_at = svc.db.data_version("data"), svc.db.data_changed_at("data")
    if changed_at is None:
        return _("No data received yet"), version
    return _("Data as of {time}", time=fmt_datetime(changed_at, svc.config.city.timezone, "short")), version

