"""gateway.backup, gateway.restore and gateway.diagnostics_bundle (8.3 REST API)."""

import time
from pathlib import Path

from apps.gateways.client import GatewayAuthError, GatewayError, content
from apps.gateways.client import operations as ops
from apps.steps.plugins.gateway.base import gateway_step
from apps.steps.plugins.gateway.files import downloading, store


@gateway_step("gateway.backup")
def run(client, context, values: dict) -> dict:
    """Stream ``GET /data/api/v1/backup`` into a ``.gwbk`` artifact."""
    with downloading(context) as path:
        filename, _ = ops.backup(
            client,
            path,
            kind=values.get("type"),
            peer=values["include_peer_local"],
            timeout=values["timeout"],
        )
        stored = store(context, path, values.get("name") or filename, "application/octet-stream")
    return {"status": "downloaded", **stored}


@gateway_step("gateway.restore")
def run_restore(client, context, values: dict) -> dict:
    """Upload a ``.gwbk``; the gateway restores it and restarts (optionally waited for)."""
    path = Path(values["file"])
    options = {
        "restoreDisabled": values["restore_disabled"],
        "disableTempProjectBackup": values["disable_temp_project_backup"],
        "renameEnabled": values["rename_enabled"],
        "newName": values.get("new_name"),
    }
    data = path.read_bytes()
    ops.restore(client, data, options=options, timeout=values["timeout"])
    context.log(
        f"Restored {path.name} on {client.base_url}; the gateway restarts. A restore may "
        "wipe API tokens kept in the CORE collection: log in again if later calls get 401."
    )
    if not values["wait_for_ready"]:
        return {"status": "restoring", "projects": None}
    ops.wait_for_ready(client, values["timeout"], after_restart=True)
    return {"status": "restored", "projects": verify_projects(client, context, data)}


def verify_projects(client, context, data: bytes) -> list[str] | None:
    """The backup's projects, each checked on the gateway; ``None`` when the login is gone."""
    wanted = ops.backup_projects(data)
    try:
        present = {p.get("name") for p in content.list_projects(client)}
    except GatewayAuthError as exc:
        context.log(f"Could not check the restored projects: {exc.message}", "warning")
        return None
    missing = [name for name in wanted if name not in present]
    if missing:
        raise GatewayError(
            f"The gateway is RUNNING after the restore, but project(s) {', '.join(missing)} "
            "of the backup are not on it.",
            retryable=False,
        )
    return wanted


@gateway_step("gateway.diagnostics_bundle")
def run_diagnostics(client, context, values: dict) -> dict:
    """Generate, wait until Valid, and store the bundle as a ``download`` artifact."""
    name = values.get("name") or f"diagnostics-{int(time.time())}.zip"
    with downloading(context) as path:
        ops.diagnostics_bundle(client, path, timeout=values["timeout"])
        stored = store(context, path, name, "application/zip")
    return {"status": "downloaded", **stored}
