"""Composition root: the Flask server, the session guard, security headers and the Dash app."""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from pathlib import Path

import dash
from flask import Flask, abort, g, has_request_context, jsonify, redirect, request
from werkzeug.exceptions import HTTPException

from cockpit.auth.csrf import same_origin
from cockpit.auth.guard import Forbidden, NotAuthenticated, current_user
from cockpit.auth.ratelimit import AttemptLimiter
from cockpit.auth.sessions import SessionPolicy, password_change_due, resolve
from cockpit.auth.web import SESSION_COOKIE, AuthSettings, register_auth_routes
from cockpit.bootstrap import Runtime
from cockpit.core.audit import Actor, audit
from cockpit.core.i18n import N_, _, set_locale
from cockpit.core.scope import contains
from cockpit.demo.live import DrillControl
from cockpit.reports.web import register_briefing_routes
from cockpit.tasks.web import register_task_routes
from connectors.desk import Desk
from layouts import router  # noqa: F401 - registers the router callbacks
from layouts.components.district_map import district_map_html
from layouts.components.map_fill import index_fill
from layouts.context import EXTENSION_KEY, Services
from layouts.registry import home_for, page_at
from layouts.shell import shell

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PUBLIC_PREFIXES = ("/login", "/assets/", "/healthz", "/favicon.ico")
STYLESHEETS = ["/assets/vendor/bootstrap/bootstrap.min.css", "/assets/vendor/bootstrap-icons/bootstrap-icons.min.css"]


