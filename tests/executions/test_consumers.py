"""Run websockets against the real ASGI application and the Redis channel layer."""

import asyncio
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from apps.executions import consumers, frames
from apps.executions.events import EventType, event_message, event_record, events_batching
from apps.executions.models import ExecutionEvent
from apps.executions.services.launch import execution_start
from apps.executions.services.lifecycle import step_update
from tests.executions.factories import HELLO_STEP
from tests.executions.factories import playbook as make_playbook
from toolkit_project.asgi import application

# serialized_rollback keeps the role groups the migrations created for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STEPS = (
    HELLO_STEP
    + """
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {seconds: 1}
"""
)


def communicator(user, path):
    comm = WebsocketCommunicator(application, path, headers=[(b"origin", b"http://testserver")])
    comm.scope["user"] = user
    return comm


@database_sync_to_async
def start_run(team, actor):
    return execution_start(make_playbook(team, STEPS), actor=actor)


@database_sync_to_async
def record(execution_id, event_type, payload) -> dict:
    return event_message(event_record(execution_id, event_type, payload))


async def connected(user, path):
    comm = communicator(user, path)
    ok, _ = await comm.connect()
    assert ok is True
    return comm


async def test_anonymous_users_are_refused(team, operator):
    execution = await start_run(team, operator)

    for path in (f"/ws/executions/{execution.pk}/", "/ws/executions/"):
        comm = communicator(AnonymousUser(), path)
        ok, _ = await comm.connect()
        assert ok is False
        await comm.disconnect()


async def test_users_of_other_teams_and_unknown_runs_are_refused(team, operator, outsider):
    execution = await start_run(team, operator)

    for user, execution_id in ((outsider, execution.pk), (operator, uuid.uuid4())):
        comm = communicator(user, f"/ws/executions/{execution_id}/")
        ok, _ = await comm.connect()
        assert ok is False
        await comm.disconnect()
    assert await asyncio.to_thread(frames.viewers_count, execution.pk) == 0


async def test_snapshot_after_joining_then_events_in_order(team, operator, viewer):
    execution = await start_run(team, operator)
    comm = await connected(viewer, f"/ws/executions/{execution.pk}/")

    snapshot = await comm.receive_json_from(timeout=5)
    sent = [
        await record(execution.pk, EventType.LOG, {"level": "info", "message": f"line {n}"})
        for n in range(3)
    ]
    sent.append(await record(execution.pk, EventType.STATUS, {"status": "running"}))
    received = [await comm.receive_json_from(timeout=5) for _ in range(4)]

    assert snapshot["type"] == "snapshot"
    assert (snapshot["status"], snapshot["last_seq"], snapshot["debug"]) == ("queued", 1, False)
    assert [(s["path"], s["step_id"], s["status"]) for s in snapshot["steps"]] == [
        ("0", "hello", "pending"),
        ("1", "nap", "pending"),
    ]
    assert received == sent
    assert [message["seq"] for message in received] == [2, 3, 4, 5]
    assert received[3]["type"] == "execution.status"
    assert await comm.receive_nothing(timeout=0.2) is True
    await comm.disconnect()


@database_sync_to_async
def record_queued(execution_id, count: int) -> None:
    """Log lines recorded as a running engine records them: queued, stored in a batch."""
    with events_batching(execution_id):
        for n in range(count):
            event_record(execution_id, EventType.LOG, {"level": "info", "message": f"line {n}"})


async def test_a_batch_of_events_reaches_the_page_as_one_event_a_frame_in_seq_order(team, operator):
    execution = await start_run(team, operator)
    comm = await connected(operator, f"/ws/executions/{execution.pk}/")
    await comm.receive_json_from(timeout=5)

    await record_queued(execution.pk, 5)
    received = [await comm.receive_json_from(timeout=5) for _ in range(5)]

    stored = await database_sync_to_async(list)(execution.events.filter(seq__gt=1).order_by("seq"))
    assert received == [event_message(event) for event in stored]
    assert [message["seq"] for message in received] == [2, 3, 4, 5, 6]
    assert [message["payload"]["message"] for message in received] == [
        f"line {n}" for n in range(5)
    ]
    assert await comm.receive_nothing(timeout=0.2) is True
    await comm.disconnect()


