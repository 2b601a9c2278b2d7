"""A tiny real HTTP server on a free local port that answers like a gateway would."""

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Route:
    status: int = 200
    body: object = None
    headers: dict = field(default_factory=dict)
    delay_seconds: float = 0.0


class FakeGateway:
    """Routes by path; records every request's path and headers."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {
            "/StatusPing": Route(body={"state": "RUNNING"}),
        }
        self.requests: list[tuple[str, dict]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                gateway.requests.append((self.path, dict(self.headers)))
                route = gateway.routes.get(self.path, Route(status=404, body={"message": "nf"}))
                time.sleep(route.delay_seconds)
                body = route.body
                raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def fake_gateway():
    gateway = FakeGateway()
    thread = threading.Thread(target=gateway.server.serve_forever, daemon=True)
    thread.start()
    yield gateway
    gateway.server.shutdown()
    gateway.server.server_close()


@pytest.fixture
def closed_port_url():
    """A local URL where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
