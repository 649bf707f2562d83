"""Validate and normalise a batch against its dataset: types, dates, time zone to UTC, area codes, keys.

Pure and vectorised (polars): takes the connector's frame, returns the good rows typed as the dataset
declares and the bad rows as (raw JSON, Chinese reason). Nothing is read from the clock or the database.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from cockpit.core.config.data import ColumnConfig, DatasetConfig

TYPE_NAMES = {"string": "文本", "integer": "整数", "float": "数值", "boolean": "是/否", "date": "日期",
              "timestamp": "时间"}

_TRUE = ["true", "t", "yes", "y", "1", "是", "对"]
_FALSE = ["false", "f", "no", "n", "0", "否", "错"]

# Tried in order when a timestamp column declares no format: with an offset first, then local time.
_AWARE_FORMATS = ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z"]
_NAIVE_FORMATS = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
                  "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"]
_DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"]


@dataclass
class Normalised:
    """The outcome of one batch: rows to write and rows to quarantine."""

    good: pl.DataFrame
    bad: list[tuple[str, str]]


def normalise(frame: pl.DataFrame, dataset: DatasetConfig, timezone: str, areas: Collection[str] | None,
              source_id: str, loaded_at: datetime) -> Normalised:
    """Check and convert a batch.

    Args:
        frame: rows named by dataset column (extra columns are kept in the raw row only).
        dataset: the dataset's declared columns, key and area column.
        timezone: zone of timestamps given without an offset (the dataset's, else the city's).
        areas: known area codes; when given and the dataset has an area column, others are quarantined.
        source_id, loaded_at: written to the `_source` and `_loaded_at` columns.
    """
    n = frame.height
    if n == 0:
        return Normalised(_empty(dataset), [])
    typed, reasons = {}, []
    nulls = ["", *dataset.null_values]
    for name, col in dataset.columns.items():
        src = frame.get_column(name) if name in frame.columns else pl.Series(name, [None] * n, dtype=pl.String)
        if src.dtype == pl.String:
            src = src.str.strip_chars()
            src = pl.Series(name, src).set(src.is_in(nulls), None) if nulls else src
        value = _convert(src, col, timezone).alias(name)
        typed[name] = value
        missing = src.is_null()
        failed = ~missing & value.is_null()
        text = src.cast(pl.String, strict=False).fill_null("")
        reasons.append(pl.when(pl.Series(failed)).then(
            pl.lit(f"字段 {name} 的值「") + pl.lit(text) + pl.lit(f"」不是有效的{TYPE_NAMES[col.type]}"
                                                          + (f"（格式应为 {col.format}）" if col.format else ""))))
        if col.required or name in dataset.primary_key:
            reasons.append(pl.when(pl.Series(missing)).then(pl.lit(f"缺少必填字段 {name}")))
    if dataset.area and areas is not None:
        area = typed[dataset.area].cast(pl.String)
        unknown = area.is_not_null() & ~area.is_in(list(areas))
        reasons.append(pl.when(pl.Series(unknown)).then(
            pl.lit("未知区域代码「") + pl.lit(area.fill_null("")) + pl.lit("」，不在区域表中")))
    out = pl.DataFrame(typed)
    reason = pl.select(pl.concat_str(reasons, separator="；", ignore_nulls=True).alias("r")).to_series() \
        if reasons else pl.Series("r", [None] * n, dtype=pl.String)
    reason = reason.set(reason == "", None)
    if dataset.primary_key:
        reason = _mark_duplicates(out, reason, dataset.primary_key)
    bad_mask = reason.is_not_null()
    good = out.filter(~bad_mask).with_columns(
        pl.lit(source_id).alias("_source"), pl.lit(loaded_at).cast(pl.Datetime("us", "UTC")).alias("_loaded_at"))
    bad = []
    if bad_mask.any():
        raw_rows = frame.filter(bad_mask).to_dicts()
        bad = [(json.dumps(r, ensure_ascii=False, default=str), why)
               for r, why in zip(raw_rows, reason.filter(bad_mask).to_list(), strict=True)]
    return Normalised(good, bad)


def _mark_duplicates(out: pl.DataFrame, reason: pl.Series, key: list[str]) -> pl.Series:
    """Within one batch keep the last valid row of each key; earlier ones are quarantined with a reason."""
    valid = reason.is_null()
    idx = pl.Series("i", range(out.height))
    keyed = out.select(key).with_columns(idx, pl.Series("v", valid))
    last = keyed.filter(pl.col("v")).group_by(key).agg(pl.col("i").max().alias("last"))
    joined = keyed.join(last, on=key, how="left", nulls_equal=True).sort("i")
    dup = joined.get_column("v") & (joined.get_column("i") != joined.get_column("last"))
    keys = out.select(pl.concat_str([pl.col(k).cast(pl.String) for k in key], separator="/",
                                    ignore_nulls=True)).to_series()
    msg = pl.select(pl.lit("同一批数据中主键「") + pl.lit(keys) + pl.lit("」重复，已保留后出现的一行")).to_series()
    return reason.zip_with(~dup, msg) if dup.any() else reason


def _convert(src: pl.Series, col: ColumnConfig, tz: str) -> pl.Series:
    kind = col.type
    if kind == "string":
        return src if src.dtype == pl.String else src.cast(pl.String, strict=False)
    if kind == "integer":
        if src.dtype == pl.String:
            as_float = src.str.replace_all(",", "").cast(pl.Float64, strict=False)
            whole = as_float.is_not_null() & (as_float == as_float.floor())
            return as_float.set(~whole, None).cast(pl.Int64, strict=False)
        return src.cast(pl.Int64, strict=False)
    if kind == "float":
        if src.dtype == pl.String:
            return src.str.replace_all(",", "").cast(pl.Float64, strict=False)
        return src.cast(pl.Float64, strict=False)
    if kind == "boolean":
        if src.dtype == pl.Boolean:
            return src
        text = src.cast(pl.String, strict=False).str.to_lowercase()
        return pl.select(pl.when(pl.lit(text).is_in(_TRUE)).then(True)
                         .when(pl.lit(text).is_in(_FALSE)).then(False)).to_series()
    if kind == "date":
        return _to_date(src, col.format)
    return _to_timestamp(src, col.format, tz)


def _to_date(src: pl.Series, fmt: str | None) -> pl.Series:
    if src.dtype == pl.Date:
        return src
    if isinstance(src.dtype, pl.Datetime):
        return src.dt.date()
    text = src.cast(pl.String, strict=False)
    tries = [text.str.to_date(f, strict=False, exact=True) for f in ([fmt] if fmt else _DATE_FORMATS)]
    if not fmt:  # a timestamp text in a date column keeps its date
        tries.append(text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
    return pl.select(pl.coalesce(tries)).to_series()


def _to_timestamp(src: pl.Series, fmt: str | None, tz: str) -> pl.Series:
    utc = pl.Datetime("us", "UTC")
    if isinstance(src.dtype, pl.Datetime):
        if src.dtype.time_zone is None:
            return _localise(src, tz)
        return src.dt.convert_time_zone("UTC").cast(utc)
    if src.dtype == pl.Date:
        return _localise(src.cast(pl.Datetime("us")), tz)
    text = src.cast(pl.String, strict=False).str.replace(r"Z$", "+00:00")
    if fmt:
        if "%z" in fmt or "%:z" in fmt or "%#z" in fmt:
            return text.str.to_datetime(fmt, strict=False, time_zone="UTC").cast(utc)
        return _localise(text.str.to_datetime(fmt, strict=False, time_unit="us"), tz)
    parsers = [*(lambda t, f=f: t.str.to_datetime(f, strict=False, time_zone="UTC", time_unit="us")
                 for f in _AWARE_FORMATS),
               *(lambda t, f=f: _localise(t.str.to_datetime(f, strict=False, time_unit="us"), tz)
                 for f in _NAIVE_FORMATS)]
    return _first_match(text, parsers, utc)


def _first_match(text: pl.Series, parsers: list, dtype: pl.DataType) -> pl.Series:
    """Parse with each parser in turn, trying the next one only on the values still unparsed.

    Real files use one format throughout, so this costs one pass instead of one per known format.
    """
    out = pl.Series(text.name, [None] * len(text), dtype=dtype)
    pending = text.is_not_null()
    for parse in parsers:
        if not pending.any():
            break
        idx = pending.arg_true()
        parsed = parse(text.gather(idx)).cast(dtype)
        out = out.scatter(idx, parsed)
        pending = pending.scatter(idx, parsed.is_null())
    return out


def _localise(naive: pl.Series, tz: str) -> pl.Series:
    """Read naive times as local time in `tz` and convert them to UTC (an impossible local time → null)."""
    return naive.dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null") \
        .dt.convert_time_zone("UTC").cast(pl.Datetime("us", "UTC"))


def _empty(dataset: DatasetConfig) -> pl.DataFrame:
    return pl.DataFrame(schema={name: POLARS_TYPES[c.type] for name, c in dataset.columns.items()})


POLARS_TYPES = {"string": pl.String, "integer": pl.Int64, "float": pl.Float64, "boolean": pl.Boolean,
                "date": pl.Date, "timestamp": pl.Datetime("us", "UTC")}
