"""Diagnostics bundle, logger levels and the config scan (live 8.3 routes)."""

from starlette.responses import JSONResponse, Response

from ..errors import json_error
from .base import ApiRoute, BodyError, listing, required_param


def _info(gw) -> dict:
    c = gw.config
    return {"name": c.gateway_name, "ignitionVersion": c.full_version, "edition": c.edition}


async def bundle_status(request, gw, who):
    return JSONResponse(gw.diagnostics.state(gw.clock.now()))


async def bundle_generate(request, gw, who):
    gw.diagnostics.generate(gw.clock.now(), _info(gw), gw.log.to_sqlite())
    gw.log.add("gateway.Diagnostics", "Diagnostics bundle requested")
    return JSONResponse(gw.diagnostics.state(gw.clock.now()))


async def bundle_download(request, gw, who):
    data = gw.diagnostics.download(gw.clock.now())
    if data is None:
        return json_error(404, request.url.path, "No valid diagnostics bundle; generate one.")
    headers = {"Content-Disposition": 'attachment; filename="diagnostics.zip"'}
    return Response(data, media_type="application/zip", headers=headers)


async def loggers(request, gw, who):
    seen = [event["loggerName"] for event in gw.log.events]
    return listing(request, gw.diagnostics.loggers(seen))


async def set_level(request, gw, who):
    try:
        gw.diagnostics.set_level(request.path_params["name"], required_param(request, "level"))
    except ValueError as exc:
        raise BodyError(str(exc)) from exc
    return Response(status_code=200)


async def level_reset(request, gw, who):
    gw.diagnostics.reset_levels()
    return Response(status_code=200)


async def scan_config_status(request, gw, who):
    return JSONResponse({"scanning": False, "lastScan": gw.clock.epoch_ms()})


async def scan_config(request, gw, who):
    gw.log.add("gateway.Config", "Config scan requested")
    return JSONResponse({"success": True})


_B = "/diagnostics/bundle"
ROUTES = [
    ApiRoute("GET", f"{_B}/status", bundle_status, "Diagnostics Bundle Status", "diagnostics"),
    ApiRoute("POST", f"{_B}/generate", bundle_generate, "Generate Bundle", "diagnostics"),
    ApiRoute("GET", f"{_B}/download", bundle_download, "Download Bundle", "diagnostics"),
    ApiRoute("GET", "/logs/loggers", loggers, "Loggers", "logs"),
    ApiRoute("POST", "/logs/loggers/{name}", set_level, "Set Logger Level", "logs"),
    ApiRoute("POST", "/logs/levelreset", level_reset, "Reset Logger Levels", "logs"),
    ApiRoute("GET", "/scan/config", scan_config_status, "Config Scan Status", "scan"),
    ApiRoute("POST", "/scan/config", scan_config, "Scan Config", "scan"),
]
