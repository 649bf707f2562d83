"""一张表填报: what a street submits, how it is checked, and who has reported for a period (报送率).

Public entry points (the app's form page, the demo simulator): `submit`, `form_fields`, `reporting`.
Submissions are stored by `submit` and reach the dataset through the `manual_form` connector's scheduled
run (the normal pipeline), so indicators read them like any other data.

Rules: one report per street and period; a resubmission before the deadline replaces the earlier one; the
first submission after the deadline is accepted and counts as late (逾期补报); after the deadline
submitted figures cannot be changed. The scope check (a street user reports for their own street only)
is the caller's, since only the caller knows the user — see the app's form page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.i18n import N_, gettext
from cockpit.core.scope import scope_prefix
from connectors import store
from connectors.kinds.manual_form import ManualFormSettings, due_at, period_bounds


@dataclass(frozen=True)
class FormField:
    """One figure a street types in."""

    name: str
    label: str
    type: str
    required: bool


class FormError(ValueError):
    """A submission that cannot be accepted; `problems` are (msgid, values), one per problem."""

    def __init__(self, problems: list[tuple[str, dict]]):
        self.problems = problems
        super().__init__("; ".join(m.format(**v) for m, v in problems))

    def messages(self) -> list[str]:
        """The problems in the current language."""
        return [gettext(m, **v) for m, v in self.problems]


@dataclass(frozen=True)
class Submitted:
    """What `submit` stored."""

    street_code: str
    period_start: datetime
    due_at: datetime
    late: bool
    replaced: bool
    seq: int


@dataclass(frozen=True)
class StreetStatus:
    """One street's report for one period."""

    street_code: str
    state: str                      # on_time | late (submitted after the deadline) | missing | pending
    submitted_at: datetime | None
    submitted_by: str | None
    versions: int                   # how many times it was submitted


@dataclass(frozen=True)
class Reporting:
    """Who has reported for one period; `rate` is the on-time share of the streets that must report."""

    source_id: str
    period_start: datetime
    period_end: datetime
    due_at: datetime
    streets: list[StreetStatus]

    @property
    def expected(self) -> int:
        """Streets that must report."""
        return len(self.streets)

    def count(self, state: str) -> int:
        """Streets in `state`."""
        return sum(1 for s in self.streets if s.state == state)

    @property
    def rate(self) -> float | None:
        """报送率: streets that reported by the deadline / streets that must report (None when none must)."""
        return self.count("on_time") / self.expected if self.expected else None


def form_sources(config: Config) -> list[str]:
    """Ids of the enabled manual-form sources, in configuration order."""
    return [sid for sid, s in config.sources.items() if s.kind == "manual_form" and s.enabled]


def settings_of(config: Config, source_id: str) -> ManualFormSettings:
    """The validated settings of a manual_form source."""
    return ManualFormSettings.model_validate(config.sources[source_id].settings)


def form_fields(config: Config, source_id: str) -> list[FormField]:
    """The figures the form asks for, in the dataset's column order."""
    settings = settings_of(config, source_id)
    dataset = config.datasets[config.sources[source_id].dataset]
    kept = {settings.id_column, settings.due_column, settings.submitted_column, settings.status_column,
            settings.by_column, dataset.area, dataset.time}
    names = settings.fields or [c for c in dataset.columns if c not in kept]
    return [FormField(n, dataset.columns[n].description or n, dataset.columns[n].type,
                      dataset.columns[n].required or n in settings.required) for n in names]


def must_report(db: Database, config: Config, source_id: str, street_code: str) -> bool:
    """Whether `street_code` is a street that has to submit this form."""
    return street_code in _streets(db, config, source_id, None)


def current_period(config: Config, source_id: str, now: datetime) -> tuple[datetime, datetime, datetime]:
    """(start, end, deadline) of the period `now` falls in."""
    settings = settings_of(config, source_id)
    start, end = period_bounds(now, settings.period, config.city.timezone)
    return start, end, due_at(start, settings)


def previous_period(config: Config, source_id: str, now: datetime) -> datetime:
    """The start of the period before the current one."""
    settings = settings_of(config, source_id)
    start = period_bounds(now, settings.period, config.city.timezone)[0]
    return period_bounds(start - timedelta(seconds=1), settings.period, config.city.timezone)[0]


