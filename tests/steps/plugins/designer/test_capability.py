"""The desktop capability of designer steps: which worker declares it, the launch-time check
and the routing of their runs (derived from their declarations' ``requires``).

The check runs against a real Celery worker consuming the ``designer`` queue (the shared
``celery_workers`` fixture only starts ``executions,default`` workers, so a small subclass here
starts one with ``-Q designer``).
"""

import os
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from apps.core.errors import ApplicationError
from apps.executions.capabilities import capability_problem, queue_workers, run_queue
from apps.executions.models import Execution
from apps.executions.services.launch import execution_start
from apps.steps.plugins.designer.capability import worker_capabilities
from tests.executions.factories import playbook as make_playbook
from tests.fixtures import processes
from tests.fixtures.processes import REPOSITORY, Worker

DESIGNER_STEPS = [{"type": "browser.navigate"}, {"type": "designer.launch"}]


class DesignerWorker(Worker):
    """A ``celery worker -Q designer`` declaring the desktop capability."""

    def __init__(self, env: dict[str, str], *, name: str) -> None:
        self.name = name
        command = [
            *(sys.executable, "-m", "celery", "-A", "toolkit_project", "worker"),
            *("-Q", "designer", "-c", "1", "-n", f"{name}@%h", "--loglevel", "WARNING"),
            *("--without-mingle", "--without-gossip"),
        ]
        env = {**env, "WORKER_CAPABILITIES": "desktop"}
        self.process = subprocess.Popen(command, env=env, cwd=REPOSITORY, start_new_session=True)
        deadline = time.monotonic() + 60
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("The designer worker for the tests did not start.")


@pytest.fixture
def designer_worker(django_db_blocker):
    with django_db_blocker.unblock():
        env = processes.test_process_environment()
    worker = DesignerWorker(env, name=f"pytest-designer-{os.getpid()}")
    yield worker
    worker.stop()


class NoBroker:
    """A Celery app whose broker cannot be reached."""

    class control:  # noqa: N801 - mirrors ``app.control``
        @staticmethod
        def inspect(timeout):
            raise ConnectionError("broker down")


class Untouchable:
    """A Celery app that must not be asked (no designer steps, no inspect)."""

    @property
    def control(self):
        raise AssertionError("inspected the workers for a playbook without designer steps")


def test_no_designer_steps_means_no_check_and_the_default_queue():
    steps = [{"type": "browser.navigate"}, SimpleNamespace(type="gateway.login")]

    assert capability_problem(steps, app=Untouchable()) is None
    assert run_queue(steps) == "executions"


def test_planned_rows_and_step_dicts_are_both_understood():
    rows = [SimpleNamespace(type="utility.log"), SimpleNamespace(type="designer.wait")]

    assert run_queue(rows) == "designer"
    assert run_queue(DESIGNER_STEPS) == "designer"


@pytest.mark.django_db
def test_without_a_desktop_worker_the_launch_is_refused_naming_the_capability():
    started = time.monotonic()

    problem = capability_problem([*DESIGNER_STEPS, {"type": "designer.close"}])

    assert problem == (
        "No worker can run designer.close, designer.launch: no running worker declares the "
        "'desktop' capability. Start a Celery worker with WORKER_CAPABILITIES=desktop that "
        "consumes the 'designer' queue (docs/plugins.md#capabilities)."
    )
    assert time.monotonic() - started < 10


def test_an_unreachable_broker_counts_as_no_worker():
    assert queue_workers("designer", NoBroker()) == []
    assert "no running worker declares the 'desktop' capability" in capability_problem(
        DESIGNER_STEPS, app=NoBroker()
    )


@pytest.mark.django_db
def test_a_worker_consuming_the_designer_queue_allows_the_launch(designer_worker, celery_workers):
    celery_workers()  # an ordinary worker too: it must not count

    assert queue_workers("designer") == [f"{designer_worker.name}@{os.uname().nodename}"]
    assert capability_problem(DESIGNER_STEPS) is None


@pytest.mark.parametrize(
    ("setting", "environment", "expected"),
    [
        (["Desktop", " gpu "], "", {"desktop", "gpu"}),
        ("desktop,browser", "", {"desktop", "browser"}),
        (None, "desktop", {"desktop"}),
        (None, "", set()),
    ],
)
def test_worker_capabilities_come_from_the_setting_then_the_environment(
    settings, monkeypatch, setting, environment, expected
):
    settings.WORKER_CAPABILITIES = setting
    if setting is None:
        del settings.WORKER_CAPABILITIES
    monkeypatch.setenv("WORKER_CAPABILITIES", environment)

    assert worker_capabilities() == expected


DESIGNER_PLAYBOOK = """
    - id: wait
      name: Wait for the Designer
      type: designer.wait
      parameters: {timeout: 1}
"""


@pytest.mark.django_db
def test_a_launch_with_designer_steps_and_no_desktop_worker_is_refused(team, operator):
    book = make_playbook(team, DESIGNER_PLAYBOOK)

    with pytest.raises(ApplicationError) as refusal:
        execution_start(book, actor=operator)

    assert str(refusal.value).startswith(
        "No worker can run designer.wait: no running worker declares the 'desktop' capability."
    )
    assert Execution.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_runs_with_designer_steps_go_to_the_desktop_worker_only(
    team, operator, designer_worker, celery_workers
):
    celery_workers()  # an ordinary worker too: it must not take the run

    execution = execution_start(make_playbook(team, DESIGNER_PLAYBOOK), actor=operator)
    deadline = time.monotonic() + 60
    while not (finished := Execution.objects.get(pk=execution.pk)).is_finished:
        assert time.monotonic() < deadline, f"still {finished.status}"
        time.sleep(0.05)

    assert finished.worker_hostname.startswith(f"{designer_worker.name}@")
    step = finished.steps.get()
    assert step.status == "failed"  # this desktop worker has no X session to drive
    assert "has no DISPLAY" in step.error
