"""The page router and the shell's live parts. Thin callbacks: check the user, call one builder."""

from __future__ import annotations

from urllib.parse import parse_qs

from dash import Input, Output, State, callback, clientside_callback, no_update

from cockpit.auth.guard import Forbidden, client_ip, current_user
from cockpit.core.audit import Actor, audit
from cockpit.core.i18n import _, fmt_datetime
from layouts import ids
from layouts.components.errors import forbidden, not_found
from layouts.context import services
from layouts.readings import local_now
from layouts.registry import page_at

# The clock runs in the browser (in the city's time zone, whatever the PC's): no server round trip every second.
clientside_callback(
    """function(_n) {
        const el = document.getElementById('shell-clock');
        const tz = (el && el.dataset.tz) || undefined;
        return new Date().toLocaleString(document.documentElement.lang || 'zh-CN', {hour12: false, timeZone: tz});
    }""",
    Output(ids.CLOCK, "children"),
    Input(ids.CLOCK_TICK, "n_intervals"),
)

# The navigation folds into a menu button on a phone.
clientside_callback(
    "function(n, open) { return n ? !open : open; }",
    Output("nav-collapse", "is_open"),
    Input("nav-toggle", "n_clicks"),
    State("nav-collapse", "is_open"),
)


@callback(Output(ids.PAGE, "children"), Input(ids.URL, "pathname"), Input(ids.URL, "search"))
def render_page(pathname: str | None, search: str | None):
    """Build the page at `pathname` if the user's role may open it; refuse (and audit) otherwise."""
    user = current_user()
    page = page_at(pathname or "/")
    if page is None:
        return not_found()
    svc = services()
    if user.role not in page.roles:
        audit(svc.db, Actor(user.user_id, client_ip()), "access.page", pathname, outcome="denied", clock=svc.clock)
        return forbidden()
    params = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
    try:
        content = page.layout(user, params)
    except Forbidden as exc:
        audit(svc.db, Actor(user.user_id, client_ip()), "access.area", f"{pathname}?{(search or '')[:80]}", str(exc),
              outcome="denied", clock=svc.clock)
        return forbidden()
    if params.get("area") and params["area"] != user.area_code:
        # MLPS: record who looked at which area's figures when it is not their own.
        audit(svc.db, Actor(user.user_id, client_ip()), "view.area", f"area:{params['area'][:12]}", pathname,
              clock=svc.clock)
    return content


@callback(Output(ids.LIVE_BODY, "children"), Input(ids.DATA_VERSION, "data"), State(ids.LIVE_VIEW, "data"),
          prevent_initial_call=True)
def refresh_live(_version, view: dict | None):
    """Rebuild the live part of the open page when the data version moved (same checks as the page itself)."""
    user = current_user()
    page = page_at((view or {}).get("path", ""))
    if page is None or page.live is None:
        return no_update
    if user.role not in page.roles:
        raise Forbidden("You do not have permission for this.")
    return page.live(user, dict((view or {}).get("params") or {}))


@callback(Output(ids.FRESHNESS, "children"), Output(ids.DATA_VERSION, "data"), Input(ids.DATA_POLL, "n_intervals"),
          State(ids.DATA_VERSION, "data"))
def poll_data_version(_n, known: str | None):
    """The data version pages listen to, and the age of the newest data in the shell.

    The version joins ingested data, indicator values and the local date, so that relative windows (今日, 本月)
    are re-evaluated after midnight even when no new data arrived; unchanged versions re-render nothing.
    """
    current_user()
    svc = services()
    db, tz = svc.db, svc.config.city.timezone
    version = f"{db.data_version('data')}.{db.data_version('indicators')}.{local_now(svc.clock.now(), tz):%Y%m%d}"
    changed_at = max((t for t in (db.data_changed_at("data"), db.data_changed_at("indicators")) if t), default=None)
    text = (_("No data received yet") if changed_at is None
            else _("Data as of {time}", time=fmt_datetime(changed_at, tz, "short")))
    return text, (no_update if version == known else version)
