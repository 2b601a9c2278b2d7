"""Gateway information, overview, trial and licensing routes (spec 1.2)."""

import secrets

from starlette.responses import JSONResponse

from ..errors import json_error
from ..resources import digest
from .base import ApiRoute, listing

JAVA = {"version": "17.0.13", "vendor": "Eclipse Adoptium", "name": "OpenJDK 64-Bit Server VM"}


async def gateway_info(request, gw, who):
    c = gw.config
    return JSONResponse(
        {
            "name": c.gateway_name,
            "redundancyRole": "Independent",
            "edition": c.edition,
            "hostname": "localhost",
            "port": c.port,
            "ignitionVersion": c.full_version,
            "deploymentMode": "dev",
            "timeZone": "Coordinated Universal Time",
            "timeZoneId": "UTC",
            "jvmVersion": JAVA["version"],
            "allowUnsignedModules": c.allow_unsigned_modules,
            "license": {
                "mode": "Trial",
                "validForVersion": c.line,
                "expirationDate": None,
                "licenseRestrictions": [],
            },
        }
    )


async def overview(request, gw, who):
    return JSONResponse(
        {
            "version": gw.config.full_version,
            "processId": gw.process_id,
            "redundancy": {
                "role": "Independent",
                "activityLevel": "Active",
                "projectState": "Good",
            },
            "java": JAVA,
            "os": {"name": "Linux", "arch": "amd64", "version": "6.1"},
            "cloudEnv": "none",
            "uptime": gw.uptime_ms(),
            "timezone": "UTC",
            "locale": "en_US",
            "time": gw.clock.epoch_ms(),
            "memory": [268435456, 1073741824],
            "cpu": 0.05,
            "disk": {"total": 107374182400, "used": 21474836480},
            "license": {"state": "trial", "trialRemaining": gw.trial_seconds_left},
        }
    )


async def overview_name(request, gw, who):
    return JSONResponse({"name": gw.config.gateway_name})


async def overview_gan(request, gw, who):
    return JSONResponse({"connections": 0, "incoming": [], "outgoing": []})


async def overview_problems(request, gw, who):
    items = []
    if gw.trial_expired:
        items.append(
            {
                "title": "Trial expired",
                "description": "The trial period has expired.",
                "resolution": "Reset the trial or activate a license.",
                "url": "/app/platform/system/licensing",
                "actionLabel": "Licensing",
            }
        )
    return listing(request, items)


async def overview_connections(request, gw, who):
    return JSONResponse({"databases": [], "devices": [], "opcConnections": []})


async def banners(request, gw, who):
    expired = gw.trial_expired
    expire_time = None if expired else gw.clock.epoch_ms() + gw.trial_seconds_left * 1000
    data = {
        "severity": "warning" if expired else "info",
        "expireTime": expire_time,
        "toolTips": [],
        "actions": [],
    }
    return JSONResponse({"banners": [{"order": 0, "type": "trial", "data": data}]})


async def trial_status(request, gw, who):
    return JSONResponse(gw.trial_body())


async def trial_reset(request, gw, who):
    if not gw.trial_expired:
        return json_error(403, request.url.path, "The trial has not expired.")
    gw.reset_trial()
    return JSONResponse(gw.trial_body())


async def licenses(request, gw, who):
    return JSONResponse({"mode": "Trial", "licenses": [], "trial": gw.trial_body()})


async def gauges(request, gw, who):
    return JSONResponse({"cpu": 5.0, "heapMemory": 268435456, "maxMemory": 1073741824})


async def generate_token(request, gw, who):
    key = secrets.token_urlsafe(32)
    return JSONResponse({"key": key, "hash": digest(key)})


ROUTES = [
    ApiRoute("GET", "/gateway-info", gateway_info, "Gateway Info", "gateway"),
    ApiRoute("GET", "/overview", overview, "Gateway Overview", "overview"),
    ApiRoute("GET", "/overview/name", overview_name, "Gateway Name", "overview"),
    ApiRoute("GET", "/overview/gan", overview_gan, "Gateway Network Overview", "overview"),
    ApiRoute("GET", "/overview/problems", overview_problems, "Gateway Problems", "overview"),
    ApiRoute("GET", "/overview/connections", overview_connections, "Connections", "overview"),
    ApiRoute("GET", "/overview/banners", banners, "Banners", "overview", auth="none"),
    ApiRoute("GET", "/trial", trial_status, "Trial Status", "licensing", auth="none"),
    ApiRoute("POST", "/trial", trial_reset, "Reset Trial", "licensing", auth="session"),
    ApiRoute("GET", "/licenses", licenses, "Licenses", "licensing"),
    ApiRoute("GET", "/systemPerformance/currentGauges", gauges, "Current Gauges", "diagnostics"),
    ApiRoute(
        "POST", "/api-token/generate", generate_token, "Generate Token", "security", "session"
    ),
]
