"""Modules, projects and tags over the 8.3 REST API (spec 1.2, 4.1)."""

from pathlib import Path

from apps.gateways.client.client import GatewayClient, api_path
from apps.gateways.client.errors import (
    GatewayError,
    GatewayUnsupportedError,
    gateway_message,
    status_error,
)
from apps.gateways.client.lists import PAGE_SIZE, items, list_all  # noqa: F401 - re-exported
from apps.gateways.client.modules import (  # noqa: F401 - re-exported
    find_module,
    install_module,
    list_modules,
    wait_for_module,
)


# Projects --------------------------------------------------------------------------------------
def list_projects(client: GatewayClient) -> list[dict]:
    client.require_rest("list projects", "use the Designer or the browser steps instead.")
    return list_all(client, "projects/list")


def get_project(client: GatewayClient, name: str) -> dict:
    client.require_rest("read projects", "use the Designer or the browser steps instead.")
    response = client.api("GET", f"projects/find/{name}", expected=(200, 404))
    if response.status_code == 404:
        raise GatewayError(
            f"Project '{name}' does not exist on the gateway.", status_code=404, retryable=False
        )
    return response.json()


def export_project(client: GatewayClient, name: str, target: Path, timeout: float) -> str:
    client.require_rest("export projects", "export it from the Designer instead.")
    response = client.download(f"projects/export/{name}", target, timeout=timeout)
    return response.headers.get("content-type", "application/zip")


def import_project(
    client: GatewayClient, name: str, data: bytes, *, overwrite: bool, timeout: float
) -> dict:
    client.require_rest("import projects", "import it from the Designer or the web UI instead.")
    return client.api_json(
        "POST",
        f"projects/import/{name}",
        params={"overwrite": str(overwrite).lower()},
        content=data,
        headers={"Content-Type": "application/zip"},
        timeout=timeout,
        retry=False,
    )


# Tags ------------------------------------------------------------------------------------------
TAGS_ELSEWHERE = "use the Designer's Tag Browser instead"
SHOWN_FAILURES = 3


def _tag_call(client: GatewayClient, method: str, path: str, **kwargs):
    """A tags/* call; a 404 "No route" means the gateway's version has no tag API (8.3.0)."""
    client.require_rest("export or import tags", f"{TAGS_ELSEWHERE}.")
    response = client.api(method, path, expected=tuple(range(200, 300)) + (404,), **kwargs)
    if response.status_code == 404 and "No route" in gateway_message(response):
        version = client.gwinfo().get("Version") or "this version"
        raise GatewayUnsupportedError(
            f"Ignition {version} has no tag export/import API ({method} {api_path(path)} "
            f"answered 404); it exists on later 8.3 releases (8.3.9 has it): upgrade the "
            f"gateway or {TAGS_ELSEWHERE}.",
            status_code=404,
            path=api_path(path),
        )
    if response.status_code == 404:
        raise status_error(method, api_path(path), response)
    return response


def export_tags(client: GatewayClient, params: dict) -> bytes:
    """``tags/export``: the provider as ``{path, tags}``, or the node a ``path`` names."""
    return _tag_call(client, "GET", "tags/export", params=params).content


def _failure_text(failure) -> str:
    if isinstance(failure, dict):
        where = failure.get("path") or failure.get("name") or ""
        why = failure.get("message") or failure.get("reason") or ""
        return ": ".join(str(p) for p in (where, why) if p) or str(failure)
    return str(failure)


def import_tags(client: GatewayClient, data: bytes, params: dict) -> dict:
    """``tags/import`` with the file as octet-stream (the gateway reads it by ``type``).

    A refused tag (a collision under the Abort policy) still answers 200, with
    ``failureCount > 0``: that fails here, naming the first failures.
    """
    response = _tag_call(
        client,
        "POST",
        "tags/import",
        params=params,
        content=data,
        headers={"Content-Type": "application/octet-stream"},
        retry=False,
    )
    try:
        answer = response.json()
    except ValueError:
        return {"text": response.text}
    failed = int(answer.get("failureCount") or 0) if isinstance(answer, dict) else 0
    if failed:
        shown = [_failure_text(f) for f in (answer.get("failures") or [])[:SHOWN_FAILURES]]
        more = f" (and {failed - len(shown)} more)" if failed > len(shown) else ""
        raise GatewayError(
            f"The gateway imported {answer.get('successCount', 0)} tag(s) and refused "
            f"{failed}: {'; '.join(shown)}{more}. Choose another collisionPolicy (Overwrite, "
            "MergeOverwrite, Rename or Ignore) or remove the clashing tags.",
            retryable=False,
        )
    return answer
