"""A tiny real HTTP server answering every method with one fixed response (odd gateways)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class PlainServer:
    def __init__(self, status: int = 200, body: bytes = b"done", content_type="text/plain"):
        self.status, self.body, self.content_type = status, body, content_type
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self):
        plain = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.send_response(plain.status)
                self.send_header("Content-Type", plain.content_type)
                self.send_header("Content-Length", str(len(plain.body)))
                self.end_headers()
                self.wfile.write(plain.body)

            do_GET = do_POST = do_PUT = do_DELETE = answer  # noqa: N815

            def log_message(self, *args):
                pass

        return Handler

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
