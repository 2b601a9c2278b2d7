"""``/openapi.json`` built from the simulator's own route table (spec 1.2, 7)."""

import json
import re

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from .api import routes_for_version
from .api.base import authorize
from .api.system import stream

_CONVERTER = re.compile(r"\{(\w+):\w+\}")


def document(version: str = "8.3.9") -> dict:
    paths: dict[str, dict] = {}
    for route in routes_for_version(version):
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
    version = request.app.state.gateway.config.version
    return stream(json.dumps(document(version), indent=2).encode(), "application/json")


async def openapi_page(request: Request) -> Response:
    routes = routes_for_version(request.app.state.gateway.config.version)
    rows = "".join(f"<li><code>{r.method} {r.url}</code> {r.summary}</li>" for r in routes)
    return HTMLResponse(
        "<!DOCTYPE html><html><head><title>Ignition HTTP API</title></head><body>"
        "<h1>Ignition HTTP API</h1><p>The raw document is at <a href='/openapi.json'>"
        f"/openapi.json</a> (API token required).</p><ul>{rows}</ul></body></html>"
    )
