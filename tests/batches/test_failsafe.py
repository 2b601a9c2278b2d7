"""What keeps a batch's limit and progress without its hooks: held runs are sent by the batch
only, and beat's dispatcher advances a batch whose run ended without starting the next one
(its process died after the run ended)."""

import pytest
from django.utils import timezone

from apps.executions.models import Execution, ExecutionStatus
from apps.executions.services.batches import batch_start
from apps.executions.services.dispatch import execution_dispatch_waiting, execution_send_waiting
from apps.executions.tasks import dispatch_queued_executions
from tests.batches.helpers import batch_playbook, tagged_gateways

pytestmark = pytest.mark.django_db
URLS = {"gw-a": "http://127.0.0.1:9001", "gw-b": "http://127.0.0.1:9002"}


@pytest.fixture
def batch(team, operator, django_capture_on_commit_callbacks):
    gateways = tagged_gateways(team, URLS)
    with django_capture_on_commit_callbacks(execute=True):
        return batch_start(batch_playbook(team), actor=operator, gateways=gateways, concurrency=1)


def sent(batch) -> dict[str, bool]:
    runs = Execution.objects.filter(batch=batch).select_related("gateway")
    return {run.gateway.name: run.dispatched_at is not None for run in runs}


def test_the_run_dispatcher_and_the_gateway_queue_leave_held_runs_alone(batch):
    held = Execution.objects.get(batch=batch, gateway__name="gw-b")

    assert execution_dispatch_waiting() == 0
    assert execution_send_waiting(held.gateway_id) is False
    assert sent(batch) == {"gw-a": True, "gw-b": False}


def test_beat_starts_the_next_run_when_the_hook_of_an_ended_run_was_lost(batch):
    first = Execution.objects.filter(batch=batch, gateway__name="gw-a")
    first.update(status=ExecutionStatus.COMPLETED, finished_at=timezone.now())

    dispatch_queued_executions()

    assert sent(batch) == {"gw-a": True, "gw-b": True}
