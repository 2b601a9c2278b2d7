"""Start the embedded product, report where to log in, restart a child that exits, stop
everything on request (Ctrl-C or SIGTERM) and only then."""

import json
import os
import subprocess
import threading
import time

from toolkit_project.launcher.children import Child, stop_all, stop_main_first
from toolkit_project.launcher.config import (
    REPOSITORY,
    LaunchConfig,
    free_port,
    port_is_free,
    python,
)
from toolkit_project.launcher.lock import AlreadyRunningError, InstanceLock
from toolkit_project.launcher.programs import (
    http_ok,
    portal_children,
    redis_answers,
    redis_child,
)
from toolkit_project.launcher.redis_server import RedisNotFoundError, redis_server_binary
from toolkit_project.launcher.restarts import Backoff, Restarter

STOP_GRACE_SECONDS = 10.0
# Beyond WORKER_STOP_SECONDS: time for the engine to end its runs and for Celery to exit.
WORKER_STOP_MARGIN_SECONDS = 15.0
READY_TIMEOUT_SECONDS = 120.0


class LaunchError(Exception):
    """A reason the product cannot start, worded for the person who typed ``make run``."""


class Supervisor:
    def __init__(self, config: LaunchConfig, output=print, backoff: Backoff | None = None) -> None:
        self.config = config
        self.output = output
        self.children: list[Child] = []
        self.lock = InstanceLock(config.data_dir / "run.lock")
        self.restarter = Restarter(output, backoff)
        self._stop = threading.Event()

    @classmethod
    def from_environment(cls) -> "Supervisor":
        return cls(LaunchConfig.from_environment())

    def request_stop(self) -> None:
        self._stop.set()

    def run(self) -> int:
        try:
            self.lock.acquire({"pid": os.getpid(), "url": self.config.url})
        except AlreadyRunningError as exc:
            pid, url = exc.details.get("pid", "?"), exc.details.get("url", self.config.url)
            self.output(
                f"The portal is already running from {self.config.data_dir} (pid {pid}, {url}).\n"
                f"Use that one, or stop it first with Ctrl-C in its terminal or `kill {pid}`."
            )
            return 1
        try:
            return self._run_locked()
        except LaunchError as exc:
            self.output(f"Cannot start: {exc}")
            return 1
        finally:
            self._shutdown()
            self.lock.release()

    def _run_locked(self) -> int:
        self._check_ports()
        env = self._environment()
        self._prepare(env)
        credentials = self._bootstrap(env)
        for child in portal_children(self.config, env):
            self._start(child)
        self._wait_until_ready()
        self._banner(credentials)
        return self._watch()

    def _check_ports(self) -> None:
        ports = [("web", self.config.port)]
        if self.config.simulator_enabled:
            ports.append(("gateway simulator", self.config.simulator_port))
        for name, port in ports:
            if not port_is_free(self.config.host, port):
                raise LaunchError(
                    f"port {port} on {self.config.host} (for the {name}) is used by another "
                    "program. Stop it, or choose other ports with IGNITION_TOOLKIT_PORT and "
                    "IGNITION_TOOLKIT_SIMULATOR_PORT."
                )

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="toolkit_project.settings.local",
            IGNITION_TOOLKIT_DATA=str(self.config.data_dir),
            PYTHONUNBUFFERED="1",
        )
        env.setdefault("DJANGO_ALLOWED_HOSTS", f"{self.config.host},127.0.0.1,localhost")
        if not self.config.redis_url:
            env["REDIS_URL"] = self._start_redis(env)
            self.lock.record(redis_url=env["REDIS_URL"])  # for manage.py run_playbook & co.
        return env

    def _start_redis(self, env: dict[str, str]) -> str:
        try:
            binary = redis_server_binary()
        except RedisNotFoundError as exc:
            raise LaunchError(str(exc)) from None
        port = free_port()
        data_dir = self.config.data_dir / "redis"
        self._start(redis_child(binary, port=port, data_dir=data_dir, env=env))
        self._wait_for(lambda: redis_answers(port), "Redis", timeout=15)
        return f"redis://127.0.0.1:{port}/0"

    def _prepare(self, env: dict[str, str]) -> None:
        self.output("Preparing the database (migrations)…")
        self._manage(env, "migrate", "--noinput", "-v", "0")

    def _bootstrap(self, env: dict[str, str]) -> dict:
        return json.loads(
            self._manage(
                env,
                "bootstrap_embedded",
                "--json",
                "--simulator-url",
                f"http://127.0.0.1:{self.config.simulator_port}",
            )
        )

    def _manage(self, env: dict[str, str], *arguments: str) -> str:
        result = subprocess.run(  # noqa: S603 - fixed argument list
            [python(), str(REPOSITORY / "manage.py"), *arguments],
            env=env,
            cwd=str(REPOSITORY),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise LaunchError(f"`manage.py {' '.join(arguments)}` failed:\n{result.stderr.strip()}")
        return result.stdout

    def _start(self, child: Child) -> None:
        child.start(self.output)
        self.children.append(child)

    def _wait_until_ready(self) -> None:
        self.output("Starting web, worker and beat; waiting until the portal is ready…")
        url = f"http://127.0.0.1:{self.config.port}/health/ready"
        self._wait_for(
            lambda: http_ok(url), "the portal (/health/ready)", timeout=READY_TIMEOUT_SECONDS
        )

    def _wait_for(self, probe, what: str, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not probe():
            self.restarter.check(self.children)
            if self._stop.is_set():
                raise LaunchError("stopped while starting.")
            if time.monotonic() > deadline:
                late = f"{what} did not become ready within {timeout:.0f} s."
                raise LaunchError(late + self._hint())
            time.sleep(0.25)

    def _hint(self) -> str:
        waiting = self.restarter.waiting()
        if not waiting:
            return ""
        return f" Exited and waiting to start again: {', '.join(waiting)}; see their lines above."

    def _banner(self, credentials: dict) -> None:
        lines = ["", "Ignition Automation Portal is running.", f"  Open      {self.config.url}"]
        if credentials.get("password"):
            lines += [
                f"  User      {credentials['username']}",
                f"  Password  {credentials['password']}",
                "            (shown this once; change it under Admin → Users)",
            ]
        else:
            lines.append("  Log in with your account (reset a password with `make superuser`).")
        if any(child.name == "simulator" for child in self.children):
            lines.append(f"  Gateway simulator  http://127.0.0.1:{self.config.simulator_port}/")
        lines += [f"  Data      {self.config.data_dir}", "Press Ctrl-C to stop.", ""]
        self.output("\n".join(lines))

    def _watch(self) -> int:
        """Restart children that exit until Ctrl-C or SIGTERM asks the launcher to stop."""
        while not self._stop.wait(0.5):
            self.restarter.check(self.children)
        return 0

    def _shutdown(self) -> None:
        if not self.children:
            return
        self.output("Stopping…")
        # The worker first, while web, gateway and Redis still serve its last steps and events.
        for worker in (child for child in self.children if child.name == "worker"):
            self.output(
                f"Stopping the worker: running steps get up to {self.config.worker_stop_seconds} s "
                "(WORKER_STOP_SECONDS) to end…"
            )
            grace = self.config.worker_stop_seconds + WORKER_STOP_MARGIN_SECONDS
            stop_main_first(worker, grace_seconds=grace)
        redis = [child for child in self.children if child.name == "redis"]
        others = [child for child in self.children if child.name not in ("redis", "worker")]
        stop_all(list(reversed(others)), grace_seconds=STOP_GRACE_SECONDS)
        stop_all(redis, grace_seconds=STOP_GRACE_SECONDS)
        self.children.clear()
        self.output("Stopped.")
