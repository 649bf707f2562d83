"""`make bench`: run every benchmark, print its figures, and write docs/benchmarks.md with the machine it ran on.

Each benchmark is a module `bench.<name>` with a `main()` that prints its figures; each runs in its own process
so one's memory and caches do not colour the next.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = [
    ("ingest", "Ingest: 1M rows through the full connector pipeline vs a raw DuckDB Arrow append"),
    ("evaluate", "Indicator evaluation: full and incremental vs one DuckDB scan"),
    ("pages", "Pages: server time of the role views (median and p95 over repeated requests)"),
]


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


def main() -> None:
    """Run the benchmarks that exist, print their output, write docs/benchmarks.md."""
    started = datetime.now(UTC)
    sections = [
        "# Benchmarks", "",
        f"Measured by `make bench` on {started:%Y-%m-%d %H:%M} UTC. Machine: {machine()}.", "",
        "Figures are wall-clock on a shared 2-core machine; compare ratios rather than absolute rows/s.", "",
    ]
    for name, title in BENCHMARKS:
        if not (ROOT / "bench" / f"{name}.py").exists():
            sections += [f"## {title}", "", "_not built yet_", ""]
            continue
        print(f"== bench.{name}", flush=True)
        t0 = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=ROOT, capture_output=True, text=True)
        took = time.monotonic() - t0
        print(proc.stdout, end="", flush=True)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
        body = proc.stdout.strip() if proc.returncode == 0 else f"FAILED (exit {proc.returncode})"
        sections += [f"## {title}", "", f"`python -m bench.{name}` ({took:.0f} s)", "", "```", body, "```", ""]
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(sections), encoding="utf-8")
    print(f"written: docs/benchmarks.md ({datetime.now(UTC) - started})")


if __name__ == "__main__":
    main()
