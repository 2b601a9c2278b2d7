"""``/openapi.json`` built from the simulator's own route table (spec 1.2, 7)."""

import json
import re

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from .api import ROUTES
from .api.base import authorize
from .api.system import stream

_CONVERTER = re.compile(r"\{(\w+):\w+\}")


def document() -> dict:
    paths: dict[str, dict] = {}
    for route in ROUTES:
        path = _CONVERTER.sub(r"{\1}", route.url)
        operation = {
            "summary": route.summary,
            "tags": [route.tag],
            "operationId": f"{route.method.lower()}{re.sub(r'[^A-Za-z0-9]+', '_', route.path)}",
            "responses": {"200": {"description": "OK"}},
        }
        params = re.findall(r"\{(\w+)\}", path)
        if params:
            operation["parameters"] = [
                {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                for p in params
            ]
        if route.auth != "none":
            operation["security"] = [{"apiToken": []}]
        paths.setdefault(path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Ignition HTTP API", "version": "1.0.0"},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "apiToken": {"type": "apiKey", "in": "header", "name": "X-Ignition-API-Token"}
            }
        },
    }


async def openapi_json(request: Request) -> Response:
    who = authorize(request, request.app.state.gateway, "token")
    if isinstance(who, Response):
        return who
    return stream(json.dumps(document(), indent=2).encode(), "application/json")


async def openapi_page(request: Request) -> Response:
    rows = "".join(f"<li><code>{r.method} {r.url}</code> {r.summary}</li>" for r in ROUTES)
    return HTMLResponse(
        "<!DOCTYPE html><html><head><title>Ignition HTTP API</title></head><body>"
        "<h1>Ignition HTTP API</h1><p>The raw document is at <a href='/openapi.json'>"
        f"/openapi.json</a> (API token required).</p><ul>{rows}</ul></body></html>"
    )