async def test_step_events_carry_the_full_step(team, operator):
    execution = await start_run(team, operator)
    comm = await connected(operator, f"/ws/executions/{execution.pk}/")
    await comm.receive_json_from(timeout=5)
    step = await database_sync_to_async(execution.steps.get)(step_id="hello")

    await database_sync_to_async(step_update)(step, status="completed", outputs={"a": 1})
    event = await comm.receive_json_from(timeout=5)

    assert event["type"] == "step.status"
    assert event["payload"]["path"] == "0"
    assert (event["payload"]["status"], event["payload"]["outputs"]) == ("completed", {"a": 1})
    stored = await database_sync_to_async(ExecutionEvent.objects.get)(seq=event["seq"])
    assert stored.payload == event["payload"]
    await comm.disconnect()


async def test_viewers_are_counted_refreshed_by_ping_and_get_frames(team, operator):
    execution = await start_run(team, operator)
    comm = await connected(operator, f"/ws/executions/{execution.pk}/")
    await comm.receive_json_from(timeout=5)

    watching = await asyncio.to_thread(frames.viewers_count, execution.pk)
    await comm.send_json_to({"type": "ping"})
    pong = await comm.receive_json_from(timeout=5)
    await comm.send_json_to({"type": "subscribe"})
    await asyncio.to_thread(frames.frame_publish, execution.pk, b"jpeg", width=1280, height=720)
    frame = await comm.receive_json_from(timeout=5)
    await comm.disconnect()

    assert watching == 1
    assert pong == {"type": "pong"}
    assert frame == {"type": "frame", "data": "anBlZw==", "width": 1280, "height": 720}
    assert await asyncio.to_thread(frames.viewers_count, execution.pk) == 0


async def test_a_late_joiner_gets_the_last_frame_after_the_snapshot(team, operator):
    execution = await start_run(team, operator)
    await asyncio.to_thread(frames.frame_publish, execution.pk, b"last", width=10, height=5)

    comm = await connected(operator, f"/ws/executions/{execution.pk}/")
    first = await comm.receive_json_from(timeout=5)
    second = await comm.receive_json_from(timeout=5)

    assert first["type"] == "snapshot"
    assert second == {"type": "frame", "data": "bGFzdA==", "width": 10, "height": 5}
    await comm.disconnect()


async def test_list_socket_forwards_status_changes_of_own_team_only(
    team, other_team, operator, outsider
):
    own = await start_run(team, operator)
    foreign = await start_run(other_team, outsider)
    comm = await connected(operator, "/ws/executions/")

    await record(foreign.pk, EventType.STATUS, {"status": "running"})
    await record(own.pk, EventType.LOG, {"level": "info", "message": "not a status"})
    sent = await record(own.pk, EventType.STATUS, {"status": "running"})
    again = await record(own.pk, EventType.FINISHED, {"status": "completed"})
    received = [await comm.receive_json_from(timeout=5) for _ in range(2)]

    assert received == [sent, again]
    assert await comm.receive_nothing(timeout=0.3) is True
    await comm.disconnect()


async def test_list_socket_forgets_old_access_answers_beyond_its_cache(team, operator, monkeypatch):
    monkeypatch.setattr(consumers, "VISIBLE_CACHE_SIZE", 1)
    first, second = await start_run(team, operator), await start_run(team, operator)
    comm = await connected(operator, "/ws/executions/")

    sent = [
        await record(execution.pk, EventType.STATUS, {"status": "running"})
        for execution in (first, second, first)
    ]
    received = [await comm.receive_json_from(timeout=5) for _ in range(3)]

    assert received == sent
    await comm.disconnect()


async def test_an_idle_run_socket_stays_open_across_several_blocking_reads(team, operator):
    """The channel layer blocks up to 5 s per read: a socket idle for longer must not drop."""
    execution = await start_run(team, operator)
    comm = await connected(operator, f"/ws/executions/{execution.pk}/")
    await comm.receive_json_from(timeout=5)  # the snapshot

    await asyncio.sleep(16)
    sent = await record(execution.pk, EventType.STATUS, {"status": "running"})

    assert await comm.receive_json_from(timeout=5) == sent
    await comm.disconnect()
