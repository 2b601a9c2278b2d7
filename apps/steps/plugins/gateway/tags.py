"""gateway.export_tags and gateway.import_tags (8.3 REST API)."""

import json
from pathlib import Path

from apps.gateways.client import content
from apps.steps.plugins.gateway.base import gateway_step


def count_tags(tree) -> int:
    """How many tags (folders, UDTs and atomic tags) a JSON tag export holds."""
    children = tree.get("tags") if isinstance(tree, dict) else None
    return sum(1 + count_tags(child) for child in children or [])


@gateway_step("gateway.export_tags")
def run(client, context, values: dict) -> dict:
    fmt = values["format"]
    params = {
        "provider": values["provider"],
        "type": fmt,
        "path": values["path"],
        "recursive": str(values["recursive"]).lower(),
        "includeUdts": str(values["include_udts"]).lower(),
    }
    data = content.export_tags(client, params)
    tags = count_tags(json.loads(data)) if fmt == "json" else None
    name = values.get("name") or f"tags-{values['provider']}.{fmt}"
    artifact = context.save_artifact("download", name, data=data, content_type=f"application/{fmt}")
    return {"status": "exported", "artifact": artifact.name, "tags": tags}


@gateway_step("gateway.import_tags")
def run_import(client, context, values: dict) -> dict:
    path = Path(values["file"])
    params = {
        "provider": values["provider"],
        "type": values["format"],
        "collisionPolicy": values["collision_policy"],
        "path": values["path"],
    }
    answer = content.import_tags(client, path.read_bytes(), params)
    return {"status": "imported", "response": answer}
