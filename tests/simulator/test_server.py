"""The real server: the management command as a process, and hard restarts on a live socket."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.core.management import CommandError, call_command

from apps.simulator.management.commands import run_gateway_simulator
from apps.simulator.state import Phase

from .conftest import free_port
from .helpers import API, TOKEN

REPOSITORY = Path(__file__).resolve().parents[2]


def wait_until(probe, attempts: int = 500, pause: float = 0.02):
    for _ in range(attempts):
        result = probe()
        if result:
            return result
        time.sleep(pause)
    raise AssertionError("condition not reached")


def ping(url: str):
    try:
        return httpx.get(f"{url}/StatusPing", timeout=2).json()
    except httpx.TransportError:
        return None


def test_command_serves_status_ping_and_exits_cleanly_on_sigint():
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "run_gateway_simulator",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--version",
            "8.3.6",
            "--time-scale",
            "0.01",
            "--control",
        ],
        cwd=REPOSITORY,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "toolkit_project.settings.test"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = wait_until(lambda: ping(url))
        control = httpx.get(f"{url}/__sim/state", timeout=2).json()
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)

    assert body == {"state": "RUNNING"}
    assert control["clock"]["timeScale"] == 0.01
    assert process.returncode == 0
    assert "Gateway simulator 8.3.6 (b2026042713)" in output
    assert "Gateway simulator stopped." in output


class FakeServer:
    def __init__(self, app, host, port, log_level):
        self.app, self.started = app, port != 1

    def run(self):
        FakeServer.ran = self


def test_command_builds_the_configured_app(monkeypatch, tmp_path, capsys):
    seed = tmp_path / "seed.json"
    seed.write_text('{"gateway_name": "Seeded"}')
    monkeypatch.setattr(run_gateway_simulator, "make_server", FakeServer)

    call_command(
        "run_gateway_simulator",
        "--port",
        "9999",
        "--version",
        "8.1.x",
        "--seed-file",
        str(seed),
        "--allow-unsigned-modules",
        "--uncommissioned",
        "--restart-style",
        "hard",
        "--error-style",
        "html",
        "--cold-start-s",
        "3",
    )

    config = FakeServer.ran.app.state.config
    assert (config.version, config.gateway_name, config.port) == ("8.1.48", "Seeded", 9999)
    assert config.allow_unsigned_modules is True
    assert config.commissioned is False
    assert config.control is False
    assert "Gateway simulator stopped." in capsys.readouterr().out


def test_command_reports_bad_options_and_busy_ports(monkeypatch):
    monkeypatch.setattr(run_gateway_simulator, "make_server", FakeServer)

    with pytest.raises(CommandError, match="unsupported version"):
        call_command("run_gateway_simulator", "--version", "9.0")
    with pytest.raises(CommandError, match="could not listen"):
        call_command("run_gateway_simulator", "--port", "1")


def test_hard_restart_refuses_connections_then_comes_back(live_simulator):
    simulator = live_simulator(restart_style="hard")
    gateway = simulator.gateway
    gateway.clock.pause()
    with httpx.Client(base_url=simulator.url) as kept_alive:
        assert kept_alive.get("/StatusPing").status_code == 200
        assert (
            kept_alive.post(f"{API}/restart-tasks/restart?confirm=true", headers=TOKEN).text
            == "true"
        )
        gateway.clock.advance(5 + 1)
        assert gateway.tick() is Phase.DOWN

        wait_until(lambda: not simulator.reachable())
        with pytest.raises(httpx.TransportError):
            kept_alive.get("/StatusPing")

    gateway.clock.advance(10)
    assert wait_until(lambda: ping(simulator.url)) == {"state": "STARTING"}
    gateway.clock.advance(35)
    assert ping(simulator.url) == {"state": "RUNNING"}


def test_hang_fault_times_a_real_client_out(live_simulator):
    simulator = live_simulator()
    httpx.post(f"{simulator.url}/__sim/fault", json={"route": "/StatusPing", "kind": "hang"})

    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{simulator.url}/StatusPing", timeout=0.2)
    httpx.delete(f"{simulator.url}/__sim/fault")

    assert ping(simulator.url) == {"state": "RUNNING"}
