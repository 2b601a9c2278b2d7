"""gateway.export_tags and gateway.import_tags (8.3 REST API)."""

import json
from pathlib import Path

from apps.gateways.client import GatewayError, content
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


def _top_names(data: bytes) -> list[str] | None:
    try:
        tree = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    tags = tree.get("tags") if isinstance(tree, dict) else None
    return [str(t["name"]) for t in tags or [] if isinstance(t, dict) and t.get("name")]


def verify_imported(client, values: dict, names: list[str]) -> None:
    """Read the folder back: every top-level tag of the file must be there now."""
    params = {"provider": values["provider"], "type": "json", "path": values["path"]}
    params["recursive"] = "false"
    there = {t.get("name") for t in json.loads(content.export_tags(client, params)).get("tags", [])}
    missing = [name for name in names if name not in there]
    if missing:
        where = f"[{values['provider']}]{values['path']}"
        raise GatewayError(
            f"The gateway reported the tag import as done, but {', '.join(missing[:5])} "
            f"{'is' if len(missing) == 1 else 'are'} not in {where} afterwards.",
            retryable=False,
        )


@gateway_step("gateway.import_tags")
def run_import(client, context, values: dict) -> dict:
    """Import, fail on refused tags (a 200 with failures), then check the tags are there."""
    path = Path(values["file"])
    data = path.read_bytes()
    params = {
        "provider": values["provider"],
        "type": values["format"],
        "collisionPolicy": values["collision_policy"],
        "path": values["path"],
    }
    answer = content.import_tags(client, data, params)
    names = _top_names(data) if values["format"] == "json" else None
    if names:
        verify_imported(client, values, names)
        context.log(f"Imported {len(names)} top-level tag(s) from {path.name}; all present.")
    else:
        context.log(f"Imported {path.name}; only JSON imports are read back.")
    return {"status": "imported", "response": answer}
