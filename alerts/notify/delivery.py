"""Delivery: send the notifications that are due, in parallel, each with a time limit; record every attempt.

A failed send is retried with doubling waits (`notifications.retry`) until it succeeds or the attempts run out.
One dead receiver costs at most one time limit per pass and never holds up the others.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timedelta

from alerts.notify import store
from alerts.notify.channels import Message, SendFailed, send
from cockpit.core.config import Config
from cockpit.core.config.notifications import duration_seconds
from cockpit.core.db import Cursor, Database
from cockpit.core.i18n import N_, gettext, use_locale

MAX_PARALLEL = 8


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(db: Database, config: Config, now: datetime) -> DeliveryReport:
    """Send every pending notification due at `now` and record the outcome of each."""
    report = DeliveryReport()
    rows = store.due(db, now)
    if not rows:
        return report
    cfg = config.notifications
    timeout = duration_seconds(cfg.timeout)
    outcomes = []
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(rows)), thread_name_prefix="notify") as pool:
        futures = {pool.submit(_attempt, config, row, timeout): row for row in rows}
        for future in as_completed(futures):
            outcomes.append((futures[future], *future.result()))
    with db.transaction() as cur:  # one commit per pass, not per send
        for row, ok, result in outcomes:
            _record(cur, config, row, ok, result, now, report)
        db.bump(cur, "notifications")
    return report


def backoff_seconds(config: Config, attempts: int) -> float:
    """The wait after the `attempts`-th failed send: backoff × 2^(attempts − 1), at most max_backoff."""
    retry = config.notifications.retry
    return min(duration_seconds(retry.backoff) * 2 ** (attempts - 1), duration_seconds(retry.max_backoff))


def message_of(config: Config, row: dict) -> Message:
    """The message channels send for a stored notification."""
    items = row["items"]
    with use_locale(config.i18n.default_locale):
        title = items[0]["title"] if len(items) == 1 else gettext(
            N_("{count} notices: {title} …"), count=len(items), title=items[0]["title"])
    return Message(row["notification_id"], row["receiver"], row["reason"], title, row["level"], items)


def _attempt(config: Config, row: dict, timeout: float) -> tuple[bool, str]:
    receiver = config.notifications.receivers.get(row["receiver"])
    if receiver is None:
        return False, "unknown receiver"
    try:
        with use_locale(config.i18n.default_locale):
            return True, send(receiver, message_of(config, row), timeout)
    except SendFailed as exc:
        return False, str(exc)
    except Exception as exc:  # noqa: BLE001 - a channel bug must not stop the other sends; its type is recorded
        return False, f"error {type(exc).__name__}"


def _record(cur: Cursor, config: Config, row: dict, ok: bool, result: str, now: datetime,
            report: DeliveryReport) -> None:
    attempts = row["attempts"] + 1
    if ok:
        status, next_due = "sent", None
        report.sent += 1
    elif attempts >= config.notifications.retry.max_attempts:
        status, next_due = "failed", None
        report.failed += 1
    else:
        status, next_due = "pending", now + timedelta(seconds=backoff_seconds(config, attempts))
        report.retrying += 1
    store.record_attempt(cur, row["notification_id"], status, attempts, now, result[:300], next_due)
