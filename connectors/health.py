"""Source health for people: one summary per configured source (the `sources list` command, the 数据接入 page)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from cockpit.core.config import Config
from cockpit.core.db import Database
from connectors import store
from connectors.runner import duration


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


TIMELINESS_DAYS = 7


def timeliness(db: Database, config: Config, source_id: str, now: datetime,
               days: int = TIMELINESS_DAYS) -> tuple[float | None, int, int]:
    """及时率 of a source over the last `days` days: (rate, on-time slots, expected slots).

    The window (from `days` ago, or from the source's first run if later) is cut into consecutive slots
    of the source's `schedule`. A slot is delivered on time when a successful run finished inside it or
    within a tolerance after its end (a tenth of the schedule, at least a minute: the scheduler's jitter).
    Each successful run counts for one slot only, so catching up late does not fill earlier gaps. The
    slot still in progress counts only once delivered. Rate None when no slot was expected yet.
    """
    source = config.sources[source_id]
    step = duration(source.schedule)
    tolerance = max(step / 10, timedelta(minutes=1))
    first = store.first_run_at(db, source_id)
    if first is None:
        return None, 0, 0
    begin = max(now - timedelta(days=days), first)
    finishes = store.successful_finishes(db, source_id, begin)
    on_time = expected = 0
    i = 0
    slot = begin
    while slot < now:
        end = slot + step
        while i < len(finishes) and finishes[i] < slot:
            i += 1
        delivered = i < len(finishes) and finishes[i] < end + tolerance
        if delivered:
            i += 1
        if end + tolerance <= now or delivered:
            expected += 1
            on_time += delivered
        slot = end
    return (on_time / expected if expected else None), on_time, expected
