"""Manual form (一张表填报): street and township centers type the period's figures into a form in the app.

The rows come from the app, not from a fetch: `connectors.forms.submit` validates a street's figures and
appends them to the connector's own `form_submissions` table (the newest submission of a street and
period counts). A scheduled run turns submissions into dataset rows through the normal pipeline:

* one row per street that must report, for every period from the last one written up to the current
  one, with status 已报 (and the figures) or 待报 — so the reporting rate's denominator is every street
  that had to report, not only those that did;
* plus the newest submission of every older (street, period) changed since the cursor (a late one).

The cursor is `{"seq": <newest submission written>, "period": <ISO start of the newest period written>}`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import polars as pl
from pydantic import Field

from cockpit.core.scope import scope_prefix
from connectors import store
from connectors.base import Batch, Connector, FetchContext, Settings, register
from connectors.errors import ConfigError

STATUS_SUBMITTED = "已报"
STATUS_PENDING = "待报"


class ManualFormSettings(Settings):
    """Settings of a `manual_form` source."""

    period: Literal["day", "week", "month"] = Field(default="day", description="One report per street per period")
    due: str = Field(default="18h", pattern=r"^\d+[smhd]$",
                     description="Deadline after the period's local start, e.g. `18h`: 18:00 of the first day")
    within: str | None = Field(default=None, description="Only streets inside this area code must report")
    fields: list[str] = Field(default_factory=list,
                              description="Dataset columns the form asks for; default: every column it does not keep")
    required: list[str] = Field(default_factory=list, description="Fields the form will not accept blank")
    allow_negative: list[str] = Field(default_factory=list, description="Number fields that may be negative")
    id_column: str = Field(default="report_id", description="Dataset column for the report id (street-date)")
    due_column: str = Field(default="due_at", description="Dataset column for the deadline")
    submitted_column: str = Field(default="submitted_at", description="Dataset column for the submission time")
    status_column: str = Field(default="status", description="Dataset column for 已报 / 待报")
    by_column: str = Field(default="submitted_by", description="Dataset column for who submitted (if declared)")


def period_bounds(moment: datetime, period: str, timezone: str) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the local day, week (from Monday) or month containing `moment`."""
    tz = ZoneInfo(timezone)
    day = moment.astimezone(tz).date()
    if period == "week":
        day -= timedelta(days=day.weekday())
        end_day = day + timedelta(days=7)
    elif period == "month":
        day = day.replace(day=1)
        end_day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    else:
        end_day = day + timedelta(days=1)
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    end = datetime(end_day.year, end_day.month, end_day.day, tzinfo=tz)
    return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


def due_at(period_start: datetime, settings: ManualFormSettings) -> datetime:
    """The deadline of the period starting at `period_start`."""
    text = settings.due
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[text[-1]]
    return period_start + timedelta(**{unit: int(text[:-1])})


def report_id(street: str, period_start: datetime, timezone: str) -> str:
    """The dataset key of a street's report for a period: `<street code>-<local start date>`."""
    return f"{street}-{period_start.astimezone(ZoneInfo(timezone)).date().isoformat()}"


@register
class ManualForm(Connector):
    """Turns the form's submissions into dataset rows (one per street that must report and period)."""

    kind = "manual_form"
    settings = ManualFormSettings

    def fetch(self, settings: ManualFormSettings, ctx: FetchContext) -> Iterator[Batch]:
        """Yield the rows of every period since the last one written, and older submissions changed since."""
        db = ctx.db
        if db is None:
            raise ConfigError("一张表填报只能在驾驶舱进程内运行")
        if not (ctx.area_column and ctx.time_column):
            raise ConfigError("一张表填报的数据集必须声明 area 和 time 列")
        state = json.loads(ctx.cursor) if ctx.cursor else {"seq": 0, "period": None}
        current = period_bounds(ctx.started_at, settings.period, ctx.timezone)[0]
        first = min(datetime.fromisoformat(state["period"]), current) if state["period"] else current
        # read the changes first: a submission arriving meanwhile has a higher number and is written next run
        changed = store.submissions_changed_after(db, ctx.source_id, int(state["seq"]))
        seq = max([int(state["seq"]), *(s["seq"] for s in changed)])
        streets = store.street_codes(db, scope_prefix(settings.within) if settings.within else None)
        rows = []
        start = first
        while start <= current:
            done = {s["street_code"]: s for s in store.submissions_for_period(db, ctx.source_id, start)}
            rows += [self._row(settings, ctx, code, start, done.get(code)) for code in streets]
            start = period_bounds(start, settings.period, ctx.timezone)[1]
        rows += [self._row(settings, ctx, s["street_code"], s["period_start"], s)
                 for s in changed if s["period_start"] < first]
        cursor = json.dumps({"seq": seq, "period": current.isoformat()})
        frame = pl.DataFrame({c: pl.Series(c, [r.get(c) for r in rows], dtype=pl.String) for c in ctx.columns})
        yield Batch(frame, cursor)

    @staticmethod
    def _row(settings: ManualFormSettings, ctx: FetchContext, street: str, start: datetime,
             submission: dict | None) -> dict:
        """One dataset row, values as text (the pipeline types them)."""
        row = {settings.id_column: report_id(street, start, ctx.timezone), ctx.area_column: street,
               ctx.time_column: start.isoformat(), settings.due_column: due_at(start, settings).isoformat(),
               settings.status_column: STATUS_PENDING}
        if submission is not None:
            row[settings.status_column] = STATUS_SUBMITTED
            row[settings.submitted_column] = submission["submitted_at"].isoformat()
            row[settings.by_column] = submission["submitted_by"]
            for name, value in json.loads(submission["values_json"]).items():
                row[name] = None if value is None else str(value)
        return row
