"""End-to-end fixtures: a live Daphne on the test database, a logged-in page, screenshots."""

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.accounts.factories import PASSWORD
from tests.fixtures.processes import test_process_environment
from toolkit_project.launcher.config import free_port

REPOSITORY = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = REPOSITORY / "var" / "e2e-screenshots"


class Daphne:
    """``daphne toolkit_project.asgi:application`` on a free port, in its own process group."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(self.port),
            "toolkit_project.asgi:application",
        ]
        self.process = subprocess.Popen(command, env=env, cwd=REPOSITORY, start_new_session=True)
        deadline = time.monotonic() + 60
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("Daphne for the end-to-end tests did not start.")
            time.sleep(0.2)

    def answers(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health/live", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Sync Playwright leaves its event loop marked as running in this thread while a test
    uses the page, so Django would refuse the test's own synchronous queries (fixtures, the
    test body, the database flush after it). They are safe: say so for these tests only."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def _static_files(django_db_blocker):
    """The test settings serve collected files (no finders): collect them once per session."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "toolkit_project.settings.test"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=REPOSITORY,
        check=True,
    )


@pytest.fixture
def in_thread():
    """``in_thread(function, *args)``: call it in another thread and return its result.

    Services that send websocket events use ``async_to_sync``, which refuses to run in the
    thread where sync Playwright keeps its event loop.
    """

    def call(function, *args, **kwargs):
        def run():
            from django.db import connection

            try:
                return function(*args, **kwargs)
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=1) as executor:
            return executor.submit(run).result()

    return call


@pytest.fixture
def live_server_url(django_db_blocker, _static_files):
    """The portal served by a real Daphne sharing this test's database and Redis."""
    with django_db_blocker.unblock():
        env = test_process_environment()
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server = Daphne(env)
    yield server.url
    server.stop()


@pytest.fixture
def log_in(page, live_server_url):
    """``log_in(user)`` logs in through the login page and returns the page."""

    def log_in_as(user):
        page.goto(f"{live_server_url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=current-user]")
        return page

    return log_in_as


@pytest.fixture
def screenshot(page):
    """``screenshot(name)`` keeps the page under var/e2e-screenshots/ for reviewers."""

    def save(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
