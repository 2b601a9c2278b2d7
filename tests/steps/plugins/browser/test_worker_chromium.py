"""A real Celery worker keeps one Chromium for its runs, and it ends with the worker."""

import time

import psutil
import pytest

from apps.executions.models import Execution
from apps.executions.services.launch import execution_start
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OPEN = """
    - id: open
      name: Open the form
      type: browser.navigate
      parameters: {{url: "{url}"}}
"""


def run_to_end(book, actor) -> Execution:
    execution = execution_start(book, actor=actor)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        execution.refresh_from_db()
        if execution.is_finished:
            return execution
        time.sleep(0.05)
    raise AssertionError(f"the run did not finish: {execution.status}")


def browsers_under(pid: int) -> list[psutil.Process]:
    """The main Chromium processes among the descendants of ``pid``."""
    found = []
    for process in psutil.Process(pid).children(recursive=True):
        try:
            arguments = process.cmdline()
        except psutil.Error:
            continue
        marked = any(a.startswith("--toolkit-browser=") for a in arguments)
        if marked and not any(a.startswith("--type=") for a in arguments):
            found.append(process)
    return found


def test_a_worker_runs_one_chromium_for_its_runs_and_it_stops_with_the_worker(
    team, operator, celery_workers, site
):
    worker = celery_workers()
    book = playbook(team, OPEN.format(url=site.url("/form.html")))

    first = run_to_end(book, operator)
    browsers = browsers_under(worker.process.pid)
    second = run_to_end(book, operator)

    assert (first.status, second.status) == ("completed", "completed")
    assert len(browsers) == 1
    assert [b.pid for b in browsers_under(worker.process.pid)] == [browsers[0].pid]
    worker.stop()
    assert psutil.wait_procs(browsers, timeout=15)[1] == []


def test_a_killed_pool_process_takes_its_chromium_with_it(team, operator, celery_workers, site):
    worker = celery_workers()
    run_to_end(playbook(team, OPEN.format(url=site.url("/form.html"))), operator)
    browsers = browsers_under(worker.process.pid)
    (pool,) = psutil.Process(worker.process.pid).children()

    pool.kill()

    assert len(browsers) == 1
    assert psutil.wait_procs(browsers, timeout=15)[1] == []
