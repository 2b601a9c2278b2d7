"""gateway.ping, get_info, get_health, wait_for_ready and restart."""

from apps.gateways.client import GatewayError
from apps.gateways.client import operations as ops
from apps.steps.plugins.gateway.base import gateway_step

MB = 1024 * 1024


@gateway_step("gateway.ping")
def run(client, context, values: dict) -> dict:
    """Never fails: ``response`` says whether /StatusPing answered."""
    try:
        body = client.status_ping(retry=False)
    except GatewayError as exc:
        context.check()
        context.log(f"Gateway ping failed: {exc.message}", "warning")
        return {"status": "unreachable", "response": False, "state": None}
    return {"status": "ok", "response": True, "state": body.get("state")}


def _gwinfo_summary(gwinfo: dict) -> dict:
    return {
        "name": gwinfo.get("PlatformName"),
        "version": gwinfo.get("Version"),
        "edition": gwinfo.get("PlatformEdition"),
        "state": gwinfo.get("ContextStatus"),
        "redundancy": gwinfo.get("RedundancyStatus"),
        "gwinfo": gwinfo,
    }


@gateway_step("gateway.get_info")
def run_get_info(client, context, values: dict) -> dict:
    """``/system/gwinfo`` (both versions) plus ``gateway-info`` on 8.3 when authenticated."""
    info = _gwinfo_summary(client.gwinfo())
    if client.is_81 or client.mode == "none":
        return {"info": info}
    details = client.api_json("GET", "gateway-info")
    license_info = details.get("license") or {}
    info.update(
        name=details.get("name", info["name"]),
        version=details.get("ignitionVersion", info["version"]),
        edition=details.get("edition", info["edition"]),
        license_mode=license_info.get("mode"),
        gateway_info=details,
    )
    return {"info": info}


@gateway_step("gateway.get_health")
def run_get_health(client, context, values: dict) -> dict:
    """StatusPing plus, on 8.3 with a login, the overview's uptime, memory and CPU."""
    state = ops.ping_state(client)
    health = {"healthy": state == ops.RUNNING, "state": state}
    if state == ops.RUNNING and not client.is_81 and client.mode != "none":
        overview = client.api_json("GET", "overview")
        memory = overview.get("memory") or [None, None]
        health.update(
            uptime_seconds=round((overview.get("uptime") or 0) / 1000),
            memory_used_mb=round(memory[0] / MB) if memory[0] is not None else None,
            memory_max_mb=round(memory[1] / MB) if memory[1] is not None else None,
            cpu_percent=round(float(overview.get("cpu") or 0) * 100, 1),
        )
    return {"health": health}


@gateway_step("gateway.wait_for_ready")
def run_wait_for_ready(client, context, values: dict) -> dict:
    waited = ops.wait_for_ready(client, values["timeout"])
    return {"status": "ready", "waited_s": waited["waited_s"]}


@gateway_step("gateway.restart")
def run_restart(client, context, values: dict) -> dict:
    result = ops.restart(client, wait=values["wait_for_ready"], timeout=values["timeout"])
    context.log(f"Gateway {client.base_url}: {result['status']}.")
    return {"status": result["status"]}
