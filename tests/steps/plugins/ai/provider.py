"""A local fake AI provider: Anthropic ``/v1/messages`` and OpenAI ``/v1/chat/completions``.

``FakeProvider.reply(...)`` sets what the next requests get (text, HTTP status, delay, raw
body); ``requests`` records what arrived. Keys: ``sk-ant-test`` (Anthropic) and ``sk-test``
(OpenAI); any other key gets the provider's 401 (OpenAI's echoes the key, as the real one
partly does, so tests can check it never reaches a message).
"""

import http.server
import json
import threading

ANTHROPIC_KEY = "sk-ant-test"
OPENAI_KEY = "sk-test"


class FakeProvider:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.released = threading.Event()
        self.reply()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def reply(self, text="", *, status=200, delay=0.0, raw=None, headers=None, message="") -> None:
        self.script = {
            "text": text,
            "status": status,
            "delay": delay,
            "raw": raw,
            "headers": headers or {},
            "message": message or f"fake error {status}",
        }

    def verdict(self, passed: bool, confidence: float, explanation: str = "Looks right.") -> None:
        body = {"passed": passed, "confidence": confidence, "explanation": explanation}
        self.reply("```json\n" + json.dumps({**body, "details": ["a detail"]}) + "\n```")

    def stop(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                provider.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                script = provider.script
                if script["delay"]:
                    provider.released.wait(script["delay"])
                status, answer = provider.answer(self.path, self.headers, script)
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    for name, value in script["headers"].items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout or cancel tests)

            def log_message(self, *args):
                pass

        return Handler

    def answer(self, path: str, headers, script: dict):
        anthropic = path.endswith("/v1/messages")
        if not anthropic and not path.endswith("/v1/chat/completions"):
            return 404, {"error": {"message": f"no route {path}"}}
        key = headers.get("x-api-key") if anthropic else headers.get("authorization", "")[7:]
        if key != (ANTHROPIC_KEY if anthropic else OPENAI_KEY):
            message = "invalid x-api-key" if anthropic else f"Incorrect API key provided: {key}"
            return 401, self.error(anthropic, "authentication_error", message)
        if script["raw"] is not None:
            return script["status"], script["raw"]
        if script["status"] != 200:
            return script["status"], self.error(anthropic, "api_error", script["message"])
        if anthropic:
            return 200, {"type": "message", "content": [{"type": "text", "text": script["text"]}]}
        return 200, {"choices": [{"message": {"role": "assistant", "content": script["text"]}}]}

    @staticmethod
    def error(anthropic: bool, kind: str, message: str) -> dict:
        if anthropic:
            return {"type": "error", "error": {"type": kind, "message": message}}
        return {"error": {"message": message, "type": kind}}
