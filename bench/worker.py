"""A real Celery worker subprocess for the benchmarks, on the bench database and Redis."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection

from toolkit_project.celery import app as celery_app

REPOSITORY = Path(__file__).resolve().parent.parent


def worker_environment(**extra: str) -> dict[str, str]:
    """This process's environment pointed at the bench database (``test_…``), plus ``extra``."""
    settings = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="toolkit_project.settings.test",
        DATABASE_URL=(
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
        ),
        **extra,
    )
    return env


class BenchWorker:
    """``celery worker -c N`` on the executions queue; a context manager that waits for it."""

    def __init__(self, *, concurrency: int, **env: str) -> None:
        self.concurrency = concurrency
        self.name = f"bench-{os.getpid()}-c{concurrency}"
        self.env = worker_environment(**env)
        self.process: subprocess.Popen | None = None
        # Worker output goes to a file, shown only when the worker fails to start.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __exit__

    def __enter__(self) -> "BenchWorker":
        command = [
            sys.executable, "-m", "celery", "-A", "toolkit_project", "worker",
            "-Q", "executions,default", "-c", str(self.concurrency), "-n", f"{self.name}@%h",
            "--loglevel", "ERROR", "--without-mingle", "--without-gossip", "--purge",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            env=self.env,
            cwd=REPOSITORY,
            start_new_session=True,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self._signal(signal.SIGKILL)
                self.log.seek(0)
                output = self.log.read().decode(errors="replace")[-3000:]
                raise RuntimeError(f"The benchmark's Celery worker did not start:\n{output}")
        return self

    def __exit__(self, *exc_info) -> None:
        self._signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            self.process.wait()
        self.log.close()

    def _answers(self) -> bool:
        replies = celery_app.control.ping(timeout=0.5)
        return any(name.startswith(f"{self.name}@") for reply in replies for name in reply)

    def _signal(self, signum: int) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signum)
