"""Backup/restore, tags, logs and config resources (spec 1.2, 1.3, 9.5)."""

import asyncio
import json

from starlette.responses import JSONResponse, Response, StreamingResponse

from .. import backups
from ..backups import BackupError
from ..errors import json_error
from ..resources import API_TOKEN
from ..tags import TagError, to_xml
from .base import ApiRoute, BodyError, flag, json_body, listing

CHUNK = 64 * 1024


def stream(data: bytes, media_type: str, filename: str | None = None) -> StreamingResponse:
    """Chunked body (no Content-Length), like the gateway's large downloads."""

    async def chunks():
        for start in range(0, len(data), CHUNK):
            yield data[start : start + CHUNK]

    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else {}
    return StreamingResponse(chunks(), media_type=media_type, headers=headers)


def backup_name(gw) -> str:
    return f"{gw.config.gateway_name}_{gw.config.version}_{gw.clock.epoch_ms()}.gwbk"


async def backup_download(request, gw, who):
    return stream(backups.build(gw), "application/octet-stream", backup_name(gw))


async def restore(gw, data: bytes) -> None:
    """Replace projects/config from a backup, then restart (spec 4.1 step 6)."""
    content = backups.read(data)
    if gw.config.restore_delay_s:
        await asyncio.sleep(gw.clock.real_seconds(gw.config.restore_delay_s))
    gw.projects.replace_all(content.projects)
    if content.resources is not None:
        gw.resources.replace_all(content.resources)
    if gw.config.restore_wipes_tokens:
        gw.resources.wipe_tokens()
    gw.log.add("gateway.Backup", f"Restored a {content.version} backup")
    gw.restart()


async def backup_restore(request, gw, who):
    try:
        await restore(gw, await request.body())
    except BackupError as exc:
        return json_error(400, request.url.path, str(exc))
    return JSONResponse({"success": True, "message": "Backup restored; the gateway is restarting."})


async def tags_export(request, gw, who):
    provider = request.query_params.get("provider", "default")
    path = request.query_params.get("path", "")
    tree = gw.tags.export(provider, path, flag(request, "recursive", True))
    if request.query_params.get("type", "json") == "xml":
        return Response(to_xml(tree), media_type="application/xml")
    return JSONResponse(tree)


async def tags_import(request, gw, who):
    kind = request.query_params.get("type", "json")
    if kind != "json":
        raise TagError(f"Import of type '{kind}' is not simulated; use type=json.", 415)
    try:
        tree = json.loads(await request.body())
    except json.JSONDecodeError as exc:
        raise TagError(f"Invalid JSON: {exc}") from exc
    provider = request.query_params.get("provider", "default")
    policy = request.query_params.get("collisionPolicy", "Abort")
    path = request.query_params.get("path", "")
    return JSONResponse(gw.tags.import_tags(provider, tree, policy, path))


def _epoch(request, name: str) -> int | None:
    value = request.query_params.get(name)
    try:
        return None if value is None else int(value)
    except ValueError as exc:
        raise BodyError(f"{name} must be epoch milliseconds") from exc


async def logs(request, gw, who):
    q = request.query_params
    events = gw.log.select(
        _epoch(request, "startTime"),
        _epoch(request, "endTime"),
        q.get("minLevel", "TRACE").upper(),
        q.get("logger", ""),
    )
    return listing(request, events)


async def logs_download(request, gw, who):
    return Response(gw.log.to_sqlite(), media_type="application/x-sqlite3")


def _type(request) -> str:
    return f"{request.path_params['module']}/{request.path_params['type']}"


async def resource_list(request, gw, who):
    return listing(request, gw.resources.entries(_type(request)))


async def resource_names(request, gw, who):
    return listing(request, [r["name"] for r in gw.resources.entries(_type(request))])


async def resource_find(request, gw, who):
    return JSONResponse(gw.resources.find(_type(request), request.path_params["name"]))


async def resource_singleton(request, gw, who):
    return JSONResponse(gw.resources.singleton(_type(request)))


async def resource_describe(request, gw, who):
    return JSONResponse(gw.resources.describe(_type(request)))


async def resource_create(request, gw, who):
    changes = gw.resources.create(_type(request), await json_body(request, list))
    return JSONResponse({"success": True, "changes": changes, "problem": None})


async def resource_modify(request, gw, who):
    changes = gw.resources.modify(_type(request), await json_body(request, list))
    return JSONResponse({"success": True, "changes": changes, "problem": None})


async def resource_delete(request, gw, who):
    p = request.path_params
    changes = gw.resources.delete(_type(request), p["name"], p["signature"])
    if _type(request) == API_TOKEN:
        gw.log.add("gateway.Security", f"API token {p['name']} deleted")
    return JSONResponse({"success": True, "changes": changes, "problem": None})


_R = "/resources"
_T = "{module}/{type}"
ROUTES = [
    ApiRoute("GET", "/backup", backup_download, "Download Gateway Backup", "backup"),
    ApiRoute("POST", "/backup", backup_restore, "Restore Gateway Backup", "backup"),
    ApiRoute("GET", "/tags/export", tags_export, "Export Tags", "tags"),
    ApiRoute("POST", "/tags/import", tags_import, "Import Tags", "tags"),
    ApiRoute("GET", "/logs", logs, "Gateway Logs", "logs"),
    ApiRoute("GET", "/logs/download", logs_download, "Download Logs", "logs"),
    ApiRoute("GET", f"{_R}/list/{_T}", resource_list, "List Resources", "resources"),
    ApiRoute("GET", f"{_R}/names/{_T}", resource_names, "Resource Names", "resources"),
    ApiRoute("GET", f"{_R}/find/{_T}/{{name}}", resource_find, "Find Resource", "resources"),
    ApiRoute("GET", f"{_R}/singleton/{_T}", resource_singleton, "Singleton", "resources"),
    ApiRoute("GET", f"{_R}/type/{_T}", resource_describe, "Describe Type", "resources"),
    ApiRoute("POST", f"{_R}/{_T}", resource_create, "Create Resources", "resources"),
    ApiRoute("PUT", f"{_R}/{_T}", resource_modify, "Modify Resources", "resources"),
    ApiRoute("DELETE", f"{_R}/{_T}/{{name}}/{{signature}}", resource_delete, "Delete", "resources"),
]
