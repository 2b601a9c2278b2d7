"""Modules, projects and tags over the 8.3 REST API (spec 1.2, 4.1)."""

import time
from pathlib import Path

from apps.gateways.client.client import GatewayClient, api_path
from apps.gateways.client.errors import (
    GatewayError,
    GatewayTimeoutError,
    GatewayUnsupportedError,
    gateway_message,
    status_error,
)
from apps.gateways.client.operations import POLL_FIRST_S, POLL_MAX_S

PAGE_SIZE = 100
FAILED_STATES = frozenset({"FAILED", "FAULTED", "ERRORED", "ERROR"})
MODULES_81 = (
    "use the browser steps on Config > System > Modules (/web/config/system.modules) instead."
)


def items(body) -> list:
    """The ``items`` of an 8.3 list envelope."""
    return list(body.get("items") or []) if isinstance(body, dict) else list(body or [])


def list_all(client: GatewayClient, path: str, filters: dict | None = None) -> list:
    """Every item of an 8.3 list, page by page (``limit``/``offset``; ``limit=-1`` is not
    something a real gateway is known to honour). ``filters`` are ``field[op]`` query keys."""
    found: list = []
    while True:
        params = {**(filters or {}), "limit": str(PAGE_SIZE), "offset": str(len(found))}
        body = client.api_json("GET", path, params=params)
        page = items(body)
        found += page
        metadata = body.get("metadata") if isinstance(body, dict) else None
        matching = (metadata or {}).get("matching", (metadata or {}).get("total"))
        if len(page) < PAGE_SIZE or matching is None or len(found) >= int(matching):
            return found


# Modules ---------------------------------------------------------------------------------------
def list_modules(client: GatewayClient, module_id: str | None = None) -> list[dict]:
    """``modules/healthy``, all of it or only ``module_id`` (``id[eq]=``)."""
    client.require_rest("list modules", MODULES_81)
    return list_all(client, "modules/healthy", {"id[eq]": module_id} if module_id else None)


def install_module(client: GatewayClient, data: bytes, filename: str) -> dict:
    """Upload a ``.modl``, accept its certificate and licence, install it (restart follows)."""
    client.require_rest("install modules", MODULES_81)
    upload = client.api_json(
        "POST",
        "modules/upload",
        params={"fileName": filename},
        content=data,
        headers={"Content-Type": "application/octet-stream"},
        retry=False,
        timeout=120,
    )
    module_id = upload.get("moduleId", "")
    query = {"moduleId": module_id}
    if upload.get("containsCert") and not upload.get("certAccepted"):
        client.api("POST", "modules/certificate", params=query, expected=(200, 201, 204, 409))
    if upload.get("containsEula") and not upload.get("licenseAccepted"):
        client.api("POST", "modules/eula", params=query, expected=(200, 201, 204, 409))
    client.api("POST", "modules/install", params=query, retry=False)
    return {"module_id": module_id, "restart_required": True}


def find_module(modules: list[dict], wanted: str) -> dict | None:
    wanted = wanted.casefold()
    return next(
        (
            m
            for m in modules
            if wanted in (str(m.get("name")).casefold(), str(m.get("id")).casefold())
        ),
        None,
    )


def wait_for_module(client: GatewayClient, wanted: str, timeout: float) -> dict:
    """Poll the module list until ``wanted`` (name or id) is ACTIVE; fail on a failed state."""
    deadline, interval, seen = time.monotonic() + timeout, POLL_FIRST_S, "not installed"
    while True:
        module = find_module(list_modules(client), wanted)
        if module is not None:
            seen = str(module.get("state", "?"))
            if seen == "ACTIVE" and not module.get("shouldUpgrade"):
                return module
            if seen.upper() in FAILED_STATES:
                raise GatewayError(f"Module '{wanted}' is in state {seen}.", retryable=False)
            if module.get("shouldUpgrade"):
                seen += ", upgrade waiting for a restart"
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise GatewayTimeoutError(
                f"Module '{wanted}' was not running after {timeout:g} s (last state: {seen}); "
                "a newly installed module runs only after a gateway restart."
            )
        client.http.sleep(min(interval, remaining))
        interval = min(interval * 1.5, POLL_MAX_S)


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
