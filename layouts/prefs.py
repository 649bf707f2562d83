"""量身定做: a user's pinned indicators, tile order and default view, stored per user (core `user_prefs`)."""

from __future__ import annotations

from cockpit.auth.guard import client_ip
from cockpit.core import store
from cockpit.core.audit import Actor, audit
from cockpit.core.store import User
from layouts.context import services

MAX_PINNED = 12


def load(user: User) -> dict:
    """The user's preferences: {"pinned": [...], "tile_order": [...], "default_view": "/path"}."""
    return store.prefs(services().db, user.user_id)


def save(user: User, **changes) -> dict:
    """Merge `changes` into the stored preferences (audited) and return the result."""
    svc = services()
    values = {**store.prefs(svc.db, user.user_id), **changes}
    values["pinned"] = list(dict.fromkeys(values.get("pinned", [])))[:MAX_PINNED]
    with svc.db.transaction() as cur:
        store.save_prefs(cur, user.user_id, values, svc.clock.now())
    audit(svc.db, Actor(user.user_id, client_ip()), "prefs.update", user.user_id, ",".join(sorted(changes)),
          clock=svc.clock)
    return values


def toggle_pinned(user: User, indicator_id: str) -> bool:
    """Pin or unpin one indicator; returns whether it is pinned now."""
    pinned = list(load(user).get("pinned", []))
    if indicator_id in pinned:
        pinned.remove(indicator_id)
    else:
        pinned.append(indicator_id)
    return indicator_id in save(user, pinned=pinned)["pinned"]
