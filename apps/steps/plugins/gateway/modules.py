"""gateway.list_modules, upload_module and wait_for_module_installation."""

from pathlib import Path

from apps.gateways.client import content
from apps.gateways.client import modules as gateway_modules
from apps.gateways.client import operations as ops
from apps.steps.plugins.gateway.base import gateway_step


def _summary(module: dict) -> dict:
    return {
        "id": module.get("id"),
        "name": module.get("name"),
        "version": module.get("version"),
        "state": module.get("state"),
        "description": module.get("description"),
        "license_state": module.get("licenseState"),
        "should_upgrade": bool(module.get("shouldUpgrade")),
    }


@gateway_step("gateway.list_modules")
def run(client, context, values: dict) -> dict:
    modules = [_summary(m) for m in content.list_modules(client)]
    return {"modules": modules, "count": len(modules)}


@gateway_step("gateway.upload_module")
def run_upload(client, context, values: dict) -> dict:
    """Upload, accept certificate and licence, install; the module runs after a restart."""
    path = Path(values["file"])
    result = content.install_module(client, path.read_bytes(), path.name)
    context.log(
        f"Module {result['module_id']} installed from {path.name}; it runs after a gateway restart."
    )
    return result


@gateway_step("gateway.wait_for_module_installation")
def run_wait(client, context, values: dict) -> dict:
    module = content.wait_for_module(
        client, values["module_name"], values["timeout"], values.get("version") or None
    )
    return {
        "status": "installed",
        "module_name": module.get("name"),
        "version": module.get("version"),
    }


@gateway_step("gateway.uninstall_module")
def run_uninstall(client, context, values: dict) -> dict:
    """Uninstall, restart (unless told not to), and check the module is gone."""
    module_id = values["module_id"]
    gateway_modules.uninstall_module(client, module_id)
    if not values["restart"]:
        context.log(f"Module {module_id} will be removed at the next gateway restart.")
        return {"status": "uninstall_pending", "module_id": module_id}
    ops.restart(client, wait=True, timeout=values["timeout"])
    gateway_modules.verify_uninstalled(client, module_id)
    context.log(f"Module {module_id} uninstalled; it is no longer listed after the restart.")
    return {"status": "uninstalled", "module_id": module_id}
