"""Channel-layer messages leave through one sender loop per process, in the order sent."""

import asyncio
import contextlib
import logging
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from apps.core.outage import OutageLog
from apps.executions import events, group_sender
from apps.executions.events import event_record, events_batching
from apps.executions.group_sender import group_send
from apps.executions.models import ExecutionEvent
from apps.executions.services.launch import execution_start
from tests.executions.factories import HELLO_STEP, playbook


def receive(channel: str, count: int) -> list[dict]:
    layer = get_channel_layer()

    async def messages() -> list[dict]:
        return [await layer.receive(channel) for _ in range(count)]

    return async_to_sync(messages)()


def test_messages_arrive_in_the_order_they_were_sent():
    group, channel = f"order-{uuid.uuid4().hex}", f"test-{uuid.uuid4().hex}"
    async_to_sync(get_channel_layer().group_add)(group, channel)

    for number in range(40):
        group_send(group, {"type": "test.message", "number": number})

    assert [message["number"] for message in receive(channel, 40)] == list(range(40))


def test_a_burst_beyond_the_layers_default_capacity_reaches_a_websocket():
    """300 events at once to a process-local channel, as a run page's consumer has."""
    layer, group = get_channel_layer(), f"burst-{uuid.uuid4().hex}"

    async def burst() -> list[int]:
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        for number in range(300):
            await layer.group_send(group, {"type": "test.message", "number": number})
        received = []
        with contextlib.suppress(TimeoutError):
            while True:
                received.append((await asyncio.wait_for(layer.receive(channel), 2))["number"])
        return received

    assert async_to_sync(burst)() == list(range(300))


class BrokenLayer:
    async def group_send(self, group: str, message: dict) -> None:
        raise ConnectionError("Redis is gone")


@pytest.mark.django_db
def test_an_event_is_stored_even_when_it_cannot_be_sent(
    team, operator, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(group_sender, "get_channel_layer", BrokenLayer)
    monkeypatch.setattr(events, "_live", OutageLog(events.logger, "Live events"))  # none before
    execution = execution_start(playbook(team, HELLO_STEP), actor=operator)

    with (
        caplog.at_level(logging.WARNING, logger=events.__name__),
        django_capture_on_commit_callbacks(execute=True),
    ):
        event = event_record(execution.pk, "log", {"message": "kept"})

    assert ExecutionEvent.objects.get(pk=event.pk).payload == {"message": "kept"}
    assert "Live events unavailable: ConnectionError: Redis is gone." in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_batch_is_stored_even_when_it_cannot_be_sent(team, operator, monkeypatch, caplog):
    monkeypatch.setattr(group_sender, "get_channel_layer", BrokenLayer)
    monkeypatch.setattr(events, "_live", OutageLog(events.logger, "Live events"))  # none before
    execution = execution_start(playbook(team, HELLO_STEP), actor=operator)

    with caplog.at_level(logging.WARNING, logger=events.__name__):
        with events_batching(execution.pk):
            for number in range(3):
                event_record(execution.pk, "log", {"message": f"kept {number}"})
        event_record(execution.pk, "log", {"message": "and after"})

    stored = ExecutionEvent.objects.filter(execution=execution).order_by("seq")
    assert [(e.seq, e.payload["message"]) for e in stored[1:]] == [
        (2, "kept 0"),
        (3, "kept 1"),
        (4, "kept 2"),
        (5, "and after"),
    ]
    assert caplog.text.count("Live events unavailable: ConnectionError: Redis is gone.") == 1
