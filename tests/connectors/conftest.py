"""Fixtures of the connector tests: a deployment in tmp, the loopback servers, a scriptable HTTP server.

A missing server skips its tests on a developer's machine and fails them in CI (`CI=true`).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from cockpit import bootstrap
from cockpit.core.clock import FixedClock

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = Path(__file__).resolve().parent / "configs"
DATASETS = ROOT.parent / "shared" / "datasets"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def require(host: str, port: int, what: str) -> None:
    """Skip (developer machine) or fail (CI) when a loopback server is not listening."""
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        message = f"{what} is not listening on {host}:{port} (start it: `make services`)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def require_datasets() -> Path:
    """The shared real datasets folder; skip with a clear message when absent (fail in CI)."""
    if not DATASETS.is_dir():
        message = f"real datasets not found at {DATASETS} (they live in ../shared/datasets beside the checkout)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return DATASETS


def unique(prefix: str) -> str:
    """A name no other test (or earlier run) uses: tables and topics on the shared servers."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def base_config(db_path: Path) -> dict:
    """The city, its areas and units (from the demo config), and a database file in tmp."""
    return {
        "city": {"name": "泰州市", "code": "321200", "timezone": "Asia/Shanghai"},
        "database": {"path": str(db_path)},
        "areas": yaml.safe_load((ROOT / "config/taizhou/areas.yaml").read_text(encoding="utf-8")),
        "units": yaml.safe_load((ROOT / "config/taizhou/units.yaml").read_text(encoding="utf-8")),
    }


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def deploy(tmp_path: Path, clock: FixedClock) -> Callable[..., bootstrap.Runtime]:
    """Write a config with the given datasets and sources and open it: `deploy(datasets, sources)`."""
    opened = []

    def make(datasets: dict, sources: dict) -> bootstrap.Runtime:
        data = base_config(tmp_path / "cockpit.duckdb") | {"datasets": datasets, "sources": sources}
        path = tmp_path / "config.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        if opened:
            opened[-1].db.close()
        rt = bootstrap.open_runtime(path, clock=clock)
        opened.append(rt)
        return rt

    yield make
    for rt in opened:
        with contextlib.suppress(Exception):
            rt.db.close()


class Script:
    """What the loopback HTTP server answers: a list of (status, body) per path, last one repeats."""

    def __init__(self):
        self.routes: dict[str, list[tuple[int, str | bytes, dict]]] = {}
        self.requests: list[dict] = []
        self.delay = 0.0
        self.gate: threading.Event | None = None  # when set up, every answer waits until the test opens it

    def on(self, path: str, *responses: tuple) -> None:
        self.routes[path] = [(r[0], r[1], r[2] if len(r) > 2 else {}) for r in responses]

    def json(self, path: str, data, status: int = 200) -> None:
        self.on(path, (status, json.dumps(data, ensure_ascii=False)))


@pytest.fixture
def http_server():
    """A real HTTP server on loopback driven by a `Script`; yields (base_url, script)."""
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            script.requests.append({"method": self.command, "path": url.path, "query": parse_qs(url.query),
                                    "headers": dict(self.headers), "body": body})
            queue = script.routes.get(url.path)
            if not queue:
                status, payload, headers = 404, "{}", {}
            else:
                status, payload, headers = queue.pop(0) if len(queue) > 1 else queue[0]
            if callable(payload):
                payload = payload(parse_qs(url.query), self.headers)
            if script.delay:
                threading.Event().wait(script.delay)
            if script.gate is not None:
                script.gate.wait(30)
            data = payload if isinstance(payload, bytes) else payload.encode()
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", script
    server.shutdown()
    server.server_close()


@pytest.fixture
def need() -> Callable[[str, int, str], None]:
    """`need(host, port, what)`: skip (or fail in CI) when a loopback server is down."""
    return require


@pytest.fixture
def datasets_dir() -> Path:
    """The shared real datasets folder (skips with a clear message when absent, fails in CI)."""
    return require_datasets()


@pytest.fixture
def config_file(tmp_path: Path) -> Callable[[dict, dict], Path]:
    """Write (without opening) a config with the given datasets and sources; returns its path."""

    def make(datasets: dict, sources: dict) -> Path:
        data = base_config(tmp_path / "cockpit.duckdb") | {"datasets": datasets, "sources": sources}
        path = tmp_path / "config.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return make
