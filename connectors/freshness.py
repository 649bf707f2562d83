"""Per-source freshness: which sources have delivered nothing for too long (数据断流).

A stale source is a signal with a reason for the warning engine, never a zero in a chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cockpit.core.config import Config
from cockpit.core.db import Database
from connectors import store
from connectors.runner import duration


@dataclass(frozen=True)
class StaleSource:
    """A source past its `warn_after` (level warn) or `error_after` (level error)."""

    source_id: str
    name: str
    dataset: str
    level: str                      # warn | error
    last_success_at: datetime | None
    silent_for_seconds: float | None  # None: never succeeded
    reason: str                     # Chinese, for the person on duty


def stale_sources(db: Database, config: Config, now: datetime) -> list[StaleSource]:
    """Enabled sources whose last successful run is older than their freshness limits (数据断流)."""
    out = []
    for sid, source in config.sources.items():
        if not source.enabled:
            continue
        state = store.state(db, sid)
        last = state.last_success_at
        warn, error = duration(source.freshness.warn_after), duration(source.freshness.error_after)
        if last is None:
            first_run = store.first_run_at(db, sid)
            if first_run is None or now - first_run < warn:
                continue
            age = None
            level = "error" if now - first_run >= error else "warn"
            reason = f"数据断流：{source.name} 自接入以来从未成功获取数据"
        else:
            age = (now - last).total_seconds()
            if now - last < warn:
                continue
            level = "error" if now - last >= error else "warn"
            reason = f"数据断流：{source.name} 已 {_human(age)} 没有成功获取数据"
        if state.last_error:
            reason += f"（最近错误：{state.last_error}）"
        out.append(StaleSource(sid, source.name, source.dataset, level, last, age, reason))
    return out


def _human(seconds: float) -> str:
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} 天"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} 小时"
    return f"{max(1, int(seconds // 60))} 分钟"


@dataclass(frozen=True)
class HungRun:
    """A run still marked running after its source's time budget: stuck, or its process died."""

    run_id: int
    source_id: str
    started_at: datetime
    reason: str


def hung_runs(db: Database, config: Config, now: datetime) -> list[HungRun]:
    """Runs running longer than their source's `timeout` plus a minute (the watchdog's view).

    With one scheduler instance per source a hung run would silently skip every later run; this
    lists them so the health check and the 数据接入 page can say so.
    """
    out = []
    for run_id, sid, started in store.running_runs(db):
        source = config.sources.get(sid)
        budget = duration(source.timeout if source else "5m").total_seconds() + 60
        if (now - started).total_seconds() > budget:
            name = source.name if source else sid
            out.append(HungRun(run_id, sid, started, f"{name} 的采集已运行 {_human((now - started).total_seconds())}，"
                                                     "超过时限仍未结束"))
    return out
