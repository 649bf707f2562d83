"""Big files are streamed in bounded batches.

The 300 MB test takes about a minute on the 2-core machine, so it is marked `slow` and left out of
the default run: `.venv/bin/python -m pytest tests/connectors -m slow`.
"""

from __future__ import annotations

import logging
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from connectors.runner import run_source

ROOT = Path(__file__).resolve().parents[2]
DATASET = {"name": "大文件", "columns": {"seq": {"type": "integer", "required": True}, "note": {"type": "string"},
                                         "ts": {"type": "timestamp"}}, "primary_key": ["seq"]}


def _source(folder: Path, batch_rows: int) -> dict:
    return {"big": {"name": "大文件", "kind": "file_drop", "dataset": "big", "timeout": "1h",
                    "settings": {"path": str(folder), "batch_rows": batch_rows}}}


def _write(path: Path, rows: int, pad: int) -> None:
    filler = "x" * pad
    with path.open("w", encoding="utf-8") as fh:
        fh.write("seq,note,ts\n")
        for start in range(0, rows, 100_000):
            fh.writelines(f"{i},{filler}{i},2026-03-02 08:{i % 60:02d}:00\n" for i in range(start, min(rows, start + 100_000)))


def test_a_file_is_read_in_batches_of_the_configured_size(tmp_path, deploy, caplog):
    caplog.set_level(logging.DEBUG, logger="connectors.runner")
    drop = tmp_path / "drop"
    drop.mkdir()
    _write(drop / "big.csv", 25_000, 10)
    rt = deploy({"big": DATASET}, _source(drop, 1_000))
    result = run_source(rt.db, rt.config, "big", rt.clock)
    assert result.rows_loaded == 25_000
    assert sum("batch committed" in r.message for r in caplog.records) in (25, 26)  # + the archiving one


@pytest.mark.slow
def test_300_mb_file_streams_with_bounded_memory(tmp_path, config_file, request):
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("300 MB stream test: run with `-m slow` (about a minute)")
    drop = tmp_path / "drop"
    drop.mkdir()
    rows = 3_000_000
    _write(drop / "huge.csv", rows, 70)
    size = (drop / "huge.csv").stat().st_size
    assert size > 300 * 1024 * 1024
    config = config_file({"big": DATASET}, _source(drop, 50_000))
    done = subprocess.run([sys.executable, "-m", "cockpit.cli", "--config", str(config), "ingest", "--once"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert f"loaded={rows}" in done.stdout
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1200, f"peak memory {peak_mb:.0f} MB for a {size / 2**20:.0f} MB file"
