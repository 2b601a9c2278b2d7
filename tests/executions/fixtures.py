"""Running executions in this process (the engine in a thread) for precise control tests."""

import threading
import time

import pytest

from apps.executions.engine.run import execution_run
from apps.executions.models import Execution
from apps.executions.services.launch import execution_start
from apps.executions.services.lifecycle import execution_claim


class InProcessRun:
    """An execution claimed by this test and run by the engine in a background thread."""

    def __init__(self, execution: Execution) -> None:
        self.execution = execution
        claimed = execution_claim(execution.pk, hostname="pytest@local", task_id="in-process")
        assert claimed is not None, "the execution could not be claimed"
        self.result: dict = {}
        self.thread = threading.Thread(target=self._run, args=(claimed,), daemon=True)
        self.thread.start()

    def _run(self, claimed: Execution) -> None:
        from django.db import connection

        try:
            self.result["status"] = execution_run(claimed)
        finally:
            connection.close()

    def wait(self, timeout: float = 30) -> Execution:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the run did not finish"
        return Execution.objects.get(pk=self.execution.pk)

    def wait_for(self, predicate, timeout: float = 20) -> Execution:
        """Poll the row until ``predicate(execution)`` holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            current = Execution.objects.get(pk=self.execution.pk)
            if predicate(current):
                return current
            time.sleep(0.02)
        raise AssertionError("condition not reached; last state: " + current.status)

    def step(self, step_id: str):
        return self.execution.steps.get(step_id=step_id)


@pytest.fixture
def run_in_process(operator):
    """Start a playbook and run it here: ``run_in_process(playbook, parameters=...)``."""
    runs = []

    def start(playbook, *, actor=None, **kwargs) -> InProcessRun:
        execution = execution_start(playbook, actor=actor or operator, **kwargs)
        run = InProcessRun(execution)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.thread.join(10)
