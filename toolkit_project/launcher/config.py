"""What the launcher starts, read from the environment (the same names the README lists)."""

import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class LaunchConfig:
    data_dir: Path
    host: str
    port: int
    simulator_port: int
    simulator_enabled: bool
    worker_concurrency: int
    redis_url: str  # empty: start an embedded Redis
    worker_stop_seconds: int  # the worker's runs get this long to end when it stops

    @classmethod
    def from_environment(cls, environ=os.environ) -> "LaunchConfig":
        data = environ.get("IGNITION_TOOLKIT_DATA") or str(REPOSITORY / "var")
        return cls(
            data_dir=Path(data).resolve(),
            host=environ.get("IGNITION_TOOLKIT_HOST", "127.0.0.1"),
            port=int(environ.get("IGNITION_TOOLKIT_PORT", "8000")),
            simulator_port=int(environ.get("IGNITION_TOOLKIT_SIMULATOR_PORT", "8088")),
            simulator_enabled=environ.get("IGNITION_TOOLKIT_SIMULATOR", "true").lower() != "false",
            worker_concurrency=int(environ.get("IGNITION_TOOLKIT_WORKER_CONCURRENCY", "2")),
            redis_url=environ.get("REDIS_URL", ""),
            worker_stop_seconds=int(environ.get("WORKER_STOP_SECONDS", "30")),
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def python() -> str:
    return sys.executable
