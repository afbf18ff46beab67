"""A local HTTP server standing in for Slack's Web API (loopback only, port chosen by the OS).

It records every call (method, HTTP status, parsed query/form/JSON arguments), answers the methods the bot
uses — ``auth.test``, ``chat.postMessage``, ``chat.update``, ``conversations.replies`` (scripted thread) — and
can answer the next N calls of a method with HTTP 429 and ``Retry-After: 1``.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0000001"


@dataclass
class Call:
    """One request the server received."""

    method: str
    status: int
    args: dict[str, Any]
    token: str = ""


@dataclass
class SlackAPI:
    """The stand-in server; use as a context manager, point a ``WebClient`` at :attr:`url`."""

    calls: list[Call] = field(default_factory=list)
    thread: list[dict[str, Any]] = field(default_factory=list)
    socket_url: str = ""
    _throttled: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: int = 0

    def __enter__(self) -> SlackAPI:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                api._handle(self)

            def do_POST(self) -> None:
                api._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    @property
    def url(self) -> str:
        """The Web API base URL (ends with ``/api/``)."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/"

    def throttle(self, method: str, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 Too Many Requests."""
        with self._lock:
            self._throttled[method] = times

    def to(self, method: str, status: int | None = 200) -> list[Call]:
        """Calls of ``method`` so far (only those answered with ``status``; ``None`` = all)."""
        with self._lock:
            return [c for c in self.calls if c.method == method and (status is None or c.status == status)]

    def web_calls(self) -> list[Call]:
        """Every call except the token check Bolt makes when it starts."""
        with self._lock:
            return [c for c in self.calls if c.method != "auth.test"]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait until ``method`` was answered (200) at least ``count`` times; return those calls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.to(method)
            if len(calls) >= count:
                return calls
            time.sleep(0.02)
        raise AssertionError(f"{method} called {len(self.to(method))} times within {timeout}s, expected {count}")

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        method = parts.path.removeprefix("/api/")
        args = _arguments(request, parts.query)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        with self._lock:
            if self._throttled.get(method, 0) > 0:
                self._throttled[method] -= 1
                status, body, headers = 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}
            else:
                status, body, headers = 200, self._answer(method, args, token), {}
            self.calls.append(Call(method, status, args, token))
        data = json.dumps(body).encode()
        request.send_response(status)
        for name, value in (headers | {"Content-Type": "application/json; charset=utf-8"}).items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def _answer(self, method: str, args: dict[str, Any], token: str) -> dict[str, Any]:
        if not token.startswith(("xoxb-", "xapp-")):
            return {"ok": False, "error": "not_authed"}
        if method == "auth.test":
            return {"ok": True, "user": "gpu-assistant", "user_id": BOT_USER_ID, "bot_id": BOT_ID, "team_id": TEAM_ID}
        if method == "chat.postMessage":
            self._ts += 1
            ts = f"1800000000.{self._ts:06d}"
            message = {"text": args.get("text", ""), "ts": ts, "bot_id": BOT_ID, "user": BOT_USER_ID}
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method == "chat.update":
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts"), "text": args.get("text", "")}
        if method == "conversations.replies":
            return {"ok": True, "messages": list(self.thread), "has_more": False}
        if method == "apps.connections.open" and token.startswith("xapp-"):
            return {"ok": True, "url": self.socket_url}
        return {"ok": False, "error": "unknown_method"}


class SocketModeServer:
    """A local Socket Mode WebSocket endpoint: says hello, pushes envelopes, records the client's acknowledgements."""

    def __enter__(self) -> SocketModeServer:
        from websockets.sync.server import serve

        self.acks: list[dict[str, Any]] = []
        self._connected = threading.Event()
        self._server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._thread.join(5)

    @property
    def url(self) -> str:
        """What ``apps.connections.open`` hands the client."""
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"

    def push(self, envelope_id: str, payload: dict[str, Any], timeout: float = 10.0) -> None:
        """Deliver an Events API payload to the connected client."""
        assert self._connected.wait(timeout), "no Socket Mode client connected"
        message = {"envelope_id": envelope_id, "type": "events_api", "payload": payload, "retry_attempt": 0}
        self._connection.send(json.dumps(message | {"accepts_response_payload": False}))

    def _session(self, connection: Any) -> None:
        self._connection = connection
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        self._connected.set()
        for message in connection:
            self.acks.append(json.loads(message))


def _arguments(request: BaseHTTPRequestHandler, query: str) -> dict[str, Any]:
    length = int(request.headers.get("Content-Length") or 0)
    raw = request.rfile.read(length).decode() if length else ""
    args: dict[str, Any] = {k: v[0] for k, v in parse_qs(query).items()}
    if raw.startswith("{"):
        args |= json.loads(raw)
    elif raw:
        args |= {k: v[0] for k, v in parse_qs(raw).items()}
    return args
