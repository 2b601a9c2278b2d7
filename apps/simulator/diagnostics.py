"""The diagnostics bundle (Invalid → Generating → Valid) and the logger level registry."""

import io
import json
import zipfile

BUNDLE_ENTRIES = (
    "gateway-network-live-diagram.json",
    "jetty-server-dump.txt",
    "thread-dump.json",
    "gateway-info.json",
    "system_logs.idb",
    "metrics.idb",
)
GENERATE_S = 5.0
LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF")
DEFAULT_LOGGERS = (
    "gateway.Startup",
    "gateway.Restart",
    "gateway.Modules",
    "gateway.Projects",
    "gateway.Backup",
    "gateway.Licensing",
    "gateway.Security",
    "GatewayManager",
    "Common.BasicExecutionEngine",
    "alarm.Notification.Pipeline",
)


class Diagnostics:
    """One gateway's bundle and logger levels; times are gateway seconds."""

    def __init__(self):
        self.generated_at: float | None = None
        self.bundle: bytes = b""
        self.levels: dict[str, str] = {}

    def state(self, now: float) -> dict:
        if self.generated_at is None:
            return {"state": "Invalid"}
        if now < self.generated_at + GENERATE_S:
            return {"state": "Generating"}
        return {"state": "Valid", "fileSize": len(self.bundle)}

    def generate(self, now: float, gateway_info: dict, logs: bytes) -> None:
        self.generated_at = now
        self.bundle = _bundle(gateway_info, logs)

    def download(self, now: float) -> bytes | None:
        return self.bundle if self.state(now)["state"] == "Valid" else None

    def loggers(self, seen: list[str]) -> list[dict]:
        names = sorted({*DEFAULT_LOGGERS, *seen, *self.levels})
        return [
            {"name": n, "level": self.levels.get(n, "INFO"), "context": "gateway"} for n in names
        ]

    def set_level(self, name: str, level: str) -> None:
        if level.upper() not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}")
        self.levels[name] = level.upper()

    def reset_levels(self) -> None:
        self.levels.clear()


def _bundle(gateway_info: dict, logs: bytes) -> bytes:
    contents = {
        "gateway-network-live-diagram.json": json.dumps({"nodes": [], "connections": []}),
        "jetty-server-dump.txt": "org.eclipse.jetty.server.Server - STARTED\n",
        "thread-dump.json": json.dumps({"threads": [{"name": "main", "state": "RUNNABLE"}]}),
        "gateway-info.json": json.dumps(gateway_info),
        "system_logs.idb": logs,
        "metrics.idb": logs,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in BUNDLE_ENTRIES:
            archive.writestr(name, contents[name])
    return buffer.getvalue()
