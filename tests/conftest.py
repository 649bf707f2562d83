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
                         if not re.match(r"^(datasets|indicators|sources|plans|layouts): !include", line))
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STARTUP_SECONDS = 240


def start_cockpit(config: Path, port: int, folder: Path, command: str = "serve", *extra: str) -> subprocess.Popen:
    """Start `cockpit <command>` (its output in folder/server.log) and return once it listens on `port`."""
    log = (folder / "server.log").open("a")
    proc = subprocess.Popen([sys.executable, "-m", "cockpit.cli", "--config", str(config), command, *extra,
                             "--port", str(port)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    # Start-up is a second or two on a quiet machine; a CI machine busy with parallel workers can take minutes.
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"cockpit {command} did not start within {STARTUP_SECONDS} s:\n"
                                   + (folder / "server.log").read_text()) from None
            time.sleep(0.2)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """`cockpit demo` running on a free loopback port; yields (base_url, {user: password})."""
    folder = tmp_path_factory.mktemp("live")
    port = free_port()
    config = write_config(folder, port)
    proc = start_cockpit(config, port, folder, "demo")
    url = f"http://127.0.0.1:{port}"
    logins = dict(line.split("\t", 1) for line in (folder / "demo-logins.txt").read_text().splitlines())
    yield url, logins
    proc.terminate()
    proc.wait(timeout=10)


def sign_in(client, user_id: str, password: str) -> None:
    """Sign a Flask test client in through the real login form (CSRF token included)."""
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form).group(1)
    client.post("/login", data={"user_id": user_id, "password": password, "csrf_token": token})
