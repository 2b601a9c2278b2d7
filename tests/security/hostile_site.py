"""A hostile web page server and a stand-in data folder, for the trust-boundary tests.

The data folder holds a ``secrets.env`` and a ``db.sqlite3`` with distinctive text, and the
run folders live inside it (``<data>/artifacts/<run>``), as they do on a default install.
"""

import http.server
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass
class DataFolder:
    root: Path
    secret: str

    @property
    def secrets_env(self) -> Path:
        return self.root / "secrets.env"

    @property
    def artifacts(self) -> Path:
        return self.root / "artifacts"


def make_data_folder(root: Path) -> DataFolder:
    """``root`` filled like a data folder; the secret is unique to this folder."""
    secret = f"FERNET-KEY-{uuid.uuid4().hex}"
    root.mkdir(parents=True, exist_ok=True)
    (root / "secrets.env").write_text(f"FIELD_ENCRYPTION_KEY={secret}\n")
    (root / "db.sqlite3").write_text(f"SQLite format 3 {secret}\n")
    (root / "artifacts").mkdir(exist_ok=True)
    return DataFolder(root, secret)


def hostile_pages(target: str) -> dict[str, str]:
    """Pages that try to show ``target`` (a non-web URL) in every way a page can."""
    return {
        "/link.html": f'<a id="go" href="{target}">open</a>',
        "/popup.html": f'<button id="go" onclick="window.open(\'{target}\')">open</button>',
        "/iframe.html": f'<p id="go">frame</p><iframe id="frame" src="{target}"></iframe>',
        "/script.html": f'<p id="go">script</p><script>location.href = "{target}";</script>',
        "/later.html": '<p id="go">later</p><script>setTimeout(() => { location.href = "'
        f'{target}"; }}, 50);</script>',
        "/form.html": '<input id="file" type="file" onchange="document.getElementById('
        '\'files\').textContent = this.files.length"><p id="files">0</p>',
    }


class HostileSite:
    """Serves ``hostile_pages(target)`` and ``/redirect`` (302 to ``target``) on a free port."""

    def __init__(self, target: str) -> None:
        pages, self.target = hostile_pages(target), target
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                site.serve(self, pages)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def serve(self, request, pages: dict[str, str]) -> None:
        if request.path == "/redirect":
            request.send_response(302)
            request.send_header("Location", self.target)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        body = pages.get(request.path, "<p>not here</p>").encode()
        request.send_response(200 if request.path in pages else 404)
        request.send_header("Content-Type", "text/html")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
