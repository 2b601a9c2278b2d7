"""Gateway lifecycle operations: readiness, restart, backup/restore, trial (spec 4.1).

Waits poll ``/StatusPing`` through the client's bound ``sleep`` (cancellable in steps), first
quickly and then every ``POLL_MAX_S`` seconds.
"""

import io
import re
import time
import zipfile
from pathlib import Path

from apps.gateways.client.client import PROBE_TIMEOUT_S, GatewayClient
from apps.gateways.client.errors import GatewayError, GatewayTimeoutError

RUNNING = "RUNNING"
POLL_FIRST_S, POLL_MAX_S = 0.05, 2.0
# How long a restart may stay invisible (StatusPing always RUNNING) before it counts as done.
RESTART_SETTLE_S = 20.0
_FILENAME = re.compile(r'filename="?([^";]+)"?')
_COUNTDOWN = re.compile(r'class="countdown"[^>]*>\s*(\d+):(\d\d):(\d\d)')
_RESET_ANCHOR = re.compile(r'<a[^>]*id="reset-trial-anchor"[^>]*href="([^"]+)"[^>]*>([^<]*)<')
NO_RESTART_81 = (
    "restart the gateway with `gwcmd -r` on its host, or restart its service or container."
)


def ping_state(client: GatewayClient) -> str:
    """The gateway's state as StatusPing tells it, or why there was no usable answer."""
    try:
        body = client.status_ping(timeout=PROBE_TIMEOUT_S / 2, retry=False)
    except GatewayError as exc:
        return f"no answer ({exc.message})"
    state = str(body.get("state", "?"))
    return f"{state} ({body['details']})" if body.get("details") else state


def wait_for_ready(client: GatewayClient, timeout: float, *, after_restart: bool = False) -> dict:
    """Poll until StatusPing says RUNNING; after a restart, first wait to see it go down."""
    started = time.monotonic()
    deadline, interval = started + timeout, POLL_FIRST_S
    seen_down, polls = not after_restart, 0
    while True:
        state, polls = ping_state(client), polls + 1
        now = time.monotonic()
        if state == RUNNING and (seen_down or now - started > RESTART_SETTLE_S):
            return {"state": state, "waited_s": round(now - started, 3), "polls": polls}
        seen_down = seen_down or state != RUNNING
        if now >= deadline:
            raise GatewayTimeoutError(
                f"The gateway was not ready after {timeout:g} s (last state: {state})."
            )
        client.http.sleep(max(0.0, min(interval, deadline - now)))
        interval = min(interval * 1.5, POLL_MAX_S)


def restart(client: GatewayClient, *, wait: bool, timeout: float) -> dict:
    """``POST restart-tasks/restart?confirm=true`` (answers ``true``), optionally wait."""
    client.require_rest("restart the gateway", NO_RESTART_81)
    client.api("POST", "restart-tasks/restart", params={"confirm": "true"})
    if not wait:
        return {"status": "restarting"}
    return {"status": "restarted", **wait_for_ready(client, timeout, after_restart=True)}


def backup(client: GatewayClient, target: Path, *, kind: str | None, peer: bool, timeout: float):
    """Stream ``GET /backup`` into ``target``; return the gateway's file name and the size."""
    client.require_rest(
        "download a backup",
        "use the browser steps on Config > System > Backup/Restore (Download Backup).",
    )
    params = {"includePeerLocal": str(peer).lower()}
    if kind:
        params["type"] = kind
    response = client.download("backup", target, params=params, timeout=timeout)
    match = _FILENAME.search(response.headers.get("content-disposition", ""))
    return (match.group(1) if match else "gateway.gwbk"), target.stat().st_size


def restore(client: GatewayClient, data: bytes, *, options: dict, timeout: float) -> dict:
    """``POST /backup`` with the raw ``.gwbk``; the gateway restores it and restarts."""
    client.require_rest(
        "restore a backup",
        "use `gwcmd --restore <file>` on its host or the browser steps on Backup/Restore.",
    )
    params = {key: str(value).lower() for key, value in options.items() if value is not None}
    client.api(
        "POST",
        "backup",
        params=params,
        content=data,
        headers={"Content-Type": "application/octet-stream"},
        timeout=timeout,
        retry=False,
    )
    return {"status": "restored"}


