"""End-to-end fixtures: a live Daphne on the test database, a logged-in page, screenshots."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.accounts.factories import PASSWORD
from tests.fixtures.processes import Daphne, test_process_environment

REPOSITORY = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = REPOSITORY / "var" / "e2e-screenshots"


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
