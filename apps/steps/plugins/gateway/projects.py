"""gateway.list_projects, get_project, export_project and import_project (8.3 REST API)."""

from pathlib import Path

from apps.gateways.client import GatewayError, content
from apps.steps.plugins.gateway.base import gateway_step
from apps.steps.plugins.gateway.files import downloading, store

FIELDS = ("name", "title", "enabled", "description", "parent", "inheritable")


@gateway_step("gateway.list_projects")
def run(client, context, values: dict) -> dict:
    projects = [{key: p.get(key) for key in FIELDS} for p in content.list_projects(client)]
    return {"projects": projects, "count": len(projects)}


@gateway_step("gateway.get_project")
def run_get(client, context, values: dict) -> dict:
    return {"project": content.get_project(client, values["project_name"])}


@gateway_step("gateway.export_project")
def run_export(client, context, values: dict) -> dict:
    name = values["project_name"]
    with downloading(context) as path:
        content_type = content.export_project(client, name, path, values["timeout"])
        stored = store(context, path, values.get("name") or f"{name}.zip", content_type)
    return {"status": "exported", **stored}


@gateway_step("gateway.import_project")
def run_import(client, context, values: dict) -> dict:
    path, name = Path(values["file"]), values["project_name"]
    answer = content.import_project(
        client,
        name,
        path.read_bytes(),
        overwrite=values["overwrite"],
        timeout=values["timeout"],
    )
    if answer.get("success") is False:
        raise GatewayError(f"The gateway refused to import project '{name}': {answer}")
    try:
        content.get_project(client, name)
    except GatewayError as exc:
        raise GatewayError(
            f"The gateway acknowledged the import of project '{name}', but reading it back "
            f"failed: {exc.message}",
            retryable=False,
        ) from exc
    context.log(f"Imported {path.name} as project '{name}' and found it on the gateway.")
    return {"status": "imported", "project_name": name}
