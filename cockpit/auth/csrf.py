"""CSRF protection: a token bound to the session for forms; an Origin check for every other POST."""

from __future__ import annotations

import hashlib
import hmac


def form_token(secret: bytes, binding: str) -> str:
    """The token a form must carry; `binding` is the session token (or a pre-login nonce)."""
    return hmac.new(secret, f"csrf:{binding}".encode(), hashlib.sha256).hexdigest()


def valid_form_token(secret: bytes, binding: str | None, token: str | None) -> bool:
    """Whether a submitted form token matches its binding."""
    if not binding or not token:
        return False
    return hmac.compare_digest(form_token(secret, binding), token)


def same_origin(origin: str | None, host_url: str) -> bool:
    """Whether a request's Origin header (absent for non-browser clients) names this server."""
    if origin is None:
        return True
    return origin.rstrip("/") == host_url.rstrip("/")
