"""The launcher restarts children that exit: backoff, what the console says, what is cleaned up.

Real child processes with delays scaled down; the whole `make run` is in test_supervision.py.
"""

import re
import sys
import threading
import time

import psutil
import pytest

from toolkit_project.launcher.children import Child, stop_all
from toolkit_project.launcher.config import LaunchConfig
from toolkit_project.launcher.restarts import Backoff, Restarter, duration, how_it_ended
from toolkit_project.launcher.supervisor import LaunchError, Supervisor

QUICK = Backoff(first_seconds=0.05, cap_seconds=0.2, stable_seconds=60, start_up_seconds=10)


def script_child(tmp_path, name: str, script: str) -> Child:
    return Child(name, [sys.executable, "-c", script], {}, str(tmp_path))


def restart_lines(lines: list[str], name: str, count: int, timeout: float = 30) -> list[str]:
    """Wait for ``count`` restart lines about ``name``; the launcher's lines are not prefixed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [line for line in lines if line.startswith(f"{name} (pid ")]
        if len(found) >= count:
            return found[:count]
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} restarts of {name}: {lines}")


def keep_checking(restarter: Restarter, children: list[Child], stop: threading.Event) -> None:
    while not stop.wait(0.02):
        restarter.check(children)


@pytest.fixture
def supervised():
    """``supervised(restarter, children)``: check them in the background until the test ends."""
    stop, started, threads = threading.Event(), [], []

    def start(restarter: Restarter, children: list[Child]) -> None:
        for child in children:
            child.start(restarter.output)
        started.extend(children)
        threads.append(threading.Thread(target=keep_checking, args=(restarter, children, stop)))
        threads[-1].start()

    yield start
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    stop_all(started, grace_seconds=1)


def test_the_delay_doubles_up_to_its_cap():
    backoff = Backoff()

    assert [backoff.delay(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 30, 30, 30]


def test_a_child_failing_at_start_up_is_retried_with_backoff_and_pointed_at(tmp_path, supervised):
    lines: list[str] = []
    flaky = script_child(tmp_path, "flaky", "import sys; print('no config'); sys.exit(3)")

    supervised(Restarter(lines.append, QUICK), [flaky])
    found = restart_lines(lines, "flaky", 4)

    pattern = r"flaky \(pid \d+\) exited with code 3 after \d+\.\d s; restarting it in (.+)$"
    tails = [re.fullmatch(pattern, line).group(1) for line in found]
    hint = ' It keeps failing at start-up: its lines above, marked "flaky    |", say why.'
    assert tails == [
        "0.05 s (restart 1).",
        "0.1 s (restart 2)." + hint,
        "0.2 s (restart 3)." + hint,
        "0.2 s (restart 4)." + hint,
    ]
    assert "flaky    | no config" in lines


def test_a_child_that_stayed_up_a_while_restarts_after_the_first_delay(tmp_path, supervised):
    lines: list[str] = []
    backoff = Backoff(first_seconds=0.05, cap_seconds=1, stable_seconds=0.2, start_up_seconds=0.1)
    steady = script_child(tmp_path, "steady", "import time; time.sleep(0.3)")

    supervised(Restarter(lines.append, backoff), [steady])
    found = restart_lines(lines, "steady", 3)

    assert [line.rsplit(";", 1)[1] for line in found] == [
        " restarting it in 0.05 s (restart 1).",
        " restarting it in 0.05 s (restart 2).",
        " restarting it in 0.05 s (restart 3).",
    ]


def test_a_killed_child_is_named_with_its_signal_and_its_whole_group_is_gone(tmp_path, supervised):
    lines: list[str] = []
    # A main process with a process of its own in its group, as a Celery worker has its pool.
    script = (
        "import subprocess, sys, time; "
        "pool = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        "print(pool.pid, flush=True); time.sleep(60)"
    )
    worker = script_child(tmp_path, "worker", script)
    supervised(Restarter(lines.append, Backoff(first_seconds=30)), [worker])
    while not lines:
        time.sleep(0.02)
    pool, killed = psutil.Process(int(lines[0].split("|")[1])), worker.pid

    worker.process.kill()
    found = restart_lines(lines, "worker", 1)

    assert re.fullmatch(
        rf"worker \(pid {killed}\) was killed by SIGKILL after \d+\.\d s; "
        r"restarting it in 30 s \(restart 1\)\.",
        found[0],
    )
    assert psutil.wait_procs([pool], timeout=10)[1] == []


def test_an_unknown_signal_and_long_lives_are_said_plainly():
    assert how_it_ended(0) == "exited with code 0"
    assert how_it_ended(-200) == "was killed by signal 200"
    assert [duration(s) for s in (0.42, 12.4, 125, 7384)] == [
        "0.4 s",
        "12 s",
        "2 min 5 s",
        "2 h 3 min",
    ]


def test_the_launcher_restarts_children_until_it_is_asked_to_stop(tmp_path):
    lines: list[str] = []
    config = LaunchConfig.from_environment({"IGNITION_TOOLKIT_DATA": str(tmp_path)})
    supervisor = Supervisor(config, output=lines.append, backoff=QUICK)
    supervisor._start(script_child(tmp_path, "flaky", "import sys; sys.exit(1)"))
    watching = threading.Thread(target=lambda: lines.append(f"watch: {supervisor._watch()}"))
    watching.start()

    restart_lines(lines, "flaky", 2)
    supervisor.request_stop()
    watching.join(timeout=10)
    supervisor._shutdown()

    assert "watch: 0" in lines
    assert lines[-1] == "Stopped."


def test_a_start_that_times_out_names_the_children_waiting_to_start_again(tmp_path):
    config = LaunchConfig.from_environment({"IGNITION_TOOLKIT_DATA": str(tmp_path)})
    supervisor = Supervisor(config, output=[].append, backoff=Backoff(first_seconds=30))
    supervisor._start(script_child(tmp_path, "web", "import sys; sys.exit(1)"))

    with pytest.raises(LaunchError) as raised:
        supervisor._wait_for(lambda: False, "the portal", timeout=1)

    supervisor._shutdown()
    assert str(raised.value) == (
        "the portal did not become ready within 1 s. "
        "Exited and waiting to start again: web; see their lines above."
    )
