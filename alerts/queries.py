"""Read-only named queries for pages, commands and the notification stages; scoped by the user's area."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from alerts import store
from alerts.model import RANK
from alerts.store import WarningEvent, events_after, events_of  # noqa: F401 - re-exported named queries
from cockpit.core.config import Config
from cockpit.core.config.indicators import parse_duration
from cockpit.core.db import Database
from cockpit.core.scope import contains

__all__ = ["events_after", "events_of", "warning_queue", "level_counts", "warning_detail", "noise_stats",
           "period_summary", "silences", "WarningEvent"]


def warning_queue(db: Database, config: Config, scope: str, now: datetime, state: str | None = None,
                  level: str | None = None, domain: str | None = None, area: str | None = None) -> pl.DataFrame:
    """Warnings in `scope` (open, plus recently resolved), most severe first, then newest first.

    Adds `level_rank` (3 = red) and `silenced` (an active silence covers it)."""
    since = now - parse_duration(config.alerts.resolved_visible)
    frame = store.warnings_frame(db, scope, [state] if state else None, since, level, domain, area)
    if frame.is_empty():
        return frame.with_columns(pl.lit(0).alias("level_rank"), pl.lit(False).alias("silenced"))
    from alerts.silences import covering

    active = store.silences(db, now)
    silenced = []
    for row in frame.iter_rows(named=True):
        inst_like = type("W", (), {"source_id": row["source_id"], "indicator_id": row["indicator_id"],
                                   "area_code": row["area_code"]})
        silenced.append(bool(covering(active, inst_like)))
    frame = frame.with_columns(pl.col("level").replace_strict(RANK, default=-1).alias("level_rank"),
                               pl.Series("silenced", silenced),
                               pl.col("state").is_in(["pending", "firing", "acknowledged"]).alias("is_open"))
    return frame.sort(["is_open", "level_rank", "started_at"], descending=[True, True, True]).drop("is_open")


def level_counts(db: Database, scope: str) -> dict[str, int]:
    """Firing and acknowledged warnings in `scope` by level (for the shell header)."""
    return store.level_counts(db, scope)


@dataclass(frozen=True)
class Detail:
    """One warning with its timeline, plan activations and the sub-areas that drove it."""

    warning: dict
    events: list[WarningEvent]
    activations: list[tuple]
    sub_areas: list[tuple[str, str | None, str]]   # (area_code, level, state) of open warnings below it


def warning_detail(db: Database, scope: str, warning_id: str) -> Detail | None:
    """The warning if it is in `scope`, else None."""
    frame = store.warnings_frame(db, scope, ["pending", "firing", "acknowledged", "resolved", "inactive"], None)
    frame = frame.filter(pl.col("warning_id") == warning_id)
    if frame.is_empty():
        return None
    row = frame.row(0, named=True)
    row["reason_args"] = json.loads(row["reason_args"] or "{}")
    subs = []
    if row["area_code"]:
        below = store.warnings_frame(db, row["area_code"], ["pending", "firing", "acknowledged"], None)
        for r in below.filter((pl.col("rule_id") == row["rule_id"]) & (pl.col("area_code") != row["area_code"])
                              ).sort("area_code").iter_rows(named=True):
            if contains(row["area_code"], r["area_code"]):
                subs.append((r["area_code"], r["level"], r["state"]))
    return Detail(row, store.events_of(db, warning_id), store.activations(db, scope, warning_id), subs)


def noise_stats(db: Database, scope: str, since: datetime) -> pl.DataFrame:
    """Per rule: times fired, re-fired (flapping), level changes, cancelled pendings, minutes to ack/resolve."""
    return store.noise_frame(db, scope, since)


def silences(db: Database, scope: str, active_at: datetime | None = None) -> list[store.Silence]:
    """Silences whose area lies in `scope`, and those without an area (they reach everyone's warnings)."""
    return [s for s in store.silences(db, active_at) if s.area_code is None or contains(scope, s.area_code)]


def plan_record(db: Database, activation_id: str) -> list[tuple]:
    """(at, kind, actor, level, note) of a plan activation: who proposed, started, raised, ended it, and when."""
    return store.plan_events(db, activation_id)


def period_summary(db: Database, config: Config, scope: str, start: datetime, end: datetime) -> dict:
    """Warnings and emergency plans of a period in `scope`, as plain data for briefings: per level (most severe
    first, zeros included) raised, resolved and still open at the end; per domain raised and the mean hours from
    firing to acknowledgement; per plan the activations started and ended. A pure function of the stored data."""
    levels = {lv: counts for lv, *counts in store.period_levels(db, scope, start, end)}
    by_level = [dict(zip(("level", "raised", "resolved", "open_at_end"),
                         (lv, *(int(n) for n in levels.get(lv, (0, 0, 0)))), strict=True))
                for lv in sorted(RANK, key=RANK.get, reverse=True)]
    by_domain = [{"domain": d or None, "raised": int(raised), "acknowledged": int(acked),
                  "ack_hours_mean": round(float(secs) / int(acked) / 3600, 2) if acked else None}
                 for d, raised, acked, secs in store.period_domains(db, scope, start, end)]
    plans = [{"plan_id": pid, "name": config.plans[pid].name if pid in config.plans else pid,
              "activations": int(n), "ended": int(ended)} for pid, n, ended in store.period_plans(db, scope, start, end)]
    return {"levels": by_level, "raised": sum(r["raised"] for r in by_level),
            "resolved": sum(r["resolved"] for r in by_level),
            "open_at_end": sum(r["open_at_end"] for r in by_level), "by_domain": by_domain, "plans": plans}
