"""`make run` supervises its children: one that dies is restarted with backoff and the console
says so; one that keeps failing at start-up keeps being retried; only Ctrl-C stops everything.

One `make run` serves the whole module (starting it is the slow part); each test leaves it
serving, and the last one stops it.
"""

import signal
import socket
import subprocess
import sys

import psutil
import pytest

from tests.toolkit_project.launched import REPOSITORY, Run
from toolkit_project.launcher.lock import running_instance

pytestmark = pytest.mark.slow

# Each child as the console names it, and a part of its command line.
CHILDREN = [
    ("worker", "toolkit_project worker"),
    ("simulator", "run_gateway_simulator"),
    ("web", "daphne"),
    ("beat", "toolkit_project beat"),
    ("redis", "redis-server"),
]


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    run = Run(tmp_path_factory.mktemp("supervised") / "data")
    try:
        run.wait_for_line(r"^Press Ctrl-C to stop\.$")
        yield run
    finally:
        if run.process.poll() is None:
            run.interrupt()


def kill_and_see_it_restarted(run: Run, name: str, marker: str) -> psutil.Process:
    killed = run.child(marker)
    group = killed.children(recursive=True)  # a worker's pool processes
    killed.send_signal(signal.SIGKILL)
    run.wait_for_line(
        rf"^{name} \(pid {killed.pid}\) was killed by SIGKILL after [^;]+; "
        r"restarting it in 1 s \(restart 1\)\.$",
        timeout=30,
    )
    _, left = psutil.wait_procs(group, timeout=30)
    assert left == [], f"{name}: processes of the killed child still run"
    restarted = run.restarted_child(marker, killed=killed.pid)
    run.wait_until_serving()
    return restarted


def run_a_playbook(run: Run) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable, "manage.py", "run_playbook", "perspective/test_buttons.yaml",
            "-p", f"gateway_url=http://127.0.0.1:{run.simulator_port}", "--follow",
        ],
        env=run.env, cwd=REPOSITORY, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def test_each_child_killed_with_sigkill_is_restarted_and_the_portal_serves_again(portal):
    redis_url = running_instance(portal.data_dir / "run.lock")["redis_url"]
    redis_port = redis_url.rsplit(":", 1)[1].split("/")[0]

    for name, marker in CHILDREN:
        kill_and_see_it_restarted(portal, name, marker)

    assert running_instance(portal.data_dir / "run.lock")["redis_url"] == redis_url
    assert f"127.0.0.1:{redis_port}" in " ".join(portal.child("redis-server").cmdline())
    ping = portal.wait_for_url(f"http://127.0.0.1:{portal.simulator_port}/StatusPing")
    assert ping.json() == {"state": "RUNNING"}
    cli = run_a_playbook(portal)
    assert cli.returncode == 0, cli.stdout + cli.stderr


def test_a_child_failing_at_start_up_is_retried_with_backoff_until_it_starts(portal):
    simulator = portal.child("run_gateway_simulator")
    with socket.socket() as squatter:  # holds the simulator's port: it cannot start
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        simulator.send_signal(signal.SIGKILL)
        simulator.wait(timeout=30)
        squatter.bind(("127.0.0.1", portal.simulator_port))
        squatter.listen()
        first, second = (failed_at_start_up(portal), failed_at_start_up(portal))
    status = portal.wait_for_url(f"http://127.0.0.1:{portal.simulator_port}/StatusPing")

    assert int(second["restart"]) == int(first["restart"]) + 1
    assert int(second["delay"]) == min(2 * int(first["delay"]), 30)
    assert second["hint"] == (
        ' It keeps failing at start-up: its lines above, marked "simulator|", say why.'
    )
    assert status.json() == {"state": "RUNNING"}


def failed_at_start_up(run: Run) -> dict:
    return run.wait_for_line(
        r"^simulator \(pid \d+\) exited with code \d+ after [^;]+; "
        r"restarting it in (?P<delay>\d+) s \(restart (?P<restart>\d+)\)\.(?P<hint>.*)$",
        timeout=90,
    ).groupdict()


def test_ctrl_c_stops_every_child_however_often_it_was_restarted(portal):
    children = portal.descendants()
    names = " ".join(" ".join(process.cmdline()) for process in children)

    code = portal.interrupt()

    assert all(marker in names for _, marker in CHILDREN)
    assert code in (0, -signal.SIGINT)
    _, alive = psutil.wait_procs(children, timeout=60)
    assert [process.pid for process in alive] == []
    assert "Stopped." in portal.remaining_output()
    assert not (portal.data_dir / "run.lock").exists()
