"""Channel-layer messages leave through one sender loop, in order, without blocking callers."""

import asyncio
import logging
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from apps.executions import group_sender
from apps.executions.group_sender import group_send, group_send_flush


def subscribed_channel(group: str) -> str:
    layer = get_channel_layer()
    channel = f"test-{uuid.uuid4().hex}"  # a plain channel name: read from any event loop
    async_to_sync(layer.group_add)(group, channel)
    return channel


def receive(channel: str, count: int) -> list[dict]:
    layer = get_channel_layer()

    async def messages() -> list[dict]:
        return [await layer.receive(channel) for _ in range(count)]

    return async_to_sync(messages)()


def test_messages_arrive_in_the_order_they_were_queued():
    group = f"order-{uuid.uuid4().hex}"
    channel = subscribed_channel(group)

    for number in range(40):
        group_send(group, {"type": "test.message", "number": number})
    flushed = group_send_flush()

    assert flushed is True
    assert [message["number"] for message in receive(channel, 40)] == list(range(40))


class FlakyLayer:
    """A layer whose first send fails, as a Redis outage would make it."""

    def __init__(self) -> None:
        self.sent: list[dict] = []

    async def group_send(self, group: str, message: dict) -> None:
        if not self.sent and message["number"] == 0:
            self.sent.append({"failed": 0})
            raise ConnectionError("Redis is gone")
        self.sent.append(message)


def test_a_failed_send_is_logged_and_later_messages_still_leave(monkeypatch, caplog):
    layer = FlakyLayer()
    monkeypatch.setattr(group_sender, "get_channel_layer", lambda: layer)

    with caplog.at_level(logging.WARNING, logger="apps.executions.group_sender"):
        for number in range(3):
            group_send("flaky", {"type": "test.message", "number": number})
        assert group_send_flush() is True

    assert [m.get("number") for m in layer.sent] == [None, 1, 2]
    assert "Could not send test.message to flaky" in caplog.text


def test_flush_reports_messages_still_queued_after_its_timeout(monkeypatch):
    class StuckLayer:
        async def group_send(self, group: str, message: dict) -> None:
            await asyncio.sleep(0.5)

    monkeypatch.setattr(group_sender, "get_channel_layer", StuckLayer)

    group_send("stuck", {"type": "test.message"})

    assert group_send_flush(timeout=0.05) is False
    assert group_send_flush(timeout=5) is True
