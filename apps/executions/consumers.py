"""Websockets of runs: one run's live events and frames, and the list's status changes.

Protocol and event payloads: docs/events.md. Access is checked with the same selector as
the HTML pages and the API; handlers forward what ``events.py``/``frames.py`` send, unchanged
(a batch of events as one frame per event).
"""

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async

from apps.core.consumers import AuthenticatedJsonConsumer
from apps.core.errors import NotFoundError
from apps.executions import frames, selectors
from apps.executions.events import LIST_GROUP, execution_group
from apps.executions.services.lifecycle import step_payload

VISIBLE_CACHE_SIZE = 1000


def _visible(user, execution_id) -> bool:
    if user is None or not user.is_authenticated:
        return False
    try:
        selectors.execution_get_for_user(user, execution_id)
    except NotFoundError:
        return False
    return True


def _snapshot(user, execution_id) -> dict:
    execution = selectors.execution_get_for_user(user, execution_id)
    steps = [step_payload(step) for step in selectors.execution_steps(execution)]
    return {
        "type": "snapshot",
        "status": execution.status,
        "debug": execution.debug,
        "last_seq": execution.last_seq,
        "steps": steps,
    }


class ExecutionConsumer(AuthenticatedJsonConsumer):
    """``ws/executions/<uuid>/``: join the run's group, then send a snapshot (join first)."""

    watching = False

    async def connect(self) -> None:
        self.execution_id = str(self.scope["url_route"]["kwargs"]["execution_id"])
        if not await database_sync_to_async(_visible)(self.scope.get("user"), self.execution_id):
            await self.close()
            return
        await self.channel_layer.group_add(execution_group(self.execution_id), self.channel_name)
        await super().connect()

    async def on_authenticated(self) -> None:
        snapshot = await database_sync_to_async(_snapshot)(self.scope["user"], self.execution_id)
        # Counted as a viewer before the snapshot goes out, so frames flow as soon as it lands.
        await sync_to_async(frames.viewers_add)(self.execution_id)
        self.watching = True
        await self.send_json(snapshot)
        last = await sync_to_async(frames.frame_last)(self.execution_id)
        if last:
            await self.send_json({"type": "frame", **last})

    async def receive_json(self, content, **kwargs) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await sync_to_async(frames.viewers_refresh)(self.execution_id)
            await self.send_json({"type": "pong"})

    async def execution_event(self, message) -> None:
        await self.send_json(message["event"])

    async def execution_events(self, message) -> None:
        """A batch of the run's events: one frame each, in seq order, as single events go."""
        for event in message["events"]:
            await self.send_json(event)

    async def execution_frame(self, message) -> None:
        await self.send_json({"type": "frame", **message["frame"]})

    async def disconnect(self, code) -> None:
        group = execution_group(self.execution_id)
        await self.channel_layer.group_discard(group, self.channel_name)
        if self.watching:
            await sync_to_async(frames.viewers_remove)(self.execution_id)


class ExecutionListConsumer(AuthenticatedJsonConsumer):
    """``ws/executions/``: status changes of the runs this user may see."""

    async def connect(self) -> None:
        # Join before the handshake completes, like the run's socket: a change sent right after
        # the client sees the connection open must not be missed.
        self.visible: dict[str, bool] = {}
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            await self.channel_layer.group_add(LIST_GROUP, self.channel_name)
        await super().connect()

    async def executions_changed(self, message) -> None:
        event = message["event"]
        execution_id = event["execution_id"]
        if execution_id not in self.visible:
            if len(self.visible) >= VISIBLE_CACHE_SIZE:
                self.visible.clear()
            user = self.scope["user"]
            self.visible[execution_id] = await database_sync_to_async(_visible)(user, execution_id)
        if self.visible[execution_id]:
            await self.send_json(event)

    async def disconnect(self, code) -> None:
        await self.channel_layer.group_discard(LIST_GROUP, self.channel_name)
