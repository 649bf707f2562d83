"""What the app's pages ask of the connectors room: the 数据接入 page and the 一张表 form page.

Pages (layouts/) may not import connectors (import-linter), so the composition root hands them a `Desk`
through the app's services. Every method that changes something checks who asks and writes the audit log.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from cockpit.core import store as core_store
from cockpit.core.audit import Actor, audit
from cockpit.core.clock import Clock
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.i18n import N_
from cockpit.core.scope import contains
from cockpit.core.store import User
from connectors import forms, store
from connectors.health import source_health, timeliness
from connectors.reprocess import Reprocessed, reprocess_quarantine
from connectors.runner import is_running_here, run_source, source_lock

log = logging.getLogger(__name__)

FORM_ROLES = frozenset({"handler", "center_operator"})       # who submits, when their area is a street
REPORTING_ROLES = frozenset({"center_operator", "duty_officer", "leader"})
SOURCE_ROLES = frozenset({"admin", "center_operator"})


class NotAllowed(PermissionError):
    """The user may not do this; the message is a catalog msgid."""


@dataclass(frozen=True)
class FormView:
    """What a street user's form shows."""

    source_id: str
    name: str
    fields: list[forms.FormField]
    period_start: datetime
    period_end: datetime
    due_at: datetime
    values: dict | None                 # what the street last submitted for this period
    submitted_at: datetime | None
    open: bool                          # before the deadline, or not yet submitted


@dataclass(frozen=True)
class SubmitOutcome:
    """A stored submission, or the problems (in the user's language) that stopped it."""

    done: forms.Submitted | None
    problems: list[str]


