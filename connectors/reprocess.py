"""Re-process quarantined rows after a configuration fix (a new date format, a new area code).

Only rows that reached the pipeline as rows (not whole rejected files or non-JSON messages) can be
re-processed; those that still fail stay in quarantine with their original reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from cockpit.core.clock import Clock
from cockpit.core.config import Config
from cockpit.core.db import Database
from connectors import store
from connectors.normalise import normalise


@dataclass(frozen=True)
class Reprocessed:
    """What a re-process did."""

    source_id: str
    loaded: int
    still_bad: int
    not_rows: int       # rejected files, non-JSON payloads: they need the original input again


def reprocess_quarantine(db: Database, config: Config, source_id: str, clock: Clock) -> Reprocessed:
    """Run a source's quarantined rows through validation again and load those that now pass."""
    source = config.sources[source_id]
    dataset = config.datasets[source.dataset]
    pending = store.pending_quarantine(db, source_id)
    rows, ids, not_rows = [], [], 0
    for qid, raw in pending:
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not (set(data) & set(dataset.columns)):
            not_rows += 1
            continue
        rows.append({c: None if data.get(c) is None else str(data[c]) for c in dataset.columns})
        ids.append(qid)
    if not rows:
        return Reprocessed(source_id, 0, 0, not_rows)
    frame = pl.DataFrame({c: pl.Series(c, [r[c] for r in rows], dtype=pl.String) for c in dataset.columns})
    frame = frame.with_columns(pl.Series("_qid", ids))
    areas = store.known_areas(db) if dataset.area else None
    now = clock.now()
    result = normalise(frame, dataset, dataset.timezone or config.city.timezone, areas, source_id, now)
    good_ids = set(ids) - {json.loads(raw)["_qid"] for raw, _ in result.bad}
    with db.transaction() as cur:
        loaded = store.write_rows(db, cur, source.dataset, result.good, dataset.primary_key,
                                  "merge" if dataset.write == "replace" else dataset.write)
        store.mark_reprocessed(cur, sorted(good_ids), now)
        if loaded:
            db.bump(cur, "data")
            db.bump(cur, f"dataset:{source.dataset}")
    return Reprocessed(source_id, loaded, len(result.bad), not_rows)
