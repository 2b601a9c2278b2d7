"""The history benchmark's fill writes rows the way the models define them, so `make bench`
keeps working when a model changes (its SQL names every column)."""

import pytest

from apps.executions.models import Execution, ExecutionEvent, StepRun
from bench.history import EVENTS_PER_RUN, STEPS_PER_RUN, fill
from tests.executions.factories import playbook

STEPS = """
    - id: hello
      name: Say hello
      type: utility.log
      parameters: {message: hello}
"""


@pytest.mark.django_db
def test_the_history_fill_writes_finished_runs_with_their_steps_and_events(team, operator):
    book = playbook(team, STEPS)

    fill(team, book, operator, 3, analyze=False)  # inside the test's transaction

    runs = Execution.objects.filter(team=team)
    assert runs.count() == 3
    assert set(runs.values_list("status", flat=True)) <= {"completed", "failed", "cancelled"}
    assert StepRun.objects.filter(execution__in=runs).count() == 3 * STEPS_PER_RUN
    assert ExecutionEvent.objects.filter(execution__in=runs).count() == 3 * EVENTS_PER_RUN
