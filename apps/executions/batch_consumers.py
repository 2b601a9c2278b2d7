"""``ws/batches/<uuid>/``: the status and step events of a batch's runs and the batch's own
status changes, for its page. Joins the group first, then sends a snapshot of the rows."""

from channels.db import database_sync_to_async

from apps.core.consumers import AuthenticatedJsonConsumer
from apps.core.errors import NotFoundError
from apps.executions import batch_selectors as selectors
from apps.executions.batch_events import batch_group


def _snapshot(user, batch_id) -> dict | None:
    try:
        batch = selectors.batch_get_for_user(user, batch_id)
    except NotFoundError:
        return None
    rows = [
        {
            "gateway": row.gateway,
            "execution_id": str(row.run.pk),
            "status": row.run.status,
            "current_step": row.current_step,
        }
        for row in selectors.batch_rows(batch)
    ]
    return {"type": "snapshot", "status": batch.status, "runs": rows}


class BatchConsumer(AuthenticatedJsonConsumer):
    async def connect(self) -> None:
        self.batch_id = str(self.scope["url_route"]["kwargs"]["batch_id"])
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()
            return
        if await database_sync_to_async(_snapshot)(user, self.batch_id) is None:
            await self.close()
            return
        await self.channel_layer.group_add(batch_group(self.batch_id), self.channel_name)
        await super().connect()

    async def on_authenticated(self) -> None:
        snapshot = await database_sync_to_async(_snapshot)(self.scope["user"], self.batch_id)
        await self.send_json(snapshot)

    async def batch_event(self, message) -> None:
        await self.send_json(message["event"])

    async def disconnect(self, code) -> None:
        await self.channel_layer.group_discard(batch_group(self.batch_id), self.channel_name)
