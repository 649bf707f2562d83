"""`make bench`: run every benchmark, print its figures, and write docs/benchmarks.md with the machine it ran on.

    .venv/bin/python -m bench                 # 1x: one year of 泰州-size data (bench.generate), every figure
    .venv/bin/python -m bench --quick         # a small fast run (0.1x, 30 days) written to docs/benchmarks-quick.md
    .venv/bin/python -m bench --scale 10      # the 10x variant (slow; see docs/benchmarks.md for what it covers)
    .venv/bin/python -m bench --only evaluate,pages

Each benchmark is a module `bench.<name>` with a `main()` that prints its figures; each runs in its own process
so one's memory and caches do not colour the next. The generated data set is cached in /tmp/cockpit-bench
(COCKPIT_BENCH_CACHE) and reused by every module and later runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = [
    ("ingest", "Ingest: rows through the full connector pipeline vs a raw DuckDB Arrow append"),
    ("evaluate", "Indicator evaluation: full and incremental vs one DuckDB scan"),
    ("warnings", "Warning evaluation and freshness to the duty desk queue"),
    ("pages", "Pages: server time of the role views (median and p95) and first-load bytes"),
    ("browser", "First load in real Chromium (time to the leader view drawn)"),
    ("concurrency", "Concurrency: 50 users while ingestion runs; ingest freshness; peak RSS of the server"),
]
# Arguments per benchmark for each size; `--scale`/`--days` are added to every data-set benchmark.
PROFILES = {
    "full": {"ingest": []},
    "quick": {"ingest": ["--rows", "100000"], "pages": ["--requests", "20"], "concurrency": ["--seconds", "20"],
              "evaluate": ["--rounds", "2"], "browser": ["--loads", "2"]},
    "tiny": {"ingest": ["--rows", "2000"], "evaluate": ["--rounds", "1", "--indicators", "hotline.orders,env.pm25"],
             "pages": ["--requests", "2"], "concurrency": ["--users", "3", "--seconds", "2", "--feed-rows", "5"],
             "browser": ["--loads", "1"]},
}
SIZES = {"full": (1.0, 365), "quick": (0.1, 30), "tiny": (0.01, 1)}
DATA_SET_BENCHMARKS = {"evaluate", "warnings", "pages", "browser", "concurrency"}


def machine() -> str:
    """A one-paragraph description of this machine."""
    import duckdb
    import polars

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")).split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB memory"
    except (OSError, StopIteration):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, polars {polars.__version__}")


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Run the benchmarks; write the figures.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="a small fast run (0.1x, 30 days)")
    size.add_argument("--tiny", action="store_true", help="a few seconds per benchmark (tests)")
    parser.add_argument("--scale", type=float, help="data set scale (default 1; 10 = the 10x variant)")
    parser.add_argument("--days", type=int, help="days of history (default 365)")
    parser.add_argument("--only", help="comma-separated benchmark names")
    parser.add_argument("--out", type=Path, help="the Markdown file written (default docs/benchmarks*.md)")
    return parser.parse_args(argv)


def _load() -> str:
    try:
        return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load unknown"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks that exist, print their output, write the Markdown file; the exit code counts failures."""
    a = _args(argv)
    size = "quick" if a.quick else "tiny" if a.tiny else "full"
    scale, days = SIZES[size]
    scale, days = a.scale or scale, a.days or days
    only = set(a.only.split(",")) if a.only else None
    suffix = "" if size == "full" and scale == 1 else f"-{size}" if scale == SIZES[size][0] else f"-x{scale:g}"
    out = a.out or ROOT / "docs" / f"benchmarks{suffix}.md"
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    started = datetime.now(UTC)
    sections = [
        "# Benchmarks", "",
        f"Measured by `{command.strip()}` on {started:%Y-%m-%d %H:%M} UTC, data set scale {scale:g}x over {days} "
        f"days (`bench/generate.py`). Machine: {machine()}.", "",
        f"At the start: {_load()}. The machine is shared (2 cores); figures taken while other work runs are noisy, "
        "so each section records the load beside it. Re-run on a quiet machine: `make bench`.", "",
    ]
    failures = 0
    for name, title in BENCHMARKS:
        if only and name not in only:
            continue
        if not (ROOT / "bench" / f"{name}.py").exists():
            sections += [f"## {title}", "", "_not built yet_", ""]
            continue
        args = list(PROFILES[size].get(name, []))
        if name in DATA_SET_BENCHMARKS:
            args += ["--scale", f"{scale:g}", "--days", str(days)]
        print(f"== bench.{name} {' '.join(args)}", flush=True)
        load = _load()
        t0 = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", f"bench.{name}", *args], cwd=ROOT, capture_output=True,
                              text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        took = time.monotonic() - t0
        print(proc.stdout, end="", flush=True)
        if proc.returncode != 0:
            failures += 1
            print(proc.stderr[-4000:], file=sys.stderr)
        body = proc.stdout.strip() if proc.returncode == 0 else (
            f"{proc.stdout.strip()}\nFAILED (exit {proc.returncode}): {proc.stderr.strip()[-1500:]}")
        sections += [f"## {title}", "", f"`python -m bench.{name} {' '.join(args)}` ({took:.0f} s; before: {load}; "
                     f"after: {_load()})", "", "```", body, "```", ""]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(sections), encoding="utf-8")  # what is done so far survives an interrupted run
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists() and size == "full":
        sections += [notes.read_text(encoding="utf-8")]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(sections), encoding="utf-8")
    print(f"written: {out} ({datetime.now(UTC) - started})")
    return failures


if __name__ == "__main__":
    sys.exit(main())
