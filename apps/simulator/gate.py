"""Outermost ASGI layer: clock tick, the /__sim/ switch, DOWN, injected faults, state gating."""

import asyncio

from starlette.responses import HTMLResponse, RedirectResponse, Response

from .errors import json_error, no_route
from .state import Phase

ALWAYS_OPEN = ("/StatusPing", "/system/StatusPing", "/system/gwinfo")
COMMISSIONING_OPEN = (*ALWAYS_OPEN, "/bootstrap", "/get-step", "/post-step", "/welcome")
CONTROL = "/__sim"


class SimulatedResetError(ConnectionResetError):
    """Raised after the response has started, so the server drops the connection."""


async def drop_connection(send) -> None:
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]}
    )
    raise SimulatedResetError("simulated connection reset")


def unavailable(path: str, phase: Phase) -> Response:
    if path.startswith("/data/"):
        return json_error(503, path)
    title = "Gateway Fault" if phase is Phase.FAULTED else "Gateway is starting up"
    body = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
    body += f"<p class='gateway-state'>{phase.value}</p></body></html>"
    return HTMLResponse(body, status_code=503)


def gate(path: str, phase: Phase) -> Response | None:
    """The answer a gateway in ``phase`` gives instead of serving ``path`` (spec 9.2)."""
    if phase is Phase.RUNNING or path.startswith(ALWAYS_OPEN):
        return None
    if phase is Phase.NEEDS_COMMISSIONING:
        if path.startswith(COMMISSIONING_OPEN):
            return None
        return RedirectResponse("/welcome", status_code=302)
    return unavailable(path, phase)


class GateMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gateway = scope["app"].state.gateway
        path = scope["path"]
        phase = gateway.tick()
        if path == CONTROL or path.startswith(CONTROL + "/"):
            if not gateway.config.control:
                await no_route(path)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        if phase is Phase.DOWN:
            await drop_connection(send)
        response = await self._fault(gateway, path, send)
        if response is None:
            response = gate(path, gateway.tick())
        if response is not None:
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    async def _fault(gateway, path: str, send) -> Response | None:
        latency_ms, fault = gateway.faults.take(path)
        if latency_ms:
            await asyncio.sleep(latency_ms / 1000)
        if fault is None:
            return None
        if fault.kind == "reset":
            await drop_connection(send)
        if fault.kind == "hang":
            await gateway.faults.hang(fault.seconds)
            return None
        if fault.kind == "429":
            return json_error(429, path)
        return json_error(int(fault.kind), path, "Simulated fault")
