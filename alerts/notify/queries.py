"""Named read-only queries of the notification log, scoped to the reader's area."""

from __future__ import annotations

from alerts.notify import store
from cockpit.core.db import Database
from cockpit.core.scope import scope_prefix

READERS = frozenset({"duty_officer", "center_operator"})
STATUSES = ("pending", "sent", "failed", "suppressed")


class NotAllowed(PermissionError):
    """The user's role may not read the notification log."""


def notification_log(db: Database, user, status: str | None = None, kind: str | None = None,
                     limit: int = 200) -> list[dict]:
    """The newest notifications about the user's area (duty officers and center operators only).

    Raises:
        NotAllowed: for any other role.
    """
    _check(user)
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    return store.notifications_in(db, scope_prefix(user.area_code), limit, status, kind)


def status_counts(db: Database, user) -> dict[str, int]:
    """How many notifications about the user's area are in each status."""
    _check(user)
    return store.counts_by_status(db, scope_prefix(user.area_code))


def _check(user) -> None:
    if user.role not in READERS:
        raise NotAllowed(user.role)
