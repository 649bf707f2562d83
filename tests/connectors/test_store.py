"""Dataset writes at sizes above one DuckDB row group (regression: a staging-table merge lost them)."""

from __future__ import annotations

import polars as pl

from connectors import store
from connectors.runner import run_source

DATASET = {"name": "大批量", "columns": {"id": {"type": "integer", "required": True}, "v": {"type": "float"}},
           "primary_key": ["id"]}
N = 300_000


def _frame(value: float) -> pl.DataFrame:
    return pl.DataFrame({"id": pl.arange(0, N, eager=True), "v": pl.repeat(value, N, eager=True)})


def test_merge_of_a_batch_larger_than_a_row_group_writes_every_row(deploy):
    rt = deploy({"big": DATASET}, {})
    with rt.db.transaction() as cur:
        assert store.write_rows(rt.db, cur, "big", _frame(1.0), ["id"], "merge") == N
    with rt.db.transaction() as cur:
        store.write_rows(rt.db, cur, "big", _frame(2.0), ["id"], "merge")
    assert rt.db.one("select count(*), min(v), max(v) from big") == (N, 2.0, 2.0)


def test_replace_with_a_large_batch_keeps_every_row(tmp_path, deploy):
    drop = tmp_path / "drop"
    drop.mkdir()
    _frame(1.0).write_csv(drop / "all.csv")
    rt = deploy({"big": DATASET | {"write": "replace"}},
                {"s": {"name": "全量", "kind": "file_drop", "dataset": "big",
                       "settings": {"path": str(drop), "batch_rows": N}}})
    assert run_source(rt.db, rt.config, "s", rt.clock).rows_loaded == N
    assert rt.db.one("select count(*) from big") == (N,)
