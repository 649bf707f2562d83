"""The login page, logout and language switch: plain server-rendered forms with CSRF tokens."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from flask import Flask, abort, g, make_response, redirect, render_template_string, request

from cockpit.auth import sessions
from cockpit.auth.csrf import form_token, valid_form_token
from cockpit.core import store
from cockpit.core.audit import Actor, audit
from cockpit.core.clock import Clock
from cockpit.core.db import Database
from cockpit.core.i18n import LOCALES, _, current_locale
from cockpit.core.store import User

SESSION_COOKIE = "cockpit_session"
NONCE_COOKIE = "cockpit_nonce"


@dataclass
class AuthSettings:
    """What the auth routes need from the composition root."""

    db: Database
    clock: Clock
    policy: sessions.SessionPolicy
    secret: bytes
    secure_cookies: bool
    city_name: str
    demo: bool
    home_for: Callable[[User], str]


_LOGIN = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<link rel="stylesheet" href="/assets/vendor/bootstrap/bootstrap.min.css">
<link rel="stylesheet" href="/assets/cockpit.css">
</head><body class="login-page">
<main class="login-card card shadow">
  <div class="card-body">
    <div class="login-emblem">{{ city }}</div>
    <h1 class="h4 mb-1">{{ title }}</h1>
    <p class="text-muted small mb-4">{{ subtitle }}</p>
    {% if error %}<div class="alert alert-danger py-2" role="alert">{{ error }}</div>{% endif %}
    <form method="post" action="/login" autocomplete="off">
      <input type="hidden" name="csrf_token" value="{{ csrf }}">
      <input type="hidden" name="next" value="{{ next }}">
      <div class="mb-3"><label class="form-label" for="user_id">{{ l_user }}</label>
        <input class="form-control" id="user_id" name="user_id" required autofocus value="{{ user_id }}"></div>
      <div class="mb-3"><label class="form-label" for="password">{{ l_password }}</label>
        <input class="form-control" id="password" name="password" type="password" required></div>
      <button class="btn btn-primary w-100" type="submit" id="login-submit">{{ l_submit }}</button>
    </form>
    {% if demo %}<p class="text-muted small mt-3 mb-0">{{ demo_note }}</p>{% endif %}
  </div>
</main></body></html>"""


def register_auth_routes(server: Flask, settings: AuthSettings) -> None:
    """Add /login, /logout and /settings/locale to the Flask server."""

    def render_login(error: str | None = None, user_id: str = "", status: int = 200):
        nonce = request.cookies.get(NONCE_COOKIE) or secrets.token_urlsafe(16)
        html = render_template_string(
            _LOGIN,
            lang="zh-CN" if current_locale() == "zh_CN" else "en",
            title=_("City Operations Cockpit"),
            subtitle=_("Unified city operations management — please sign in"),
            city=settings.city_name,
            error=error,
            csrf=form_token(settings.secret, nonce),
            next=_safe_next(request.values.get("next")),
            user_id=user_id,
            l_user=_("User name"),
            l_password=_("Password"),
            l_submit=_("Sign in"),
            demo=settings.demo,
            demo_note=_("Demo deployment: all figures are simulated. Demo logins are printed by `make demo`."),
        )
        resp = make_response(html, status)
        resp.set_cookie(NONCE_COOKIE, nonce, httponly=True, samesite="Strict", secure=settings.secure_cookies)
        return resp

    @server.get("/login")
    def login_form():
        if g.get("user") is not None:
            return redirect(settings.home_for(g.user))
        return render_login()

    @server.post("/login")
    def login_submit():
        if not valid_form_token(settings.secret, request.cookies.get(NONCE_COOKIE), request.form.get("csrf_token")):
            return render_login(_("The form expired. Please try again."), status=400)
        user_id = (request.form.get("user_id") or "").strip()[:64]
        result = sessions.login(
            settings.db, user_id, request.form.get("password") or "", request.remote_addr, settings.policy,
            settings.clock,
        )
        if result.token is None:
            return render_login(_(result.reason or sessions.BAD_CREDENTIALS), user_id=user_id, status=401)
        target = _safe_next(request.form.get("next")) or settings.home_for(result.user)
        resp = redirect(target)
        resp.set_cookie(
            SESSION_COOKIE, result.token, httponly=True, samesite="Strict", secure=settings.secure_cookies,
            max_age=settings.policy.max_hours * 3600,
        )
        resp.delete_cookie(NONCE_COOKIE)
        return resp

    @server.post("/logout")
    def logout():
        token = request.cookies.get(SESSION_COOKIE)
        if not valid_form_token(settings.secret, token, request.form.get("csrf_token")):
            abort(400)
        sessions.logout(settings.db, token, request.remote_addr, settings.clock)
        resp = redirect("/login")
        resp.delete_cookie(SESSION_COOKIE)
        return resp

    @server.post("/settings/locale")
    def set_locale():
        token = request.cookies.get(SESSION_COOKIE)
        locale = request.form.get("locale")
        if g.get("user") is None or not valid_form_token(settings.secret, token, request.form.get("csrf_token")):
            abort(400)
        if locale not in LOCALES:
            abort(400)
        with settings.db.transaction() as cur:
            store.set_user_locale(cur, g.user.user_id, locale)
        audit(settings.db, Actor(g.user.user_id, request.remote_addr), "user.locale", f"user:{g.user.user_id}",
              locale, clock=settings.clock)
        return redirect(_safe_next(request.form.get("next")) or settings.home_for(g.user))


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if not target:
        return ""
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return ""
    return target