def submit(db: Database, config: Config, source_id: str, street_code: str, values: dict, now: datetime,
           user_id: str, period: datetime | None = None) -> Submitted:
    """Store a street's figures for the current period (or `period`, a missed earlier one: a late report).

    `values` maps field names to text or numbers as typed. Raises FormError listing every problem.
    """
    settings = settings_of(config, source_id)
    if not must_report(db, config, source_id, street_code):
        raise FormError([(N_("Area {area} does not have to submit this form."), {"area": street_code})])
    typed = validate_values(form_fields(config, source_id), values, settings.allow_negative)
    current = period_bounds(now, settings.period, config.city.timezone)[0]
    start = current if period is None else period_bounds(period, settings.period, config.city.timezone)[0]
    if start > current:
        raise FormError([(N_("Figures cannot be submitted for a future period."), {})])
    due = due_at(start, settings)
    with db.transaction() as cur:
        earlier = any(s["street_code"] == street_code for s in store.submissions_for_period(db, source_id, start))
        if earlier and now > due:
            raise FormError([(N_("The deadline has passed: submitted figures can no longer be changed."), {})])
        seq = store.save_submission(cur, source_id, street_code, start, json.dumps(typed, ensure_ascii=False), now,
                                    user_id)
        db.bump(cur, f"form:{source_id}")
    return Submitted(street_code, start, due, now > due, earlier, seq)


def latest_values(db: Database, source_id: str, street_code: str, period_start: datetime) -> dict | None:
    """The figures a street last submitted for a period (to pre-fill the form), or None."""
    for s in store.submissions_for_period(db, source_id, period_start):
        if s["street_code"] == street_code:
            return json.loads(s["values_json"])
    return None


def reporting(db: Database, config: Config, source_id: str, period_start: datetime, within: str | None,
              now: datetime) -> Reporting:
    """Every street inside `within` (an area code; None: all) that must report, with its state for the period."""
    settings = settings_of(config, source_id)
    start, end = period_bounds(period_start, settings.period, config.city.timezone)
    due = due_at(start, settings)
    done = {s["street_code"]: s for s in store.submissions_for_period(db, source_id, start)}
    out = []
    for code in _streets(db, config, source_id, within):
        s = done.get(code)
        if s is None:
            out.append(StreetStatus(code, "missing" if now > due else "pending", None, None, 0))
        else:
            state = "on_time" if s["submitted_at"] <= due else "late"
            out.append(StreetStatus(code, state, s["submitted_at"], s["submitted_by"], int(s["versions"])))
    return Reporting(source_id, start, end, due, out)


def _streets(db: Database, config: Config, source_id: str, within: str | None) -> list[str]:
    settings = settings_of(config, source_id)
    codes = store.street_codes(db, scope_prefix(settings.within) if settings.within else None)
    if within:
        prefix = scope_prefix(within)
        codes = [c for c in codes if c.startswith(prefix)]
    return codes


# --- checking typed figures ------------------------------------------------------------------------------

_TYPE_PROBLEMS = {
    "integer": N_('"{field}" must be a whole number, not "{value}".'),
    "float": N_('"{field}" must be a number, not "{value}".'),
    "boolean": N_('"{field}" must be yes or no, not "{value}".'),
    "date": N_('"{field}" must be a date such as 2026-01-31, not "{value}".'),
    "timestamp": N_('"{field}" must be a time such as 2026-01-31 08:00, not "{value}".'),
}


def validate_values(fields: list[FormField], raw: dict, allow_negative: list[str] = ()) -> dict:
    """Typed figures from what was typed; raises FormError listing every problem."""
    values, problems = {}, []
    for f in fields:
        given = raw.get(f.name)
        text = "" if given is None else str(given).strip()
        if text == "":
            if f.required:
                problems.append((N_('Please fill in "{field}".'), {"field": f.label}))
            values[f.name] = None
            continue
        try:
            values[f.name] = _parse(text, f.type)
        except ValueError:
            problems.append((_TYPE_PROBLEMS[f.type], {"field": f.label, "value": text[:40]}))
            continue
        if f.type in ("integer", "float") and values[f.name] < 0 and f.name not in allow_negative:
            problems.append((N_('"{field}" cannot be negative.'), {"field": f.label}))
    if problems:
        raise FormError(problems)
    return values


def _parse(text: str, kind: str):
    if kind == "integer":
        number = float(text.replace(",", ""))
        if not number.is_integer() or abs(number) > 2**53:
            raise ValueError(text)
        return int(number)
    if kind == "float":
        number = float(text.replace(",", ""))
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(text)
        return number
    if kind == "boolean":
        if text.lower() in ("是", "true", "1", "yes"):
            return True
        if text.lower() in ("否", "false", "0", "no"):
            return False
        raise ValueError(text)
    if kind == "date":
        return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
    if kind == "timestamp":
        return datetime.strptime(text, "%Y-%m-%d %H:%M").isoformat()
    return text[:500]
