"""Fixtures for the gateway simulator: in-process clients and a real uvicorn server thread."""

import socket
import threading
import time

import httpx
import pytest

from apps.simulator.app import create_app
from apps.simulator.config import SimConfig
from apps.simulator.server import make_server

from .helpers import client_for, make


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app83():
    app, _ = make()
    return app


@pytest.fixture
async def client(app83):
    async with client_for(app83) as http:
        yield http


@pytest.fixture
def gateway(app83):
    return app83.state.gateway


class LiveSimulator:
    """A simulator served by uvicorn in a background thread."""

    def __init__(self, config: SimConfig):
        self.app = create_app(config)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = make_server(self.app, "127.0.0.1", self.port, log_level="warning")
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def gateway(self):
        return self.app.state.gateway

    def start(self) -> "LiveSimulator":
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the simulator server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def reachable(self) -> bool:
        try:
            httpx.get(f"{self.url}/StatusPing", timeout=1)
        except httpx.TransportError:
            return False
        return True


@pytest.fixture
def live_simulator():
    """Factory: ``live_simulator(version="8.1.x", ...)`` starts a served simulator."""
    started = []

    def start(**values) -> LiveSimulator:
        simulator = LiveSimulator(SimConfig(control=True, **values)).start()
        started.append(simulator)
        return simulator

    yield start
    for simulator in started:
        simulator.stop()
