"""`make run` started as a terminal would, for the whole-process tests of the launcher."""

import contextlib
import os
import queue
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import psutil

from toolkit_project.launcher.config import free_port

REPOSITORY = Path(__file__).resolve().parent.parent.parent
# Variables the test settings put in this process's environment; `make run` must not see them.
TEST_ONLY = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY",
    "FIELD_ENCRYPTION_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "CHANNELS_PREFIX",
    "DJANGO_DEBUG",
}


class Run:
    """`make run` in its own process group, as a terminal would start it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port, self.simulator_port = free_port(), free_port()
        env = {name: value for name, value in os.environ.items() if name not in TEST_ONLY}
        env.update(
            IGNITION_TOOLKIT_DATA=str(data_dir),
            IGNITION_TOOLKIT_PORT=str(self.port),
            IGNITION_TOOLKIT_SIMULATOR_PORT=str(self.simulator_port),
            IGNITION_TOOLKIT_WORKER_CONCURRENCY="1",
        )
        self.env = env
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "-C", str(REPOSITORY), "run"],
            env=env,
            cwd="/",
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for_line(self, pattern: str, timeout: float = 180) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            self.output.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"no line matched {pattern!r}; output:\n" + "\n".join(self.output))

    def descendants(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children(recursive=True)

    def interrupt(self) -> int:
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=90)

    def remaining_output(self) -> str:
        """Everything printed so far, once the launcher has exited."""
        self.process.wait(timeout=90)
        time.sleep(0.5)  # the reader thread reaches the end of the pipe
        while not self.lines.empty():
            self.output.append(self.lines.get_nowait())
        return "\n".join(self.output)

    def launcher(self) -> psutil.Process:
        """The launcher's own process (under make and its shell)."""
        for process in self.descendants():
            with contextlib.suppress(psutil.Error):
                if "toolkit_project.launcher" in process.cmdline():
                    return process
        raise AssertionError("the launcher process is gone")

    def child(self, marker: str) -> psutil.Process:
        """The main process of the launcher's child whose command line contains ``marker``."""
        for process in self.launcher().children():
            with contextlib.suppress(psutil.Error):
                if marker in " ".join(process.cmdline()):
                    return process
        raise AssertionError(f"no child of the launcher runs {marker!r}")

    def restarted_child(self, marker: str, *, killed: int, timeout: float = 60) -> psutil.Process:
        """The child running ``marker`` once it is a new process, not ``killed`` (a pid)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(AssertionError):
                child = self.child(marker)
                if child.pid != killed:
                    return child
            time.sleep(0.25)
        raise AssertionError(f"{marker} was not started again:\n" + "\n".join(self.output))

    def wait_until_serving(self, timeout: float = 120) -> None:
        """Until /health/ready answers 200 (database, Redis and a worker all answer)."""
        self.wait_for_url(f"http://127.0.0.1:{self.port}/health/ready", timeout=timeout)

    def wait_for_url(self, url: str, *, timeout: float = 120) -> httpx.Response:
        """Until ``url`` answers 200; that answer."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                response = httpx.get(url, timeout=5)
                if response.is_success:
                    return response
            time.sleep(0.5)
        raise AssertionError(f"{url} does not answer 200:\n" + "\n".join(self.output))
