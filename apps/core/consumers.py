"""Websocket consumers of the core app."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.core.health import health_report, run_checks


class AuthenticatedJsonConsumer(AsyncJsonWebsocketConsumer):
    """Refuses the handshake (HTTP 403) for anonymous users; subclasses add what they serve."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()
            return
        await self.accept()
        await self.on_authenticated()

    async def on_authenticated(self) -> None:
        """Send the initial state after the connection is accepted."""


class HealthConsumer(AuthenticatedJsonConsumer):
    """Pushes the portal's readiness to the navigation bar's health indicator.

    Staff get each component's message (worker names, connection errors); everyone else
    gets only which components are up.
    """

    async def on_authenticated(self) -> None:
        await self.send_health()

    async def receive_json(self, content, **kwargs) -> None:
        if content.get("type") == "refresh":
            await self.send_health()

    async def send_health(self) -> None:
        results = await database_sync_to_async(run_checks)()
        report = health_report(results, detailed=self.scope["user"].is_staff)
        await self.send_json({"type": "health.status", **report})


class UnknownPathConsumer(AsyncJsonWebsocketConsumer):
    """Refuses the handshake (HTTP 403) for a path no other consumer serves.

    Without it the router raises for such a path and the server answers 500 and logs an error.
    """

    async def connect(self) -> None:
        await self.close()
