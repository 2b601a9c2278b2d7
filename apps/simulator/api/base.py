"""The 8.3 REST route table and the authentication every route goes through (spec 9.3)."""

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..auth import AuthError, Principal
from ..errors import auth_error, json_error, problem, validation_error
from ..lists import ListQueryError, paginate, query_filters
from ..modules import ModuleError
from ..projects import ProjectError
from ..resources import ResourceError
from ..tags import TagError

PREFIX = "/data/api/v1"
READ_METHODS = ("GET", "HEAD")
Handler = Callable[[Request, object, Principal | None], Awaitable[Response]]


@dataclass(frozen=True)
class ApiRoute:
    """One REST route; ``auth`` is ``token`` (token or session), ``session`` or ``none``."""

    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    auth: str = "token"

    @property
    def url(self) -> str:
        return PREFIX + self.path

    def starlette_route(self) -> Route:
        async def endpoint(request: Request) -> Response:
            gateway = request.app.state.gateway
            who = authorize(request, gateway, self.auth)
            if isinstance(who, Response):
                return who
            try:
                return await self.handler(request, gateway, who)
            except (ModuleError, TagError, ResourceError, ListQueryError, BodyError) as exc:
                return domain_error(request, exc)
            except ProjectError as exc:
                return problem(exc.status, exc.message)

        return Route(self.url, endpoint, methods=[self.method], name=f"{self.method} {self.path}")


class BodyError(ValueError):
    status = 400

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def domain_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ListQueryError):
        return json_error(400, request.url.path, str(exc))
    if isinstance(exc, ResourceError) and exc.status == 422:
        return validation_error([exc.message])
    return json_error(exc.status, request.url.path, exc.message)


def _session_principal(request: Request, gateway) -> Principal | Response:
    session = gateway.auth.session_for(request.cookies)
    if session is None or gateway.auth_warming_up:
        return auth_error(gateway.config.auth_failure, request.url.path, gateway.config.error_style)
    principal = Principal(session.username, True, True, session)
    csrf = request.headers.get("x-csrf-token")
    if request.method not in READ_METHODS and csrf != session.csrf:
        return json_error(403, request.url.path, "Missing or invalid CSRF token")
    return principal


def authorize(request: Request, gateway, mode: str) -> Principal | Response | None:
    """Token first, then the web session (which needs ``X-CSRF-Token`` on mutations)."""
    path, style = request.url.path, gateway.config.error_style
    try:
        principal = gateway.auth.token_principal(request.headers, request.url.scheme)
    except AuthError as failure:
        status = gateway.config.auth_failure if failure.status == 401 else failure.status
        return auth_error(status, path, style)
    if mode == "none":
        return principal
    if principal is None:
        return _session_principal(request, gateway)
    if mode == "session":
        return auth_error(403, path, style)
    allowed = principal.read if request.method in READ_METHODS else principal.write
    return principal if allowed else auth_error(403, path, style)


def listing(request: Request, items: list) -> JSONResponse:
    """Items wrapped in the list envelope, honouring the list query parameters."""
    params = dict(request.query_params)
    filters = query_filters(request.query_params.multi_items())
    return JSONResponse(paginate(items, params, filters))


async def json_body(request: Request, kind: type = dict):
    """The JSON body; 415 for another content type, 400 when it does not parse."""
    if "json" not in request.headers.get("content-type", ""):
        raise BodyError("Unsupported Media Type", 415)
    try:
        data = json.loads(await request.body() or b"null")
    except json.JSONDecodeError as exc:
        raise BodyError(f"Invalid JSON: {exc}") from exc
    if not isinstance(data, kind):
        raise BodyError(f"The body must be a JSON {kind.__name__}")
    return data


def flag(request: Request, name: str, default: bool = False) -> bool:
    value = request.query_params.get(name)
    return default if value is None else value.lower() in ("true", "1", "yes")


def required_param(request: Request, name: str) -> str:
    value = request.query_params.get(name)
    if not value:
        raise BodyError(f"The query parameter '{name}' is required.")
    return value
