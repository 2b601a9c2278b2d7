"""Small local pages for the browser steps, served by http.server in a thread."""

import http.server
import threading

FORM = """<!doctype html><title>Form</title>
<input id="name" value="">
<textarea id="notes">  some notes  </textarea>
<button id="go" onclick="document.getElementById('out').textContent = 'Hello ' +
  document.getElementById('name').value">Go</button>
<button id="off" disabled>Off</button>
<p id="out"></p>
<div id="hidden" style="display:none">Hidden text</div>
<a id="link" href="/form.html" data-role="primary">Link</a>
<p class="many">one</p><p class="many">two</p>
<input id="file" type="file" onchange="document.getElementById('files').textContent =
  Array.from(this.files).map(f => f.name).join(',')">
<p id="files"></p>
<input id="keys-input">
<p id="keys"></p>
<script>
document.addEventListener('keydown', e => {
  document.getElementById('keys').textContent += '[' + e.key + ']';
});
</script>
"""

LATE = """<!doctype html><title>Late</title>
<p id="vanish">going</p>
<button id="later" disabled onclick="this.dataset.clicks = +(this.dataset.clicks || 0) + 1">
Later</button>
<p id="status">loading</p>
<div style="position:relative;width:200px">
  <button id="under">Under</button>
  <div id="shade" style="position:absolute;inset:0;background:rgba(0,0,0,.3)"></div>
</div>
<script>
setTimeout(() => {
  document.body.insertAdjacentHTML('beforeend', '<p id="late">here</p>');
  document.getElementById('vanish').remove();
  document.getElementById('later').disabled = false;
  document.getElementById('status').textContent = 'ready 42';
  document.getElementById('status').dataset.state = 'done';
}, 600);
</script>
"""

CANVAS = """<!doctype html><title>Canvas</title>
<style>body{margin:0} #pad{width:100vw;height:100vh}</style>
<div id="pad" onclick="this.textContent = event.clientX + ',' + event.clientY"></div>
<p id="tick" style="position:fixed;right:0;bottom:0;margin:0"></p>
<script>setInterval(() => {
  document.getElementById('tick').textContent = Date.now(); }, 50);</script>
"""

PAGES = {
    "/form.html": FORM,
    "/late.html": LATE,
    "/canvas.html": CANVAS,
    "/download.html": '<a id="get" href="/backup.gwbk" download>Backup</a>'
    '<a id="broken" href="/broken.gwbk" download>Broken</a>',
}


class Site:
    """``url(path)`` of a page; ``/slow`` hangs until the site stops, ``/backup.gwbk`` downloads."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                site.serve(self)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def serve(self, request) -> None:
        path = request.path.split("?")[0]
        if path == "/slow":
            self.stopping.wait(20)
        if path == "/broken.gwbk":
            request.send_response(200)
            request.send_header("Content-Type", "application/octet-stream")
            request.send_header("Content-Disposition", 'attachment; filename="broken.gwbk"')
            request.send_header("Content-Length", "100000")
            request.end_headers()
            request.wfile.write(b"GWBK")
            request.close_connection = True
        elif path == "/backup.gwbk":
            self._send(
                request,
                200,
                b"GWBK" * 1000,
                "application/octet-stream",
                {"Content-Disposition": 'attachment; filename="backup.gwbk"'},
            )
        elif path in PAGES:
            self._send(request, 200, PAGES[path].encode(), "text/html")
        else:
            self._send(request, 404, b"<p>not here</p>", "text/html")

    @staticmethod
    def _send(request, status, body: bytes, content_type: str, headers=None) -> None:
        try:
            request.send_response(status)
            request.send_header("Content-Type", content_type)
            request.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            request.end_headers()
            request.wfile.write(body)
        except OSError:
            pass  # the browser gave up on a slow page

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
