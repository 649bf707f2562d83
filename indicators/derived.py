"""Derived and composite indicators: formulas over other indicators' stored values, same area and period."""

from __future__ import annotations

from datetime import datetime
from functools import reduce

import polars as pl

from cockpit.core.config import Config
from cockpit.core.config.indicators import IndicatorConfig
from cockpit.core.db import Database
from indicators import composite, store
from indicators.digest import config_hash

_OPS = {
    "sum": lambda cols, w: reduce(lambda a, b: a + b, cols),
    "difference": lambda cols, w: cols[0] - cols[1],
    "ratio": lambda cols, w: pl.when(cols[1] != 0).then(cols[0] / cols[1]),
    "product": lambda cols, w: reduce(lambda a, b: a * b, cols),
    "weighted_sum": lambda cols, w: reduce(lambda a, b: a + b, [c * x for c, x in zip(cols, w, strict=True)]),
    "min": lambda cols, w: pl.min_horizontal(cols),
    "max": lambda cols, w: pl.max_horizontal(cols),
}


def inputs(ind: IndicatorConfig) -> list[str]:
    """The indicators a derived or composite indicator reads."""
    m = ind.measure
    return list(m.inputs) if m.type == "derived" else list(m.components) if m.type == "composite" else []


def order(indicators: dict[str, IndicatorConfig], wanted: set[str]) -> list[str]:
    """`wanted` plus the inputs they need, each after its inputs (the config check refuses cycles)."""
    out: list[str] = []

    def visit(iid: str) -> None:
        if iid in out:
            return
        for dep in inputs(indicators[iid]):
            visit(dep)
        out.append(iid)

    for iid in sorted(wanted):
        visit(iid)
    return out


def evaluate(db: Database, config: Config, iid: str, ind: IndicatorConfig, now: datetime,
             changes: dict[str, pl.DataFrame] | None) -> tuple[str, int, dict[str, pl.DataFrame] | None]:
    """Recompute a derived or composite indicator from its inputs' values (cheap: no dataset scan).

    `changes`: per grain, the (area_code, period_start) keys whose input values were recomputed since the last
    evaluation (only those are recomputed: a formula reads one area and period), or None for all of them.
    Returns (mode, values written, the keys this indicator recomputed — None when all)."""
    digest = config_hash(config, ind)
    previous = store.state(db, iid)
    if previous is None or previous[0] != digest:
        changes = None
    elif changes is not None:
        changes = {g: k for g, k in changes.items() if g in ind.grains and k.height}
        if not changes:
            return "unchanged", 0, {}
    names = inputs(ind)
    written = 0
    with db.transaction() as cur:
        for grain in ind.grains:
            keys = None if changes is None else changes.get(grain)
            if changes is not None and keys is None:
                continue
            frame = _frame(db, names, grain, keys)
            out = _apply(frame, ind, names, config) if frame.height else frame
            if not out.height:
                store.replace_values(cur, db, iid, grain, _empty(), keys)
                continue
            levels = [_level(c, config.city.code) in ind.area_levels for c in out["area_code"]]
            out = out.filter(pl.Series(levels, dtype=pl.Boolean)).select(
                pl.lit(iid).alias("indicator_id"), pl.col("area_code"), pl.lit(grain).alias("grain"),
                pl.col("period_start"), pl.col("value").cast(pl.Float64), pl.lit(None, pl.Float64).alias("numerator"),
                pl.lit(None, pl.Float64).alias("denominator"), pl.lit(None, pl.Int64).alias("sample_size"),
                pl.lit(now).cast(pl.Datetime("us", "UTC")).alias("computed_at"),
                pl.lit(ind.version, pl.Int32).alias("definition_version"),
            ).filter(pl.col("value").is_not_null() & pl.col("value").is_finite())
            store.replace_values(cur, db, iid, grain, out, keys)
            written += out.height
        store.save_state(cur, iid, digest, now)
        store.bump(cur, db)
    return ("full" if changes is None else "incremental"), written, changes


def _frame(db: Database, names: list[str], grain: str, keys: pl.DataFrame | None) -> pl.DataFrame:
    """Input values pivoted: one row per (area_code, period_start), one column per input indicator."""
    values = store.values_of(db, names, grain) if keys is None else store.values_at(db, names, grain, keys)
    if not values.height:
        return pl.DataFrame()
    return values.pivot(on="indicator_id", index=["area_code", "period_start"], values="value")


def _apply(frame: pl.DataFrame, ind: IndicatorConfig, names: list[str], config: Config) -> pl.DataFrame:
    m = ind.measure
    for name in names:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.Float64).alias(name))
    if m.type == "derived":
        cols = [pl.col(n) for n in names]
        value = _OPS[m.op](cols, m.weights) * m.scale
        return frame.with_columns(value.alias("value"))
    scores = [composite.index({n: row[n] for n in names}, m.components, config.indicators)
              for row in frame.iter_rows(named=True)]
    return frame.with_columns(pl.Series("value", scores, dtype=pl.Float64))


def _level(code: str, city: str) -> str:
    return "city" if code == city else "street" if len(code) == 9 else "district"


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema={c: t for c, t in zip(store.VALUE_COLS, [
        pl.String, pl.String, pl.String, pl.Datetime("us", "UTC"), pl.Float64, pl.Float64, pl.Float64, pl.Int64,
        pl.Datetime("us", "UTC"), pl.Int32], strict=True)})
