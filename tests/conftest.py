"""Shared fixtures: a test deployment (config + DuckDB file in tmp) and, for browser tests, the real server."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE_CONFIG = ROOT / "config.yaml"


def write_config(folder: Path, port: int = 8050, core_only: bool = True) -> Path:
    """A copy of the demo config that keeps its database in `folder` (includes resolved to the repo)."""
    text = BASE_CONFIG.read_text(encoding="utf-8")
    text = text.replace("path: data/cockpit.duckdb", f"path: {folder / 'cockpit.duckdb'}")
    text = re.sub(r"!include (config/\S+)", lambda m: f"!include {ROOT / m.group(1)}", text)
    text = text.replace("port: 8050", f"port: {port}")
    # every browser test signs in from 127.0.0.1; the per-address limit itself is tested in tests/cockpit
    text = text.replace("security:\n", "security:\n  login_attempts_per_ip: 10000\n", 1)
    if core_only:  # the rooms' own tests cover datasets and indicators; the shell needs only areas and units
        text = "\n".join(line for line in text.splitlines()
                         if not re.match(r"^(datasets|indicators|sources): !include", line))
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """`cockpit demo` running on a free loopback port; yields (base_url, {user: password})."""
    folder = tmp_path_factory.mktemp("live")
    port = free_port()
    config = write_config(folder, port)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cockpit.cli", "--config", str(config), "demo", "--port", str(port)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((folder / "server.log").read_text())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("server did not start within 60 s:\n" + (folder / "server.log").read_text())
    logins = dict(line.split("\t", 1) for line in (folder / "demo-logins.txt").read_text().splitlines())
    yield url, logins
    proc.terminate()
    proc.wait(timeout=10)
