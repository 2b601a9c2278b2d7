"""A tiny 8.3-like gateway serving the Designer launcher download (the simulator answers 501)."""

import http.server
import threading

from tests.steps.plugins.designer.fakes import launcher_archive

TOKEN = "launcher-key:secret"
PATH = "/data/api/v1/launcher/download/designer/linux/x64"


class LauncherGateway:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.archive = launcher_archive()
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server API
                headers = {k.lower(): v for k, v in self.headers.items()}
                gateway.requests.append({"path": self.path, "headers": headers})
                status, headers, body = gateway.answer(self.path, self.headers)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, path: str, headers):
        if path == "/system/gwinfo":
            return 200, {"content-type": "text/plain"}, b"ContextStatus=RUNNING;Version=8.3.6;"
        if headers.get("x-ignition-api-token") != TOKEN:
            return 401, {"content-type": "application/json"}, b'{"message": "Unauthorized"}'
        if path == PATH:
            disposition = 'attachment; filename="designerlauncher-linux-x64.tar.gz"'
            return 200, {"content-disposition": disposition}, self.archive
        if path == "/data/api/v1/launcher/download/designer/linux/raw":
            return 200, {}, b"#!/bin/sh\necho raw\n"
        return 404, {"content-type": "application/json"}, b'{"message": "Not found"}'

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
