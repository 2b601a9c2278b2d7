"""``create_app(config)``: one isolated simulated gateway as a Starlette application."""

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from . import control, openapi, status
from .api import routes_for_version
from .config import SimConfig
from .errors import json_error, no_route, no_servlet
from .gate import GateMiddleware
from .gateway import Gateway
from .perspective.routes import ROUTES as PERSPECTIVE_ROUTES
from .web import idp, pages81, pages83

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
# Real 8.3 routes the simulator knows of but does not model: 501, not 404 (spec 9.6).
INVENTORY = (
    "/data/api/v1/designers",
    "/data/api/v1/designer/",
    "/data/api/v1/launcher/",
    "/data/api/v1/scan-lock/",
    "/data/api/v1/sync",
    "/data/api/v1/modes",
    "/data/perspective/api/v1/",
)


async def fallback(request: Request) -> Response:
    path = request.url.path
    is_83 = request.app.state.gateway.config.is_83
    if path.startswith("/main/"):
        return RedirectResponse(path.removeprefix("/main") or "/", status_code=302)
    if path.startswith("/system/"):
        return no_servlet(path)
    if is_83 and path.startswith(INVENTORY):
        return json_error(501, path, "Not implemented by the gateway simulator")
    if path.startswith("/data/"):
        return no_route(path)
    return HTMLResponse("<html><body><h1>404 Not Found</h1></body></html>", status_code=404)


def routes_for(config: SimConfig) -> list:
    routes = [*control.ROUTES, *status.ROUTES, *PERSPECTIVE_ROUTES]
    if config.is_83:
        routes += [r.starlette_route() for r in routes_for_version(config.version)]
        routes += idp.ROUTES + pages83.ROUTES
        routes += [
            Route("/openapi.json", openapi.openapi_json),
            Route("/openapi", openapi.openapi_page),
        ]
    else:
        routes += pages81.ROUTES
    return [*routes, Route("/{path:path}", fallback, methods=ALL_METHODS)]


def create_app(config: SimConfig | None = None) -> Starlette:
    config = config or SimConfig()
    app = Starlette(routes=routes_for(config), middleware=[Middleware(GateMiddleware)])
    app.state.config = config
    app.state.gateway = Gateway(config)

    def reset() -> None:
        app.state.gateway = Gateway(config)

    app.state.reset = reset
    return app
