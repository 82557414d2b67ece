"""A real HTTP server on 127.0.0.1:<free port> for transport-level tests.

MockTransport cannot show per-chunk timeouts, dripping bodies, pacing as the
server sees it or connection behaviour; this stdlib ``ThreadingHTTPServer``
in a daemon thread can, without any network beyond loopback. Give it an
``app(hit) -> Reply`` callable; every request is recorded in ``server.hits``.

    with LoopbackServer(lambda hit: Reply(json={"ok": True})) as server:
        httpx.get(server.url + "/x")
        assert len(server.hits) == 1
"""

from __future__ import annotations

import json as _json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Hit:
    """One request as the server received it (``at`` is time.monotonic())."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self) -> Any:
        return _json.loads(self.body)


@dataclass
class Reply:
    """What to answer. ``chunks`` + ``chunk_delay`` drip a body; ``delay`` stalls first."""

    status: int = 200
    json: Any = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[bytes] | None = None
    chunk_delay: float = 0.0
    delay: float = 0.0


class LoopbackServer:
    """Context manager running ``app`` behind a ThreadingHTTPServer on 127.0.0.1:0."""

    def __init__(self, app: Callable[[Hit], Reply]):
        self.app = app
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                hit = Hit(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                    time.monotonic(),
                )
                with server._lock:
                    server.hits.append(hit)
                reply = server.app(hit)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.body
                if reply.json is not None:
                    payload = _json.dumps(reply.json).encode()
                chunks = reply.chunks if reply.chunks is not None else [payload]
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Type": "application/json", **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(sum(len(c) for c in chunks)))
                    self.end_headers()
                    for chunk in chunks:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        if reply.chunk_delay:
                            time.sleep(reply.chunk_delay)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (deadline tests)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class SeventeenTrackStandIn:
    """A 17TRACK v2.2 look-alike enforcing the documented limits.

    - wrong ``17token`` → HTTP 401;
    - more than 40 numbers → HTTP 400 with code -18010014;
    - more than ``rate`` requests in any 1-second window → 429 + ``Retry-After``;
    - ``/register`` accepts everything; ``/gettrackinfo`` returns one InTransit event.
    ``latency`` delays each answer (the benchmark uses 200 ms).
    """

    def __init__(self, token: str, rate: int = 3, latency: float = 0.0, retry_after: str = "1"):
        self.token = token
        self.rate = rate
        self.latency = latency
        self.retry_after = retry_after
        self.accepted_at: list[float] = []
        self.throttled = 0
        self.throttled_at: list[float] = []
        self.oversized = 0
        self._lock = threading.Lock()

    def __call__(self, hit: Hit) -> Reply:
        if hit.headers.get("17token") != self.token:
            return Reply(401, json={"code": 401})
        with self._lock:
            recent = [t for t in self.accepted_at if hit.at - t < 1.0]
            if len(recent) >= self.rate:
                self.throttled += 1
                self.throttled_at.append(hit.at)
                return Reply(429, headers={"Retry-After": self.retry_after}, json={"code": 429})
            self.accepted_at.append(hit.at)
        numbers = [item["number"] for item in hit.json()]
        if len(numbers) > 40:
            self.oversized += 1
            err = {"code": -18010014, "message": "Tracking numbers exceed the 40 limit."}
            return Reply(400, json={"code": -18010014, "data": {"errors": [err]}})
        if hit.path.endswith("/register"):
            accepted = [{"origin": 1, "number": n, "carrier": 3011} for n in numbers]
        else:
            accepted = [_in_transit(n) for n in numbers]
        return Reply(
            json={"code": 0, "data": {"accepted": accepted, "rejected": []}}, delay=self.latency
        )


def _in_transit(number: str) -> dict[str, Any]:
    event = {
        "time_iso": "2026-11-02T10:00:00+08:00",
        "time_utc": "2026-11-02T02:00:00Z",
        "description": "Departed from sorting center",
        "location": "Guangzhou",
        "stage": "Departure",
        "sub_status": "InTransit_Departure",
    }
    return {
        "number": number,
        "carrier": 3011,
        "track_info": {
            "latest_status": {"status": "InTransit", "sub_status": "InTransit_Departure"},
            "misc_info": {},
            "tracking": {"providers": [{"provider": {"name": "China Post"}, "events": [event]}]},
        },
    }
