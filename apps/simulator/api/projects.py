"""Project routes (spec 1.2 and 9.5): CRUD, rename, copy, export and import."""

from starlette.responses import JSONResponse, Response

from ..projects import ProjectError, export_zip, read_zip
from .base import ApiRoute, flag, json_body, listing
from .base import BodyError as _BodyError


def changed(*names: str) -> JSONResponse:
    return JSONResponse({"success": True, "changes": [{"name": n} for n in names], "problem": None})


async def _body(request) -> dict:
    try:
        return await json_body(request)
    except _BodyError as exc:
        raise ProjectError(exc.message, exc.status) from exc


async def project_list(request, gw, who):
    return listing(request, [p.as_item() for p in gw.projects.all()])


async def project_names(request, gw, who):
    return listing(request, [p.name for p in gw.projects.all()])


async def find(request, gw, who):
    return JSONResponse(gw.projects.get(request.path_params["name"]).as_item())


async def create(request, gw, who):
    project = gw.projects.create(await _body(request))
    return changed(project.name)


async def update(request, gw, who):
    body = await _body(request)
    if "name" in body:
        raise ProjectError("Use the rename route to change a project's name.", 400)
    return changed(gw.projects.update(request.path_params["name"], body).name)


async def rename(request, gw, who):
    new_name = (await _body(request)).get("name") or ""
    old = request.path_params["name"]
    project = gw.projects.rename(old, new_name)
    return changed(old, project.name)


async def copy(request, gw, who):
    body = await _body(request)
    project = gw.projects.copy(body.get("fromName") or "", body.get("toName") or "")
    return changed(project.name)


async def delete(request, gw, who):
    if not flag(request, "confirm"):
        raise ProjectError("Deleting a project requires confirm=true.", 400)
    name = request.path_params["name"]
    gw.projects.delete(name)
    return changed(name)


async def export(request, gw, who):
    project = gw.projects.get(request.path_params["name"])
    headers = {"Content-Disposition": f'attachment; filename="{project.name}.zip"'}
    return Response(export_zip(project), media_type="application/zip", headers=headers)


async def import_project(request, gw, who):
    name = request.path_params["name"]
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/zip", "application/octet-stream")):
        raise ProjectError("Unsupported Media Type", 415)
    project = read_zip(name, await request.body())
    existing = gw.projects.find(name)
    if existing and not flag(request, "overwrite"):
        raise ProjectError(f"Project '{name}' already exists; use overwrite=true.", 409)
    if existing:
        gw.projects.delete(name)
    gw.projects.replace_all([*gw.projects.all(), project])
    return JSONResponse({"success": True, "message": f"Project {name} imported"})


async def scan_status(request, gw, who):
    return JSONResponse({"scanning": False, "lastScan": gw.clock.epoch_ms()})


async def scan(request, gw, who):
    gw.log.add("gateway.Projects", "Project scan requested")
    return JSONResponse({"success": True})


ROUTES = [
    ApiRoute("POST", "/projects", create, "Create Project", "projects"),
    ApiRoute("GET", "/projects/list", project_list, "List Projects", "projects"),
    ApiRoute("GET", "/projects/names", project_names, "Project Names", "projects"),
    ApiRoute("GET", "/projects/find/{name}", find, "Find Project", "projects"),
    ApiRoute("POST", "/projects/rename/{name}", rename, "Rename Project", "projects"),
    ApiRoute("POST", "/projects/copy", copy, "Copy Project", "projects"),
    ApiRoute("GET", "/projects/export/{name}", export, "Export Project", "projects"),
    ApiRoute("POST", "/projects/import/{name}", import_project, "Import Project", "projects"),
    ApiRoute("PUT", "/projects/{name}", update, "Modify Project", "projects"),
    ApiRoute("DELETE", "/projects/{name}", delete, "Delete Project", "projects"),
    ApiRoute("GET", "/scan/projects", scan_status, "Project Scan Status", "scan"),
    ApiRoute("POST", "/scan/projects", scan, "Scan Projects", "scan"),
]
