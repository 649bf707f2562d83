"""The simulated data APIs (12345 platform, video platform, traffic platform) and the drill control
endpoint, on one loopback HTTP server.

Data endpoints answer `GET ?since=<ISO time>&page=N&page_size=M` with
`{"code": 0, "msg": "ok", "data": {"total": T, "records": [...]}}`; times are local wall-clock text
(`YYYY-MM-DD HH:MM:SS`) and every record carries `updated_at`. A paged read is answered from a snapshot
taken at its first page, so records changing between two pages never shift a page.

Control: `POST /control/drill` with `{"name": ..., "minutes": ..., "params": {...}}`, `GET /control/status`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cockpit.demo.simulator.city import epoch

log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 10_000


class SimulatedApis:
    """Renders the simulator's store as the departments' APIs would."""

    def __init__(self, simulator):
        self.sim = simulator
        self._snapshots: dict[tuple[str, str], tuple[int, float]] = {}
        self._lock = threading.Lock()

    def as_of(self, path: str, since: str, page: int) -> int:
        """The epoch second a paged read sees: fixed at its first page for ten minutes."""
        now = epoch(self.sim.clock.now())
        key = (path, since)
        with self._lock:
            self._snapshots = {k: v for k, v in self._snapshots.items() if time.monotonic() - v[1] < 600}
            if page <= 1 or key not in self._snapshots:
                self._snapshots[key] = (now, time.monotonic())
            return self._snapshots[key][0]

    def records(self, path: str, since: int, as_of: int, offset: int, limit: int) -> tuple[int, list[dict]]:
        """(total, records of one page) of a data endpoint; at most `API_WINDOW` back from `as_of`."""
        sql, order, render = ENDPOINTS[path]
        con = self.sim.internal.connect()
        off = self.sim.city.utc_offset_hours
        params = {"s": max(since, as_of - API_WINDOW), "n": as_of}
        total = con.execute(f"select count(*) from ({sql})", params).fetchone()[0]
        rows = con.execute(f"{sql} order by {order} limit {int(limit)} offset {int(offset)}", params).fetchall()
        return int(total), [render(r, as_of, off) for r in rows]


API_WINDOW = 3 * 86400      # like many government APIs: changes of the last days only; history is exported


def _t(seconds: int, off: float) -> str | None:
    if seconds < 0:
        return None
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds + int(off * 3600)))


def _order(r: tuple, now: int, off: float) -> dict:
    oid, created, dispatched, due, closed, visited, street, category, channel, satisfied, solved, upd = r
    is_dispatched = 0 <= dispatched <= now
    is_closed = closed <= now
    is_visited = 0 <= visited <= now
    if is_closed:
        status = "办结"
    elif is_dispatched:
        status = "办理中"
    else:
        status = "受理"
    return {"order_id": oid, "created_at": _t(created, off), "dispatched_at": _t(dispatched, off) if is_dispatched else None,
            "due_at": _t(due, off), "closed_at": _t(closed, off) if is_closed else None, "street_code": street,
            "category": category, "channel": channel, "status": status,
            "dispatched": is_dispatched,
            "visited": is_visited, "satisfied": bool(satisfied) if is_visited else None,
            "solved": bool(solved) if is_visited else None, "updated_at": _t(upd, off)}


def _call(r: tuple, _now: int, off: float) -> dict:
    return {"call_id": r[0], "started_at": _t(r[1], off), "district_code": r[2], "answered": bool(r[3]),
            "wait_seconds": r[4], "updated_at": _t(r[1], off)}


def _video(r: tuple, _now: int, off: float) -> dict:
    return {"point_id": r[0], "check_time": _t(r[1], off), "street_code": r[2], "point_type": r[3],
            "status": "ON" if r[4] else "OFF", "online": r[4], "updated_at": _t(r[1], off)}


def _traffic(r: tuple, _now: int, off: float) -> dict:
    return {"road_id": r[0], "time": _t(r[1], off), "street_code": r[2], "tpi": r[3], "avg_speed": r[4],
            "length_km": r[5], "accident": bool(r[6]), "updated_at": _t(r[1], off)}


# path → (select bounded by :s and :n on the record's change time, order, renderer of one row as of a time)
ENDPOINTS = {
    "/api/12345/orders": ("select order_id, created, dispatched, due, closed, visited, street, category, channel, "
                          "satisfied, solved, upd from hotline_orders where upd between :s and :n",
                          "upd, order_id", _order),
    "/api/12345/calls": ("select call_id, started, district, answered, wait_seconds from hotline_calls "
                         "where started between :s and :n", "started, call_id", _call),
    "/api/video/points": ("select point_id, checked, street, kind, online from video_status "
                          "where checked between :s and :n", "checked, point_id", _video),
    "/api/traffic/congestion": ("select road_id, measured, street, congestion, speed, length_km, accident "
                                "from traffic where measured between :s and :n", "measured, road_id", _traffic),
}
SYSTEM_OF_PATH = {"/api/12345/orders": "hotline", "/api/12345/calls": "hotline", "/api/video/points": "video",
                  "/api/traffic/congestion": "traffic"}


def make_handler(apis: SimulatedApis):
    """The request handler class bound to one simulator."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "TaizhouSim/1.0"

        def log_message(self, fmt, *args):  # quiet: the connectors log what matters
            log.debug("api: " + fmt, *args)

        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 (http.server naming)
            url = urlparse(self.path)
            q = {k: v[-1] for k, v in parse_qs(url.query).items()}
            if url.path == "/control/status":
                self._send(200, apis.sim.status())
                return
            if url.path not in SYSTEM_OF_PATH:
                self._send(404, {"code": 404, "msg": "not found"})
                return
            if apis.sim.drills.outage(SYSTEM_OF_PATH[url.path], epoch(apis.sim.clock.now())):
                self._send(503, {"code": 503, "msg": "服务暂不可用 (演练: 数据源中断)"})
                return
            try:
                since = _parse_since(q.get("since"))
                page = max(1, int(q.get("page", "1")))
                size = min(MAX_PAGE_SIZE, max(1, int(q.get("page_size", "100"))))
            except ValueError as exc:
                self._send(400, {"code": 400, "msg": f"参数有误: {exc}"})
                return
            as_of = apis.as_of(url.path, q.get("since", ""), page)
            total, records = apis.records(url.path, since, as_of, (page - 1) * size, size)
            self._send(200, {"code": 0, "msg": "ok", "data": {"total": total, "page": page, "records": records}})

        def do_POST(self):  # noqa: N802
            url = urlparse(self.path)
            if url.path != "/control/drill":
                self._send(404, {"code": 404, "msg": "not found"})
                return
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                drill = apis.sim.inject(body["name"], float(body.get("minutes", 60)), body.get("params") or {})
            except (KeyError, ValueError, TypeError) as exc:
                self._send(400, {"code": 400, "msg": str(exc)})
                return
            self._send(200, {"code": 0, "msg": "ok", "data": drill})

    return Handler


def _parse_since(text: str | None) -> int:
    if not text:
        return 0
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return epoch(t)


class ApiServer:
    """The loopback HTTP server in a background thread."""

    def __init__(self, simulator, port: int):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), make_handler(SimulatedApis(simulator)))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="simulator-api", daemon=True)

    def start(self) -> None:
        """Serve in the background."""
        self.thread.start()

    def stop(self) -> None:
        """Stop serving and release the port."""
        self.httpd.shutdown()
        self.httpd.server_close()
