"""Module lifecycle routes (spec 1.2, 4.1 step 3, 9.5)."""

from starlette.responses import JSONResponse

from ..errors import json_error
from .base import ApiRoute, BodyError, json_body, listing, required_param


async def healthy(request, gw, who):
    return listing(request, [m.as_item() for m in gw.modules.installed.values()])


async def quarantined(request, gw, who):
    """Modules the gateway installed but will not run (unsigned, certificate not accepted)."""
    items = [
        {**m.as_item(), "certAccepted": False, "licenseAccepted": True}
        for m in gw.modules.quarantined.values()
    ]
    return listing(request, items)


async def upload(request, gw, who):
    file_name = request.query_params.get("fileName", "")
    if not file_name.endswith(".modl"):
        raise BodyError("The query parameter 'fileName' must name a .modl file.")
    result = gw.modules.upload(await request.body())
    gw.log.add("gateway.Modules", f"Module {result.file.id} uploaded from {file_name}")
    return JSONResponse(result.summary())


async def certificate(request, gw, who):
    return JSONResponse(gw.modules.certificate(required_param(request, "moduleId")))


async def accept_certificate(request, gw, who):
    module_id = required_param(request, "moduleId")
    gw.modules.accept_certificate(module_id)
    return JSONResponse({"success": True, "message": "Module Certificate accepted."})


async def eula(request, gw, who):
    return JSONResponse(gw.modules.eula(required_param(request, "moduleId")))


async def accept_eula(request, gw, who):
    gw.modules.accept_eula(required_param(request, "moduleId"))
    return JSONResponse({"success": True, "message": "Module EULA accepted."})


async def install(request, gw, who):
    module_id = required_param(request, "moduleId")
    quarantine = gw.modules.get_upload(module_id).quarantine
    gw.modules.install(module_id)
    gw.log.add(
        "gateway.Modules",
        f"Module {module_id} quarantined: not signed by a trusted certificate"
        if quarantine
        else f"Module {module_id} installed; restart required",
        "WARN" if quarantine else "INFO",
    )
    return JSONResponse({"success": True, "message": "Module successfully installed."})


async def uninstall(request, gw, who):
    module_id = required_param(request, "moduleId")
    gw.modules.uninstall(module_id)
    gw.log.add("gateway.Modules", f"Module {module_id} uninstalled; restart required")
    return JSONResponse({"success": True, "message": "Module successfully uninstalled."})


async def toggle_state(request, gw, who):
    body = await json_body(request)
    enable, disable = body.get("enable", []), body.get("disable", [])
    if not isinstance(enable, list) or not isinstance(disable, list):
        raise BodyError("'enable' and 'disable' must be lists of module ids.")
    gw.modules.toggle(enable, disable)
    return JSONResponse({"success": True, "message": "Module states will change on restart."})


async def restart(request, gw, who):
    if request.query_params.get("confirm") != "true":
        return json_error(400, request.url.path, "Restart requires confirm=true.")
    gw.restart()
    return JSONResponse(True)


async def pending(request, gw, who):
    return JSONResponse({"pending": gw.modules.pending()})


ROUTES = [
    ApiRoute("GET", "/modules/healthy", healthy, "Healthy Modules", "modules"),
    ApiRoute("GET", "/modules/quarantined", quarantined, "Quarantined Modules", "modules"),
    ApiRoute("POST", "/modules/upload", upload, "Upload Module", "modules"),
    ApiRoute("GET", "/modules/certificate", certificate, "Module Certificate", "modules"),
    ApiRoute("POST", "/modules/certificate", accept_certificate, "Accept Certificate", "modules"),
    ApiRoute("GET", "/modules/eula", eula, "Module EULA", "modules"),
    ApiRoute("POST", "/modules/eula", accept_eula, "Accept EULA", "modules"),
    ApiRoute("POST", "/modules/install", install, "Install Module", "modules"),
    ApiRoute("DELETE", "/modules/uninstall", uninstall, "Uninstall Modules", "modules"),
    ApiRoute("PUT", "/modules/toggle-state", toggle_state, "Toggle Module State", "modules"),
    ApiRoute("POST", "/restart-tasks/restart", restart, "Restart Gateway", "restart-tasks"),
    ApiRoute("GET", "/restart-tasks/pending", pending, "Pending Restart Tasks", "restart-tasks"),
]