def create_app(runtime: Runtime, health: Callable[[], dict] | None = None) -> dash.Dash:
    """Build the web app for `runtime`; `health` adds checks (the scheduler) to /healthz."""
    config = runtime.config
    server = Flask(__name__)
    server.config["MAX_CONTENT_LENGTH"] = 20 * 1024 * 1024
    # Compress the scripts and styles only (the bulk of a first load): pages and callback answers carry session
    # tokens next to text a user typed, which compression would let a network observer guess (BREACH).
    server.config["COMPRESS_MIMETYPES"] = ["text/javascript", "application/javascript", "text/css", "image/svg+xml"]
    secret = _secret_key(runtime)
    drills = DrillControl(config, runtime.db) if config.simulator is not None else None
    services = Services(config, runtime.db, runtime.clock, secret, Desk(runtime.db, config, runtime.clock), drills)
    server.extensions[EXTENSION_KEY] = services
    policy = SessionPolicy.from_config(config)
    limiter = AttemptLimiter(config.security.login_attempts_per_ip,
                             timedelta(minutes=config.security.login_window_minutes))

    script_hashes: list[str] = []  # Dash's inline boot script and clientside callbacks, allowed by hash only

    @server.before_request
    def identify():
        set_locale(config.i18n.default_locale)
        token = request.cookies.get(SESSION_COOKIE)
        g.session = resolve(runtime.db, token, policy, runtime.clock)
        g.user = g.session.user if g.session and g.session.stage == "full" else None
        g.session_token = token if g.user else None
        if g.session is not None:
            set_locale(g.session.user.locale or config.i18n.default_locale)
        if request.method not in ("GET", "HEAD", "OPTIONS") and not same_origin(
            request.headers.get("Origin"), request.host_url
        ):
            abort(403)
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        if g.user is None:
            if request.method == "GET" and not request.path.startswith("/_dash"):
                return redirect(f"/login?next={request.full_path.rstrip('?')}")
            return jsonify(error=_("Please sign in.")), 401
        if password_change_due(g.user, policy, runtime.clock.now()) and request.path not in ("/password", "/logout"):
            if request.method == "GET" and not request.path.startswith("/_dash"):
                return redirect("/password")
            return jsonify(error=_("Please change your password first.")), 403
        page = page_at(request.path)
        if page is not None and g.user.role not in page.roles:
            audit(runtime.db, Actor(g.user.user_id, request.remote_addr), "access.page", request.path,
                  outcome="denied", clock=runtime.clock)
            return _error_page(_("Access denied"), 403)
        return None

    @server.after_request
    def harden(response):
        response.headers.setdefault("Content-Security-Policy", _csp(config.map.tile_url, script_hashes))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        if request.path.startswith(("/_dash-update-component", "/login", "/maps/")) or response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response

    @server.errorhandler(NotAuthenticated)
    def _unauthenticated(_exc):
        return jsonify(error=_("Please sign in.")), 401

    @server.errorhandler(Forbidden)
    def _forbidden(exc):
        if g.get("user") is not None:
            audit(runtime.db, Actor(g.user.user_id, request.remote_addr), "access.callback", request.path,
                  str(exc), outcome="denied", clock=runtime.clock)
        return jsonify(error=_(str(exc))), 403

    @server.errorhandler(HTTPException)
    def _http_error(exc):
        if request.path.startswith("/_dash") or request.accept_mimetypes.best == "application/json":
            return jsonify(error=exc.name), exc.code
        return _error_page(exc.name, exc.code)

    @server.errorhandler(Exception)
    def _crash(exc):
        log.exception("unhandled error on %s", request.path)
        return _error_page(_("Internal error. The error has been logged."), 500)

    @server.get("/")
    def root():
        return redirect(home_for(g.user))

    @server.get("/healthz")
    def healthz():
        checks = {"database": "ok" if runtime.db.writable() else "failed"}
        checks.update(health() if health else {})
        healthy = all(v == "ok" for v in checks.values())
        return jsonify(status="ok" if healthy else "failed", checks=checks), 200 if healthy else 503

    @server.get("/maps/districts")
    def district_map():
        code = request.args.get("area", g.user.area_code)
        if not contains(g.user.area_code, code) and not contains(code, g.user.area_code):
            raise Forbidden(N_("This area is outside your scope."))
        boundaries = _boundaries(config.map.boundaries)
        fill, labels = index_fill(runtime.db, config, code, runtime.clock.now(), g.user.area_code)
        html = district_map_html(boundaries, fill, labels, config.map.tile_url, config.map.tile_attribution)
        resp = server.response_class(html, mimetype="text/html")
        resp.headers["Content-Security-Policy"] = _csp(config.map.tile_url, ["'unsafe-inline'"])
        return resp

    register_auth_routes(server, AuthSettings(
        runtime.db, runtime.clock, policy, secret, config.server.secure_cookies, config.city.name,
        config.city.demo, home_for, limiter,
    ))
    register_briefing_routes(server, runtime.db, config, runtime.data_dir, runtime.clock, current_user)

    register_task_routes(server, runtime.db, config, runtime.clock, runtime.data_dir)

    app = dash.Dash(
        __name__, server=server, assets_folder=str(ASSETS), assets_ignore=r"(vendor|boundaries)/.*",
        external_stylesheets=STYLESHEETS, serve_locally=True, title=config.city.name, update_title=None,
        suppress_callback_exceptions=True, compress=True,
    )
    script_hashes.extend(app.csp_hashes())
    app.layout = lambda: (shell(g.user, g.session_token) if has_request_context() and g.get("user")
                          else dash.html.Div())
    return app


def _csp(tile_url: str | None, script_sources: list[str]) -> str:
    """A policy that allows nothing outside this server (the isolated-network rule, enforced by the browser).

    Scripts: this server's files plus the given hashes; the map frame (folium's generated page, our own data
    only) is the one place inline scripts run, and it has its own policy.
    """
    img = "'self' data: blob:"
    if tile_url:
        from urllib.parse import urlparse

        parts = urlparse(tile_url)
        img += f" {parts.scheme}://{parts.netloc}"
    script = " ".join(["'self'", *script_sources])
    return (f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; img-src {img}; "
            "font-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'")


@cache
def _boundaries(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _error_page(message: str, status: int):
    from flask import render_template_string

    html = render_template_string(
        "<!doctype html><html><head><meta charset='utf-8'><title>{{ m }}</title>"
        "<link rel='stylesheet' href='/assets/vendor/bootstrap/bootstrap.min.css'></head>"
        "<body class='p-5'><h1 class='h4' id='error-message'>{{ m }}</h1>"
        "<p><a href='/'>{{ back }}</a></p></body></html>", m=message, back=_("Back to my home page"))
    return html, status


def _secret_key(runtime: Runtime) -> bytes:
    """The configured key, or one generated once into the data directory (owner-only permissions)."""
    configured = runtime.config.server.secret_key
    if configured is not None:
        return configured.get_secret_value().encode()
    path = runtime.data_dir / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()
