"""gateway.api_request: one call to any gateway API path, for what no step covers."""

import json
from pathlib import Path

from apps.gateways.client import GatewayError
from apps.steps.params import bad
from apps.steps.plugins.gateway.base import gateway_step

MAX_TEXT = 100_000
ALLOWED_HEADERS = ("accept", "content-type")


def _request_body(context, values: dict) -> dict:
    if "json" in values:
        return {"json": values["json"]}
    if "body_file" in values:
        data = Path(values["body_file"]).read_bytes()
        return {"content": data, "headers": {"Content-Type": "application/octet-stream"}}
    return {}


def _headers(values: dict) -> dict:
    headers = {str(k): str(v) for k, v in (values.get("headers") or {}).items()}
    refused = [k for k in headers if k.lower() not in ALLOWED_HEADERS]
    if refused:
        raise bad(
            f"gateway.api_request sets only {', '.join(ALLOWED_HEADERS)} headers; authentication "
            f"comes from gateway.login or the run's credential (refused: {', '.join(refused)})"
        )
    return headers


@gateway_step("gateway.api_request")
def run(client, context, values: dict) -> dict:
    method, path = values["method"], values["path"]
    body = _request_body(context, values)
    headers = {**body.pop("headers", {}), **_headers(values)}
    expected = tuple(values["expected_status"]) if values.get("expected_status") else None
    response = client.api(
        method,
        path,
        params=values.get("query"),
        headers=headers,
        expected=expected,
        timeout=values["timeout"],
        retry=method in ("GET", "HEAD"),
        **body,
    )
    outputs = {
        "status_code": response.status_code,
        "headers": dict(response.headers),
        "json": None,
        "text": None,
        "artifact": None,
    }
    if values.get("save_as"):
        saved = context.save_artifact(
            "download",
            values["save_as"],
            data=response.content,
            content_type=response.headers.get("content-type", ""),
        )
        outputs["artifact"] = saved.name
    if "json" in response.headers.get("content-type", ""):
        try:
            outputs["json"] = response.json()
        except json.JSONDecodeError as exc:
            raise GatewayError(f"{method} {path} answered invalid JSON: {exc}") from exc
    elif not values.get("save_as"):
        outputs["text"] = response.text[:MAX_TEXT]
    return outputs
