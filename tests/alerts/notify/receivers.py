"""Real local receivers for the notification tests: an HTTP server that behaves like a webhook endpoint, a
DingTalk robot (checks 加签 as the robot does), a WeCom robot and an SMS gateway; and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote_plus, urlsplit

from aiosmtpd.controller import Controller

DINGTALK_SECRET = "SECtest-robot-secret-1234567890"
WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


@dataclass
class Received:
    """One request as the receiver saw it."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class HttpReceiver:
    """A threaded HTTP server on loopback. `fail[path]` is a list of status codes answered before succeeding."""

    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    fail: dict[str, list[int]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def at(self, path: str) -> list[Received]:
        """Requests that reached `path` and were answered with success."""
        return [r for r in self.received if r.path == path]


def start_http_receiver() -> HttpReceiver:
    """Start the receiver in a daemon thread; stop it with `.server.shutdown()`."""
    state: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet test output
            pass

        def do_POST(self):  # noqa: N802 - the http.server naming
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver: HttpReceiver = state["receiver"]
            queued = receiver.fail.get(parts.path)
            if queued:
                self._answer(queued.pop(0), {"error": "injected"})
                return
            if parts.path.startswith("/dingtalk"):
                status, answer = _dingtalk_robot(parts.query, body)
            elif parts.path.startswith("/wecom"):
                status, answer = _wecom_robot(query, body)
            else:
                status, answer = 200, {"ok": True}
            if answer.get("errcode", 0) == 0:
                receiver.received.append(Received(parts.path, query, dict(self.headers.items()), body))
            self._answer(status, answer)

        def _answer(self, status: int, document: dict) -> None:
            data = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = HttpReceiver(server)
    state["receiver"] = receiver
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver


def _dingtalk_robot(raw_query: str, body: bytes) -> tuple[int, dict]:
    """What a DingTalk custom robot with 加签 checks: access_token, a timestamp within an hour, the signature."""
    query = {}
    for pair in raw_query.split("&"):
        key, _, value = pair.partition("=")
        query[key] = value
    if query.get("access_token") != "robot-token":
        return 200, {"errcode": 300001, "errmsg": "token is not exist"}
    timestamp = query.get("timestamp", "")
    if not timestamp.isdigit() or abs(int(timestamp) - time.time() * 1000) > 3600 * 1000:
        return 200, {"errcode": 310000, "errmsg": "invalid timestamp"}
    expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    if unquote_plus(query.get("sign", "")) != expected:
        return 200, {"errcode": 310000, "errmsg": "sign not match"}
    doc = json.loads(body.decode("utf-8"))
    kind = doc.get("msgtype")
    if kind == "markdown" and not (doc["markdown"].get("title") and doc["markdown"].get("text")):
        return 200, {"errcode": 40035, "errmsg": "missing markdown title or text"}
    if kind == "text" and not doc["text"].get("content"):
        return 200, {"errcode": 40035, "errmsg": "missing text content"}
    if kind not in ("markdown", "text"):
        return 200, {"errcode": 40035, "errmsg": "unknown msgtype"}
    return 200, {"errcode": 0, "errmsg": "ok"}


def _wecom_robot(query: dict[str, str], body: bytes) -> tuple[int, dict]:
    """What a WeCom group robot checks: its key, the message type and the content limits."""
    if query.get("key") != WECOM_KEY:
        return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
    doc = json.loads(body.decode("utf-8"))
    kind = doc.get("msgtype")
    limit = {"markdown": 4096, "text": 2048}.get(kind)
    if limit is None:
        return 200, {"errcode": 40008, "errmsg": "invalid message type"}
    if len(doc[kind]["content"].encode("utf-8")) > limit:
        return 200, {"errcode": 40058, "errmsg": "content exceed max length"}
    return 200, {"errcode": 0, "errmsg": "ok"}


@dataclass
class SmtpReceiver:
    """An SMTP server on loopback keeping every accepted mail."""

    controller: Controller
    mails: list = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.controller.port


def start_smtp_receiver(port: int) -> SmtpReceiver:
    """Start aiosmtpd on 127.0.0.1:`port`; stop it with `.controller.stop()`."""
    receiver: SmtpReceiver

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            mail = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
            receiver.mails.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "mail": mail})
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    receiver = SmtpReceiver(controller)
    controller.start()
    return receiver


def self_signed_certificate(folder) -> tuple[str, str]:
    """A certificate for 127.0.0.1 signed by itself (it is its own CA); returns (cert file, key file)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "smtp.crt", folder / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


def start_tls_smtp_receiver(port: int, cert_file: str, key_file: str, user: str, password: str) -> SmtpReceiver:
    """An SMTP server that requires STARTTLS and then a login with `user` / `password`."""
    import ssl

    from aiosmtpd.smtp import AuthResult

    receiver: SmtpReceiver

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            mail = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
            receiver.mails.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "mail": mail,
                                   "tls": session.ssl is not None, "login": session.auth_data.login.decode()})
            return "250 Message accepted for delivery"

    def check(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, auth_data=auth_data)

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            auth_required=True, auth_require_tls=True, authenticator=check)
    receiver = SmtpReceiver(controller)
    controller.start()
    return receiver
