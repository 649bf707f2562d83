"""Source health for people: one summary per configured source (the `sources list` command, the 数据接入 page)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from cockpit.core.config import Config
from cockpit.core.db import Database
from connectors import store


def source_health(db: Database, config: Config, now: datetime) -> list[dict]:
    """Kind, owner, schedule, last success, lag, rows loaded and quarantined today, last error; per source."""
    tz = ZoneInfo(config.city.timezone)
    day_start = datetime.combine(now.astimezone(tz).date(), time(), tz)
    out = []
    for sid, source in config.sources.items():
        state = store.state(db, sid)
        summary = store.source_summary(db, sid, day_start)
        last = state.last_success_at
        out.append({
            "id": sid, "name": source.name, "kind": source.kind, "dataset": source.dataset, "owner": source.owner,
            "schedule": source.schedule, "enabled": source.enabled,
            "last_success": last.isoformat() if last else None,
            "lag_seconds": round((now - last).total_seconds()) if last else None,
            "rows_loaded_today": summary["rows_loaded_today"],
            "rows_quarantined_today": summary["rows_quarantined_today"],
            "last_run_status": summary["last_run_status"],
            "failing": state.failing, "last_error_kind": state.last_error_kind, "last_error": state.last_error,
        })
    return out
