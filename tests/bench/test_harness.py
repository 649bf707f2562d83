"""The benchmark harness at tiny scale, so that it cannot rot: the seeded generator and `python -m bench`."""

from __future__ import annotations

import duckdb

from bench import generate
from bench.__main__ import main as bench_main

SPEC = generate.Spec(scale=0.05, days=1, seed=7)


def _checksums(dep: generate.Deployment) -> dict[str, tuple]:
    """(row count, a checksum per column) of every generated dataset."""
    con = duckdb.connect(str(dep.db_path), read_only=True)
    try:
        return {t: con.execute(f'select count(*), sum(hash(columns(* exclude (_loaded_at, _source)))) from "{t}"')
                .fetchone() for t in generate.DATASETS}
    finally:
        con.close()


def test_the_generator_is_seeded_and_fills_every_dataset(tmp_path):
    a = generate.build(SPEC, tmp_path / "a", evaluate=False)
    b = generate.build(SPEC, tmp_path / "b", evaluate=False)
    first, second = _checksums(a), _checksums(b)
    assert first == second
    assert all(sums[0] > 0 for sums in first.values()), first
    # rates: 1.2 M orders a year at 1x, scaled, over the generated hours; 30 stations hourly -> 2 at 0.05x
    assert first["hotline_orders"][0] == int(SPEC.hours * 1_200_000 * SPEC.scale / 8760)
    assert first["air_quality_hourly"][0] == 2 * SPEC.hours
    assert a.meta["rows"]["hotline_orders"] == first["hotline_orders"][0]
    assert set(a.logins()) >= {"leader_mayor", "duty_city"}


def test_python_m_bench_runs_and_writes_its_figures(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_BENCH_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "benchmarks.md"
    failures = bench_main(["--tiny", "--only", "ingest,evaluate", "--out", str(out)])
    text = out.read_text(encoding="utf-8")
    assert failures == 0, text
    assert "Machine:" in text and "load average" in text
    assert "pipeline / raw" in text
    assert "incremental" in text and "one DuckDB scan" in text
    assert "FAILED" not in text
