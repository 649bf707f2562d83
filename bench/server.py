"""`cockpit serve` for benchmarks: the real server and scheduler (`run_server`), with the clock moved so that
"now" is the end of the generated year and then runs on in real time.

    .venv/bin/python -m bench.server --config F --at 2026-01-01T00:00:00+08:00 --port P

`Server` starts it in a child process, waits until it answers, and reads the child's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class OffsetClock:
    """Real time shifted so that it read `at` when the clock was made."""

    def __init__(self, at: datetime):
        self._offset = at - datetime.now(UTC)

    def now(self) -> datetime:
        """The shifted current time (UTC)."""
        return datetime.now(UTC) + self._offset


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The benchmark server in a child process (a context manager)."""

    def __init__(self, config: Path, at: datetime, log: Path, scheduler: bool = True):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "bench.server", "--config", str(config), "--at", at.isoformat(),
                "--port", str(self.port)] + ([] if scheduler else ["--no-scheduler"])
        self._log = log.open("w")
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.log = log

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(self.log.read_text())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start: " + self.log.read_text()[-2000:])

    def rss_kib(self) -> tuple[int, int]:
        """(current, peak) resident set size of the server process in KiB."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        field = {line.split(":")[0]: line.split()[1] for line in status.splitlines() if line.startswith("Vm")}
        return int(field["VmRSS"]), int(field["VmHWM"])

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


def main() -> None:
    """Serve the deployment with the shifted clock."""
    import logging

    from cockpit import bootstrap
    from cockpit.cli.serve_commands import run_server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--at", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--no-scheduler", action="store_true")
    a = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    runtime = bootstrap.open_runtime(a.config, clock=OffsetClock(datetime.fromisoformat(a.at)))
    run_server(runtime, "127.0.0.1", a.port, scheduler=not a.no_scheduler)


if __name__ == "__main__":
    main()
