"""Modules over the 8.3 REST API: install (with the checks a real gateway needs), wait, remove.

A real 8.3 gateway answers ``modules/install`` with success also for an unsigned module, and
then keeps it in ``modules/quarantined``; so every install reads the lists back and fails
with what to do instead of reporting an install that will never run.
"""

import io
import re
import time
import zipfile

from apps.gateways.client.client import GatewayClient
from apps.gateways.client.errors import GatewayError, GatewayTimeoutError
from apps.gateways.client.lists import list_all
from apps.gateways.client.operations import POLL_FIRST_S, POLL_MAX_S

FAILED_STATES = frozenset({"FAILED", "FAULTED", "ERRORED", "ERROR"})
MODULES_81 = (
    "use the browser steps on Config > System > Modules (/web/config/system.modules) instead."
)
_VERSION = re.compile(r"<module>.*?<version>\s*([^<]+?)\s*</version>", re.S)
QUARANTINE_ADVICE = (
    "The gateway quarantined module {id} (modules/quarantined): it is unsigned or its "
    "certificate is not trusted, so it will not run. Install a signed build of the module, or "
    "start the gateway with -Dignition.allowunsignedmodules=true and install it again, or "
    "accept it on the gateway's Modules page (Quarantined)."
)


def modl_version(data: bytes) -> str | None:
    """The ``<module><version>`` of a ``.modl`` (``None`` when it cannot be read)."""
    try:
        xml = zipfile.ZipFile(io.BytesIO(data)).read("module.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError):
        return None
    match = _VERSION.search(xml)
    return match.group(1) if match else None


def bare_version(version) -> str:
    """``1.3.5 (b2026021307)`` → ``1.3.5``: the gateway adds the build stamp."""
    return str(version or "").split(" (")[0].strip()


def list_modules(client: GatewayClient, module_id: str | None = None) -> list[dict]:
    """``modules/healthy``, all of it or only ``module_id`` (``id[eq]=``)."""
    client.require_rest("list modules", MODULES_81)
    return list_all(client, "modules/healthy", {"id[eq]": module_id} if module_id else None)


def quarantined(client: GatewayClient, module_id: str) -> bool:
    return bool(list_all(client, "modules/quarantined", {"id[eq]": module_id}))


def install_module(client: GatewayClient, data: bytes, filename: str) -> dict:
    """Upload a ``.modl``, accept its certificate and licence, install it, and check the
    gateway now lists it (the new version, or an upgrade waiting for the restart)."""
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
    version = modl_version(data)
    verify_installed(client, module_id, version)
    return {"module_id": module_id, "version": version, "restart_required": True}


def verify_installed(client: GatewayClient, module_id: str, version: str | None) -> None:
    if quarantined(client, module_id):
        raise GatewayError(QUARANTINE_ADVICE.format(id=module_id), retryable=False)
    listed = next(iter(list_modules(client, module_id)), None)
    if listed is None:
        raise GatewayError(
            f"The gateway answered that module {module_id} was installed, but it is in "
            "neither modules/healthy nor modules/quarantined.",
            retryable=False,
        )
    fresh = version is None or bare_version(listed.get("version")) == version
    if not (fresh or listed.get("shouldUpgrade")):
        raise GatewayError(
            f"After installing {module_id} {version}, the gateway lists version "
            f"{listed.get('version')} with no upgrade waiting for a restart.",
            retryable=False,
        )


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


def _running(module: dict, version: str | None) -> bool:
    same = version is None or bare_version(module.get("version")) == version
    return module.get("state") == "ACTIVE" and not module.get("shouldUpgrade") and same


def wait_for_module(
    client: GatewayClient, wanted: str, timeout: float, version: str | None = None
) -> dict:
    """Poll until ``wanted`` (name or id) is ACTIVE (with ``version`` if given); fail at once
    on a failed state or a quarantined module."""
    deadline, interval, seen = time.monotonic() + timeout, POLL_FIRST_S, "not installed"
    while True:
        module = find_module(list_modules(client), wanted)
        if module is not None and _running(module, version):
            return module
        seen = _last_state(client, module, wanted)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise GatewayTimeoutError(
                f"Module '{wanted}' was not running after {timeout:g} s (last state: {seen}); "
                "a newly installed module runs only after a gateway restart."
            )
        client.http.sleep(min(interval, remaining))
        interval = min(interval * 1.5, POLL_MAX_S)


def _last_state(client: GatewayClient, module: dict | None, wanted: str) -> str:
    if module is None:
        if "." in wanted and quarantined(client, wanted):
            raise GatewayError(QUARANTINE_ADVICE.format(id=wanted), retryable=False)
        return "not installed"
    seen = str(module.get("state", "?"))
    if seen.upper() in FAILED_STATES:
        raise GatewayError(f"Module '{wanted}' is in state {seen}.", retryable=False)
    if module.get("shouldUpgrade"):
        return f"{seen}, upgrade waiting for a restart"
    return f"{seen}, version {module.get('version')}"


def uninstall_module(client: GatewayClient, module_id: str) -> None:
    """``DELETE modules/uninstall``; the module goes at the next restart."""
    client.require_rest("uninstall modules", MODULES_81)
    if not list_modules(client, module_id):
        raise GatewayError(
            f"Module {module_id} is not installed on the gateway (modules/healthy).",
            retryable=False,
        )
    client.api("DELETE", "modules/uninstall", params={"moduleId": module_id}, retry=False)


def verify_uninstalled(client: GatewayClient, module_id: str) -> None:
    left = list_modules(client, module_id)
    if left:
        raise GatewayError(
            f"Module {module_id} is still installed after the restart (state "
            f"{left[0].get('state')}, version {left[0].get('version')}).",
            retryable=False,
        )
