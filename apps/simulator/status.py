"""Unauthenticated status and commissioning endpoints (spec 1.1, 9.2)."""

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .errors import json_error
from .gateway import STEPS
from .state import Phase
from .web.render import page

POST_STEPS = (*STEPS, "activation", "modules", "finished")


def _gw(request: Request):
    return request.app.state.gateway


async def status_ping(request: Request) -> Response:
    gw = _gw(request)
    if gw.phase is Phase.NEEDS_COMMISSIONING:
        return JSONResponse({"state": "RUNNING", "details": "COMMISSIONING"})
    return JSONResponse({"state": gw.phase.value})


async def system_status_ping(request: Request) -> Response:
    gw = _gw(request)
    if gw.config.is_83 or gw.phase is Phase.NEEDS_COMMISSIONING:
        return await status_ping(request)
    body = {"state": gw.phase.value, "version": gw.config.version, "os": "Linux"}
    return JSONResponse({**body, "role": "Independent"})


async def gwinfo(request: Request) -> Response:
    gw = _gw(request)
    if gw.phase is Phase.NEEDS_COMMISSIONING:
        return PlainTextResponse("ContextStatus=NEEDS_COMMISSIONING;")
    c = gw.config
    pairs = [
        ("ContextStatus", gw.phase.value),
        ("PlatformName", c.gateway_name),
        ("Version", c.version),
        ("PlatformEdition", c.edition),
        ("OS", "Linux"),
        ("RuntimeVersion", "17.0.13+11" if c.is_83 else "11.0.25+9"),
        ("RedundancyStatus", "Independent"),
        ("RedundantState", "Unknown"),
        ("RedundantNodeActiveStatus", "Active"),
    ]
    if c.is_83:
        pairs.append(("RequireSsl", "false"))
    pairs.append(("allowDesignerSSO", "false"))
    return PlainTextResponse("".join(f"{k}={v};" for k, v in pairs))


async def bootstrap(request: Request) -> Response:
    gw = _gw(request)
    outstanding = {step: False for step in STEPS if step not in gw.bootstrap_done}
    edition = gw.config.edition if "edition" in gw.bootstrap_done else "NOT_SET"
    return JSONResponse({"edition": edition, "steps": outstanding})


async def get_step(request: Request) -> Response:
    step = request.query_params.get("step", "")
    if step == "connections":
        port = _gw(request).config.port
        data = [
            {"name": "httpPort", "port": port},
            {"name": "httpsPort", "port": 8043},
            {"name": "ganPort", "port": 8060},
        ]
        return JSONResponse({"data": data})
    if step in STEPS:
        return JSONResponse({"data": {}})
    return json_error(400, request.url.path, f"Unknown step '{step}'")


def _apply_step(gw, step: str, data: dict) -> None:
    if step == "authSetup":
        gw.auth.users = {str(data.get("username", "admin")): str(data.get("password", ""))}
    if step == "modules":
        gw.modules.accepted_certs.update(data.get("acceptedCertificates", []))
    gw.bootstrap_done.add("activated" if step == "activation" else step)


async def post_step(request: Request) -> Response:
    gw = _gw(request)
    if gw.phase is not Phase.NEEDS_COMMISSIONING:
        return json_error(403, request.url.path, "The gateway is already commissioned.")
    try:
        body = json.loads(await request.body())
        step, data = body["step"], body.get("data") or {}
    except (json.JSONDecodeError, KeyError, TypeError):
        return json_error(400, request.url.path, "Expected {id, step, data}")
    if step not in POST_STEPS:
        return json_error(400, request.url.path, f"Unknown step '{step}'")
    if step == "finished":
        if data.get("startGateway"):
            gw.commission()
        return JSONResponse({"success": True}, status_code=200)
    _apply_step(gw, step, data)
    return JSONResponse({"success": True}, status_code=201)


async def welcome(request: Request) -> Response:
    gw = _gw(request)
    if gw.phase is not Phase.NEEDS_COMMISSIONING:
        return Response(status_code=302, headers={"Location": "/"})
    steps = "".join(
        f'<li class="step" data-step="{s}">{s}{" ✓" if s in gw.bootstrap_done else ""}</li>'
        for s in STEPS
    )
    return page("welcome.html", version=gw.config.version, steps=steps)


ROUTES = [
    Route("/StatusPing", status_ping),
    Route("/system/StatusPing", system_status_ping),
    Route("/system/gwinfo", gwinfo),
    Route("/bootstrap", bootstrap),
    Route("/get-step", get_step),
    Route("/post-step", post_step, methods=["POST"]),
    Route("/welcome", welcome),
]