def backup_projects(data: bytes) -> list[str]:
    """Names of the projects inside a ``.gwbk`` (``projects/<name>/project.json``)."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return []
    parts = (name.split("/") for name in names)
    return sorted(
        {p[1] for p in parts if len(p) == 3 and p[0] == "projects" and p[2] == "project.json"}
    )


def trial_status(client: GatewayClient) -> dict:
    """Licence mode and trial time: ``GET /trial`` (8.3) or the home page countdown (8.1)."""
    if not client.is_81:
        body = client.api_json("GET", "trial")
        return {
            "license_mode": body.get("licenseMode"),
            "trial_state": body.get("trialState"),
            "trial_seconds_left": body.get("trialSecondsLeft"),
            "expired": bool(body.get("expired")),
        }
    page = client.http.request("GET", "/web/home").text
    match = _COUNTDOWN.search(page)
    if match is None:
        return {
            "license_mode": "Licensed",
            "trial_state": None,
            "trial_seconds_left": None,
            "expired": False,
        }
    hours, minutes, seconds = (int(group) for group in match.groups())
    left = hours * 3600 + minutes * 60 + seconds
    return {
        "license_mode": "Trial",
        "trial_state": None,
        "trial_seconds_left": left,
        "expired": left == 0,
    }


def reset_trial(client: GatewayClient) -> dict:
    """Reset an expired trial through a logged-in web session (tokens are refused)."""
    if client.is_81:
        page = client.http.request("GET", "/web/home").text
        anchor = _RESET_ANCHOR.search(page)
        usable = anchor is not None and anchor.group(2).strip() == "Reset Trial"
        if not usable or "login" in anchor.group(1):
            raise GatewayError(
                "The 8.1 home page shows no 'Reset Trial' link for this user: it needs a "
                "logged-in user with the Administrator role, or the gateway is licensed.",
                retryable=False,
            )
        client.http.request("GET", anchor.group(1).replace("&amp;", "&"))
        return _trial_running(client)
    response = client.api("POST", "trial", expected=(200, 403), retry=False)
    if response.status_code == 403:
        raise GatewayError(
            "The gateway refused to reset the trial (HTTP 403): Ignition only allows it once "
            "the trial expired, and only from a web session of an administrator.",
            status_code=403,
            path="/data/api/v1/trial",
        )
    return _trial_running(client)


def _trial_running(client: GatewayClient) -> dict:
    """Read the trial back after a reset: it must run again."""
    after = trial_status(client)
    if after["expired"] or not after["trial_seconds_left"]:
        raise GatewayError(
            "The gateway accepted the trial reset, but the trial still reads as expired "
            f"({after['trial_seconds_left']} s left).",
            retryable=False,
        )
    return after


def diagnostics_bundle(client: GatewayClient, target: Path, *, timeout: float) -> dict:
    """Generate a diagnostics bundle, wait until it is Valid, stream it into ``target``.

    The gateway's status goes Invalid (no bundle) → Generating → Valid (with ``fileSize``);
    the download must have that size.
    """
    client.require_rest("build a diagnostics bundle", "use the web UI's Diagnostics pages.")
    client.api("POST", "diagnostics/bundle/generate", retry=False)
    status = _wait_for_bundle(client, timeout)
    client.download("diagnostics/bundle/download", target, timeout=timeout)
    size, announced = target.stat().st_size, status.get("fileSize")
    if announced is not None and int(announced) != size:
        raise GatewayError(
            f"The diagnostics bundle download has {size} bytes; the gateway announced "
            f"{announced}: the download was cut short, try again.",
            retryable=True,
        )
    return {"state": status.get("state"), "size_bytes": size}


def _wait_for_bundle(client: GatewayClient, timeout: float) -> dict:
    deadline, interval, state = time.monotonic() + timeout, POLL_FIRST_S, "?"
    while True:
        status = client.api_json("GET", "diagnostics/bundle/status")
        state = str(status.get("state"))
        if state == "Valid":
            return status
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise GatewayTimeoutError(
                f"The diagnostics bundle was not ready after {timeout:g} s (state: {state})."
            )
        client.http.sleep(min(interval, remaining))
        interval = min(interval * 1.5, POLL_MAX_S)
