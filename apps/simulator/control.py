"""The ``/__sim/`` control surface for tests (off unless ``--control``; spec 9.1)."""

import dataclasses
import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .config import ConfigError, SimConfig
from .faults import FaultError
from .state import Phase

KNOBS = (
    "error_style",
    "auth_failure_status",
    "restart_style",
    "auth_warmup_s",
    "grace_s",
    "stopping_s",
    "starting_s",
    "down_s",
    "restore_delay_s",
    "restore_wipes_tokens",
    "realistic_backup",
    "trial_reset_81",
    "allow_unsigned_modules",
)


def snapshot(gw) -> dict:
    gw.tick()
    return {
        "state": gw.phase.value,
        "version": gw.config.version,
        "profile": gw.config.line,
        "clock": {
            "now": gw.clock.now(),
            "paused": gw.clock.paused,
            "timeScale": gw.clock.time_scale,
        },
        "restarts": gw.lifecycle.restarts,
        "trial": gw.trial_body(),
        "pending": gw.modules.pending(),
        "faults": gw.faults.listing(),
        "knobs": {k: getattr(gw.config, k) for k in KNOBS},
    }


async def _json(request: Request) -> dict:
    try:
        data = json.loads(await request.body() or b"{}")
    except json.JSONDecodeError as exc:
        raise ConfigError(f"invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError("the body must be a JSON object")
    return data


def _error(exc: Exception) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=400)


async def get_state(request: Request) -> Response:
    return JSONResponse(snapshot(request.app.state.gateway))


async def set_state(request: Request) -> Response:
    gw = request.app.state.gateway
    try:
        data = await _json(request)
        knobs = {k: data[k] for k in KNOBS if k in data}
        unknown = set(data) - set(KNOBS) - {"state"}
        if unknown:
            raise ConfigError(f"unknown keys: {', '.join(sorted(unknown))}")
        config = SimConfig(**{**dataclasses.asdict(gw.config), **knobs})
        phase = Phase(data["state"]) if "state" in data else None
    except (ConfigError, ValueError, TypeError) as exc:
        return _error(exc)
    gw.config = config
    gw.modules.allow_unsigned = config.allow_unsigned_modules
    if phase is not None:
        gw.set_phase(phase)
    return JSONResponse(snapshot(gw))


async def advance(request: Request) -> Response:
    gw = request.app.state.gateway
    try:
        gw.clock.advance(float(request.query_params.get("seconds", "0")))
    except ValueError as exc:
        return _error(exc)
    return JSONResponse(snapshot(gw))


async def clock(request: Request) -> Response:
    gw = request.app.state.gateway
    try:
        paused = (await _json(request)).get("paused")
    except ConfigError as exc:
        return _error(exc)
    gw.tick()
    gw.clock.pause() if paused else gw.clock.resume()
    return JSONResponse(snapshot(gw))


async def add_fault(request: Request) -> Response:
    gw = request.app.state.gateway
    try:
        fault = gw.faults.add(await _json(request))
    except (ConfigError, FaultError, ValueError) as exc:
        return _error(exc)
    return JSONResponse(dataclasses.asdict(fault), status_code=201)


async def clear_faults(request: Request) -> Response:
    request.app.state.gateway.faults.clear()
    return JSONResponse({"faults": []})


async def restart(request: Request) -> Response:
    gw = request.app.state.gateway
    started = gw.restart(request.query_params.get("style"))
    return JSONResponse({"started": started, **snapshot(gw)})


async def expire_trial(request: Request) -> Response:
    gw = request.app.state.gateway
    gw.expire_trial()
    return JSONResponse(snapshot(gw))


async def reset(request: Request) -> Response:
    request.app.state.reset()
    return JSONResponse(snapshot(request.app.state.gateway))


ROUTES = [
    Route("/__sim/state", get_state),
    Route("/__sim/state", set_state, methods=["POST"]),
    Route("/__sim/advance", advance, methods=["POST"]),
    Route("/__sim/clock", clock, methods=["POST"]),
    Route("/__sim/fault", add_fault, methods=["POST"]),
    Route("/__sim/fault", clear_faults, methods=["DELETE"]),
    Route("/__sim/restart", restart, methods=["POST"]),
    Route("/__sim/trial/expire", expire_trial, methods=["POST"]),
    Route("/__sim/reset", reset, methods=["POST"]),
]