class Desk:
    """The connectors room's services for the pages of the running app."""

    def __init__(self, db: Database, config: Config, clock: Clock):
        self.db, self.config, self.clock = db, config, clock

    # --- 数据接入 -------------------------------------------------------------------------------------

    def sources(self, user: User) -> list[dict]:
        """Every source's health, 及时率 over 7 days, waiting quarantine and freshness, for the 数据接入 page."""
        _require(user, SOURCE_ROLES)
        now = self.clock.now()
        fresh = {r["source_id"]: r for r in store.freshness_rows(self.db)}
        hung = {sid: reason for _run, sid, reason in store.hung_run_ids(self.db)}
        out = []
        for row in source_health(self.db, self.config, now):
            rate, on_time, expected = timeliness(self.db, self.config, row["id"], now)
            f = fresh.get(row["id"])
            out.append(row | {
                "owner_name": _unit_name(self.db, row["owner"]),
                "timeliness": rate, "timely_slots": on_time, "expected_slots": expected,
                "quarantine_waiting": store.quarantine_count(self.db, row["id"]),
                "freshness": f["level"] if f else None, "freshness_reason": f["reason"] if f else None,
                "running": is_running_here(row["id"]), "hung": hung.get(row["id"]),
            })
        return out

    def quarantine(self, user: User, source_id: str, page: int, size: int = 20) -> tuple[list[dict], int]:
        """One page (from 0) of a source's quarantined rows with their reasons, and the total waiting.

        The raw rows are business data (names, phone numbers, addresses of citizens' requests), so under
        separation of duties only a center operator of the whole city sees them; not the administrator.
        """
        self.require_quarantine_reader(user)
        self._known(source_id)
        audit(self.db, Actor(user.user_id), "source.quarantine.view", f"source:{source_id}", {"page": page},
              clock=self.clock)
        return (store.quarantine_page(self.db, source_id, size, page * size),
                store.quarantine_count(self.db, source_id))

    def require_quarantine_reader(self, user: User) -> None:
        """Raise NotAllowed unless `user` may read quarantined raw rows (a city-wide center operator)."""
        if user.role != "center_operator" or not contains(user.area_code, self.config.city.code):
            raise NotAllowed(N_("Quarantined rows hold business data: only the city center's operators see them."))

    def run_now(self, user: User, source_id: str, ip: str | None = None) -> bool:
        """Start a run of the source in a background thread of this process; False when one is going on."""
        _require(user, SOURCE_ROLES)
        self._known(source_id)
        lock = source_lock(source_id)
        if not lock.acquire(blocking=False):        # claimed here, so two clicks cannot both start a run
            audit(self.db, Actor(user.user_id, ip), "source.run_now", f"source:{source_id}", "already running",
                  outcome="failed", clock=self.clock)
            return False
        try:
            audit(self.db, Actor(user.user_id, ip), "source.run_now", f"source:{source_id}", clock=self.clock)
            thread = threading.Thread(target=self._run, args=(source_id, lock), name=f"run-now-{source_id}",
                                      daemon=True)
            thread.start()
        except BaseException:
            lock.release()
            raise
        return True

    def _run(self, source_id: str, lock: threading.Lock) -> None:
        try:
            run_source(self.db, self.config, source_id, self.clock)
        except Exception:  # the runner records every failure; this only catches a broken database
            log.exception("source %s: run by hand failed", source_id)
        finally:
            lock.release()

    def reprocess(self, user: User, source_id: str, ip: str | None = None) -> Reprocessed:
        """Re-validate a source's quarantined rows after a configuration fix (audited)."""
        _require(user, SOURCE_ROLES)
        self._known(source_id)
        result = reprocess_quarantine(self.db, self.config, source_id, self.clock)
        audit(self.db, Actor(user.user_id, ip), "source.reprocess", f"source:{source_id}",
              {"loaded": result.loaded, "still_bad": result.still_bad, "not_rows": result.not_rows}, clock=self.clock)
        return result

    def _known(self, source_id: str) -> None:
        if source_id not in self.config.sources:
            raise NotAllowed(N_("Unknown data source."))

    # --- 一张表 ---------------------------------------------------------------------------------------

    def form_sources(self) -> list[tuple[str, str]]:
        """(id, name) of the enabled manual-form sources."""
        return [(sid, self.config.sources[sid].name) for sid in forms.form_sources(self.config)]

    def can_submit(self, user: User, source_id: str) -> bool:
        """Whether `user` reports this form for their own street."""
        return (user.role in FORM_ROLES and source_id in forms.form_sources(self.config)
                and forms.must_report(self.db, self.config, source_id, user.area_code))

    def form(self, user: User, source_id: str) -> FormView:
        """The current period's form for the user's own street."""
        self._require_reporter(user, source_id)
        now = self.clock.now()
        start, end, due = forms.current_period(self.config, source_id, now)
        status = next(s for s in forms.reporting(self.db, self.config, source_id, start, user.area_code, now).streets
                      if s.street_code == user.area_code)
        return FormView(source_id, self.config.sources[source_id].name, forms.form_fields(self.config, source_id),
                        start, end, due, forms.latest_values(self.db, source_id, user.area_code, start),
                        status.submitted_at, status.submitted_at is None or now <= due)

    def submit(self, user: User, source_id: str, street_code: str, values: dict,
               ip: str | None = None) -> SubmitOutcome:
        """Store the figures of `street_code`, which must be the user's own street (checked here, audited).

        Raises NotAllowed for another street; invalid figures come back as `problems` in the user's language.
        """
        actor = Actor(user.user_id, ip)
        if street_code != user.area_code or not self.can_submit(user, source_id):
            audit(self.db, actor, "form.submit", f"area:{str(street_code)[:12]}", {"source": str(source_id)[:40]},
                  outcome="denied", clock=self.clock)
            raise NotAllowed(N_("You can submit figures for your own street or township only."))
        try:
            done = forms.submit(self.db, self.config, source_id, street_code, values, self.clock.now(), user.user_id)
        except forms.FormError as exc:
            audit(self.db, actor, "form.submit", f"area:{street_code}", {"source": source_id, "problems": str(exc)},
                  outcome="failed", clock=self.clock)
            return SubmitOutcome(None, exc.messages())
        audit(self.db, actor, "form.submit", f"area:{street_code}",
              {"source": source_id, "period": done.period_start.isoformat(), "late": done.late,
               "replaced": done.replaced}, clock=self.clock)
        return SubmitOutcome(done, [])

    def reporting(self, user: User, source_id: str, period_start: datetime | None = None) -> forms.Reporting:
        """Who in the user's area has reported for a period (default: the current one)."""
        _require(user, REPORTING_ROLES)
        if source_id not in forms.form_sources(self.config):
            raise NotAllowed(N_("Unknown data source."))
        now = self.clock.now()
        start = period_start or forms.current_period(self.config, source_id, now)[0]
        return forms.reporting(self.db, self.config, source_id, start, user.area_code, now)

    def previous_period(self, source_id: str) -> datetime:
        """The start of the period before the current one."""
        return forms.previous_period(self.config, source_id, self.clock.now())

    def _require_reporter(self, user: User, source_id: str) -> None:
        if not self.can_submit(user, source_id):
            raise NotAllowed(N_("You can submit figures for your own street or township only."))


def _unit_name(db: Database, unit_id: str | None) -> str | None:
    unit = core_store.unit(db, unit_id) if unit_id else None
    return (unit.get("short") or unit["name"]) if unit else unit_id


def _require(user: User, roles: frozenset[str]) -> None:
    if user.role not in roles:
        raise NotAllowed(N_("You do not have permission for this."))
