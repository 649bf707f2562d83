"""The login page, logout and language switch: plain server-rendered forms with CSRF tokens."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from flask import Flask, abort, g, make_response, redirect, render_template_string, request
from markupsafe import Markup

from cockpit.auth import sessions, totp
from cockpit.auth.csrf import form_token, valid_form_token
from cockpit.auth.ratelimit import AttemptLimiter
from cockpit.auth.users import UserError, change_password
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
    limiter: AttemptLimiter


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


_CARD = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<link rel="stylesheet" href="/assets/vendor/bootstrap/bootstrap.min.css">
<link rel="stylesheet" href="/assets/cockpit.css">
</head><body class="login-page">
<main class="login-card card shadow"><div class="card-body">
  <div class="login-emblem">{{ city }}</div>
  <h1 class="h4 mb-1">{{ title }}</h1>
  <p class="text-muted small mb-3">{{ subtitle }}</p>
  {% if error %}<div class="alert alert-danger py-2" role="alert">{{ error }}</div>{% endif %}
  {{ extra }}
  <form method="post" action="{{ action }}" autocomplete="off">
    <input type="hidden" name="csrf_token" value="{{ csrf }}">
    {% for name, label, kind in fields %}
    <div class="mb-3"><label class="form-label" for="{{ name }}">{{ label }}</label>
      <input class="form-control" id="{{ name }}" name="{{ name }}" type="{{ kind }}" required
             {% if loop.first %}autofocus{% endif %}{% if kind == 'text' %} inputmode="numeric"{% endif %}></div>
    {% endfor %}
    <button class="btn btn-primary w-100" type="submit" id="form-submit">{{ submit }}</button>
  </form>
</div></main></body></html>"""


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

    def card(title, subtitle, action, fields, submit, error=None, extra="", status=200):
        html = render_template_string(
            _CARD, lang="zh-CN" if current_locale() == "zh_CN" else "en", city=settings.city_name, title=title,
            subtitle=subtitle, action=action, fields=fields, submit=submit, error=error, extra=extra,
            csrf=form_token(settings.secret, request.cookies.get(SESSION_COOKIE) or ""),
        )
        return make_response(html, status)

    @server.post("/login")
    def login_submit():
        if not valid_form_token(settings.secret, request.cookies.get(NONCE_COOKIE), request.form.get("csrf_token")):
            return render_login(_("The form expired. Please try again."), status=400)
        user_id = (request.form.get("user_id") or "").strip()[:64]
        if not settings.limiter.allow(request.remote_addr or "-", settings.clock.now()):
            audit(settings.db, Actor(None, request.remote_addr), "auth.rate_limited", f"user:{user_id}",
                  outcome="denied", clock=settings.clock)
            return render_login(_("Too many login attempts from this address. Please wait and try again."),
                                user_id=user_id, status=429)
        result = sessions.login(
            settings.db, user_id, request.form.get("password") or "", request.remote_addr, settings.policy,
            settings.clock,
        )
        if result.token is None:
            return render_login(_(result.reason or sessions.BAD_CREDENTIALS), user_id=user_id, status=401)
        target = _safe_next(request.form.get("next")) or settings.home_for(result.user)
        resp = redirect(target if result.stage == "full" else "/login/totp")
        resp.set_cookie(
            SESSION_COOKIE, result.token, httponly=True, samesite="Strict", secure=settings.secure_cookies,
            max_age=settings.policy.max_hours * 3600,
        )
        resp.delete_cookie(NONCE_COOKIE)
        return resp

    @server.route("/login/totp", methods=["GET", "POST"])
    def second_factor():
        session = g.get("session")
        if session is None or session.stage != "mfa":
            return redirect("/login")
        user = session.user
        token = request.cookies.get(SESSION_COOKIE)
        secret = store.totp_state(settings.db, user.user_id)[0]
        pending = None
        if secret is None:  # first login: enrol an authenticator
            from cockpit.auth import store as auth_store

            sealed = (auth_store.session_stage(settings.db, session.token_hash) or (None, None))[1]
            pending = totp.unseal(settings.db, "sessions.pending_totp", sealed)
            if pending is None:
                pending = totp.new_secret()
                with settings.db.transaction() as cur:
                    auth_store.set_pending_totp(cur, session.token_hash,
                                                totp.seal(settings.db, "sessions.pending_totp", pending))
        error = None
        if request.method == "POST":
            if not valid_form_token(settings.secret, token, request.form.get("csrf_token")):
                abort(400)
            code = request.form.get("code") or ""
            now = settings.clock.now()
            if pending is not None and totp.matching_step(pending, code, now) is not None:
                with settings.db.transaction() as cur:
                    store.set_totp(cur, user.user_id, totp.seal(settings.db, "users.totp_secret", pending),
                                   totp.matching_step(pending, code, now))
                audit(settings.db, Actor(user.user_id, request.remote_addr), "auth.totp_enrol",
                      f"user:{user.user_id}", clock=settings.clock)
                ok = True
            else:
                ok = pending is None and totp.verify_code(settings.db, user.user_id, code, now)
            if ok:
                new_token = sessions.complete_second_factor(
                    settings.db, session, request.remote_addr, settings.policy, settings.clock)
                resp = redirect(settings.home_for(user))
                resp.set_cookie(SESSION_COOKIE, new_token, httponly=True, samesite="Strict",
                                secure=settings.secure_cookies, max_age=settings.policy.max_hours * 3600)
                return resp
            audit(settings.db, Actor(user.user_id, request.remote_addr), "auth.totp", f"user:{user.user_id}",
                  "wrong or reused code", outcome="failed", clock=settings.clock)
            error = _("The code is wrong or has already been used.")
        extra = ""
        if pending is not None:
            uri = totp.provisioning_uri(pending, user.user_id, settings.policy.totp_issuer)
            extra = Markup('<div class="totp-enrol text-center mb-3">{}<div class="small text-muted">{}</div>'
                           '<code id="totp-secret">{}</code></div>').format(
                Markup(totp.qr_svg(uri)),  # noqa: S704 - SVG we generate from our own data
                _("Scan with an authenticator app, or enter this key:"), pending)
        return card(_("Second factor"), _("Enter the 6-digit code from your authenticator app."),
                    "/login/totp", [("code", _("Verification code"), "text")], _("Verify"), error, extra,
                    400 if error else 200)

    @server.route("/password", methods=["GET", "POST"])
    def password_form():
        if g.get("user") is None:
            return redirect("/login")
        error = None
        if request.method == "POST":
            if not valid_form_token(settings.secret, request.cookies.get(SESSION_COOKIE),
                                    request.form.get("csrf_token")):
                abort(400)
            new = request.form.get("new_password") or ""
            if new != (request.form.get("confirm_password") or ""):
                error = _("The two new passwords differ.")
            else:
                try:
                    change_password(settings.db, Actor(g.user.user_id, request.remote_addr), g.user.user_id,
                                    request.form.get("old_password") or "", new, settings.policy, settings.clock)
                    return redirect(settings.home_for(g.user))
                except UserError as exc:
                    error = _(str(exc), **exc.values)
        return card(_("Change password"),
                    _("At least {n} characters mixing three of: upper case, lower case, digits, symbols.",
                      n=settings.policy.password_min_length),
                    "/password", [("old_password", _("Current password"), "password"),
                                  ("new_password", _("New password"), "password"),
                                  ("confirm_password", _("Repeat the new password"), "password")],
                    _("Change password"), error, status=400 if error else 200)

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
