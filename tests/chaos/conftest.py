"""Fixtures of the chaos tests: private Redis and PostgreSQL servers and the portal's processes
(workers, beat, web, gateway simulator) on them, all stopped when the test ends."""

import itertools
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.e2e.conftest import _static_files, in_thread  # noqa: F401 - fixtures
from tests.fixtures.processes import Beat, Child, Daphne, Simulator, Worker
from tests.fixtures.processes import test_process_environment as process_environment
from tests.fixtures.servers import PostgresServer, using_redis

_databases = itertools.count(1)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """A test holding a Playwright page runs its database calls in Playwright's thread, which
    Django takes for async code (see tests/fixtures/browser.py): allow them for that test."""
    if "page" in getattr(item, "fixturenames", ()):
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def redis_server(private_redis):
    """A Redis of the test's own, used by this process (broker, channel layer, cache, control
    channel) and by every process the test starts."""
    with using_redis(private_redis.url):
        yield private_redis


@pytest.fixture(scope="session")
def postgres_cluster():
    """A PostgreSQL cluster for the session, started on demand by ``postgres_server``."""
    server = PostgresServer()
    yield server
    server.remove()


@pytest.fixture
def postgres_server(postgres_cluster, django_db_blocker):
    """Move this test's database to a private PostgreSQL server: a copy of the test database
    there, used by this process and by every process the test starts. Request it before the
    fixtures that create rows."""
    postgres_cluster.start()
    database = connection.settings_dict
    original = {key: database[key] for key in ("HOST", "PORT", "USER", "PASSWORD", "NAME")}
    name = f"chaos_{next(_databases)}"
    with django_db_blocker.unblock():
        connection.close()
        postgres_cluster.copy_database(original, name)
    database.update(HOST="127.0.0.1", PORT=str(postgres_cluster.port), USER="postgres", NAME=name)
    database["PASSWORD"] = ""
    yield postgres_cluster
    with django_db_blocker.unblock():
        connection.close()
    database.update(original)
    postgres_cluster.stop()


class Stack:
    """The portal's processes, started on demand on the test's database and Redis."""

    def __init__(self, env: dict[str, str], logs) -> None:
        self.env = env
        self.logs = logs
        self.children: list[Child] = []

    def log(self, name: str):
        return self.logs / f"{name}.log"

    def worker(self, name: str = "chaos", **options) -> Worker:
        """A worker started as ``make run`` starts it (gossip, mingle, two pool processes)."""
        options.setdefault("concurrency", 2)
        options.setdefault("options", ())
        worker = Worker(
            self.env, name=name, loglevel="INFO", log_file=self.log("worker"), **options
        )
        return self._started(worker)

    def beat(self) -> Beat:
        return self._started(Beat(self.env, log_file=self.log("beat")))

    def web(self, port: int | None = None) -> Daphne:
        return self._started(Daphne(self.env, port=port, log_file=self.log("web")))

    def simulator(self) -> Simulator:
        return self._started(Simulator(self.env, log_file=self.log("simulator")))

    def worker_and_web(self) -> tuple[Worker, Daphne]:
        """Both at once (each start waits until it answers)."""
        with ThreadPoolExecutor(max_workers=2) as pool:
            worker, web = pool.submit(self.worker), pool.submit(self.web)
            return worker.result(), web.result()

    def _started(self, child):
        self.children.append(child)
        return child

    def stop(self) -> None:
        """All at once: each is told to stop, then each is waited for."""
        for child in self.children:
            child.terminate()
        for child in self.children:
            child.wait_or_kill()


@pytest.fixture
def stack(redis_server, tmp_path, django_db_blocker):
    """``stack.worker()``, ``stack.web()``, ``stack.beat()``, ``stack.simulator()``: started on
    the test's Redis and database (request ``postgres_server`` first to use that one)."""
    with django_db_blocker.unblock():
        env = {**process_environment(), "REDIS_URL": redis_server.url}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    logs = tmp_path / "logs"
    logs.mkdir()
    processes = Stack(env, logs)
    yield processes
    processes.stop()
