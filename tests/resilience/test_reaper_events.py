"""Every state change the reaper makes reaches open run pages as a stored event, in order.

A page that shows a run's steps must see the running step fail before (or with) the run's end,
and the stored events must stay contiguous so a page that reconnects can fill its gaps.
"""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from apps.executions.models import Execution, ExecutionEvent
from apps.executions.services.launch import execution_start
from apps.executions.services.lifecycle import (
    execution_claim,
    execution_reap_stale,
    execution_reap_worker,
    step_update,
)
from tests.executions.factories import HELLO_STEP, playbook
from toolkit_project.asgi import application

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STEPS = (
    HELLO_STEP
    + """
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {seconds: 60}
"""
)
REAPED = [("step.status", "1", "failed"), ("execution.finished", None, "error")]
STALE_AT = timezone.now() - timedelta(minutes=5)


@database_sync_to_async
def run_stuck_in_its_second_step(team, actor, *, hostname: str) -> Execution:
    """A run a worker claimed, whose first step completed and second is running."""
    execution = execution_start(playbook(team, STEPS), actor=actor)
    execution_claim(execution.pk, hostname=hostname)
    hello, nap = execution.steps.order_by("path")
    now = timezone.now()
    step_update(hello, status="completed", attempts=1, started_at=now, finished_at=now)
    step_update(nap, status="running", attempts=1, started_at=now)
    Execution.objects.filter(pk=execution.pk).update(heartbeat_at=STALE_AT)
    return execution


@database_sync_to_async
def stored_seqs(execution_id) -> list[int]:
    events = ExecutionEvent.objects.filter(execution_id=execution_id).order_by("seq")
    return list(events.values_list("seq", flat=True))


async def watching(user, execution_id) -> tuple[WebsocketCommunicator, dict]:
    comm = WebsocketCommunicator(
        application, f"/ws/executions/{execution_id}/", headers=[(b"origin", b"http://testserver")]
    )
    comm.scope["user"] = user
    ok, _ = await comm.connect()
    assert ok is True
    return comm, await comm.receive_json_from(timeout=5)


async def received_until_the_end(comm) -> list[dict]:
    events = [await comm.receive_json_from(timeout=5)]
    while events[-1]["type"] != "execution.finished":
        events.append(await comm.receive_json_from(timeout=5))
    return events


def summary(events: list[dict]) -> list[tuple]:
    return [(e["type"], e["payload"].get("path"), e["payload"]["status"]) for e in events]


async def test_a_run_reaped_as_worker_lost_reports_its_running_step_failed_first(team, operator):
    execution = await run_stuck_in_its_second_step(team, operator, hostname="gone@host")
    comm, snapshot = await watching(operator, execution.pk)

    assert await database_sync_to_async(execution_reap_stale)() == 1
    events = await received_until_the_end(comm)

    reason = f"Worker lost: no heartbeat since {STALE_AT.isoformat(timespec='seconds')}."
    assert [s["status"] for s in snapshot["steps"]] == ["completed", "running"]
    assert summary(events) == REAPED
    assert events[0]["payload"]["error"] == reason
    assert events[0]["payload"]["finished_at"] is not None
    assert events[1]["payload"]["reason"] == reason
    assert [e["seq"] for e in events] == [snapshot["last_seq"] + 1, snapshot["last_seq"] + 2]
    assert await stored_seqs(execution.pk) == list(range(1, events[-1]["seq"] + 1))
    assert await comm.receive_nothing(timeout=0.2) is True
    await comm.disconnect()


async def test_a_run_failed_by_its_restarted_worker_reports_its_running_step_failed_first(
    team, operator
):
    execution = await run_stuck_in_its_second_step(team, operator, hostname="again@host")
    comm, snapshot = await watching(operator, execution.pk)

    assert await database_sync_to_async(execution_reap_worker)("again@host") == 1
    events = await received_until_the_end(comm)

    reason = "Worker again@host restarted while the run was in progress."
    assert summary(events) == REAPED
    assert events[0]["payload"]["error"] == reason
    assert [e["seq"] for e in events] == [snapshot["last_seq"] + 1, snapshot["last_seq"] + 2]
    assert await stored_seqs(execution.pk) == list(range(1, events[-1]["seq"] + 1))
    await comm.disconnect()
