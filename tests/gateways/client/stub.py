"""A plain HTTP server that answers from a table of recorded responses and records every call.

Routes are ``(method, path)`` → ``Answer`` or a callable ``(Call) -> Answer`` (for paging or
state). Anything else answers the gateway's 404 "No route match". The client is tested against
the recorded facts through this server, so no simulator code is involved.
"""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: bytes | str | dict | list | bool | None = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


Route = Answer | Callable[[Call], Answer]


class StubGateway:
    def __init__(self, routes: dict[tuple[str, str], Route] | None = None):
        self.routes: dict[tuple[str, str], Route] = dict(routes or {})
        self.calls: list[Call] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, call: Call) -> Answer:
        route = self.routes.get((call.method, call.path))
        if route is None:
            body = {"message": f"No route match for path: {call.path}", "url": call.path}
            return Answer(404, {**body, "status": "404"})
        return route(call) if callable(route) else route

    def calls_to(self, method: str, path: str) -> list[Call]:
        return [c for c in self.calls if (c.method, c.path) == (method, path)]

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                call = Call(
                    self.command,
                    parts.path,
                    dict(parse_qsl(parts.query, keep_blank_values=True)),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                stub.calls.append(call)
                answer = stub.answer(call)
                payload = answer.payload()
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = handle_one  # noqa: N815

            def log_message(self, *args):
                pass

        return Handler

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
