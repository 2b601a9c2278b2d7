"""Small, bounded HTTP probes of an Ignition gateway: status ping and token check.

No models here: the services of ``gateways`` and ``credentials`` call these and decide what to
store or audit. Every call has a timeout, never follows redirects (an uncommissioned gateway
answers 302 to ``/welcome``) and turns transport failures into a readable message.
"""

import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

import httpx

from apps.core.errors import ApplicationError

STATUS_PING_PATH = "/StatusPing"
GATEWAY_INFO_PATH = "/data/api/v1/gateway-info"
TOKEN_HEADER = "X-Ignition-API-Token"  # noqa: S105 (a header name)
DEFAULT_TIMEOUT_SECONDS = 5.0


@dataclass
class ProbeResult:
    """What a probe found; ``ok`` is the verdict, ``message`` says why in one sentence."""

    ok: bool
    message: str
    state: str = ""
    status_code: int | None = None
    elapsed_ms: int = 0
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def validate_base_url(base_url: str) -> str:
    """Return ``base_url`` without a trailing slash, or raise for anything but http(s)."""
    base_url = (base_url or "").strip().rstrip("/")
    try:
        parts = urlsplit(base_url)
    except ValueError:  # an unclosed "[" of an IPv6 address
        parts = urlsplit("")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ApplicationError(
            f"{base_url or 'An empty URL'!r} is not a gateway URL: "
            "write it like http://gateway.local:8088."
        )
    return base_url


def status_ping(base_url: str, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> ProbeResult:
    """GET ``/StatusPing``: ok when the gateway answers ``{"state": "RUNNING"}``."""
    url = validate_base_url(base_url) + STATUS_PING_PATH
    response, result = _get(url, timeout=timeout)
    if response is None:
        return result
    if response.status_code in {301, 302, 303, 307, 308}:
        location = response.headers.get("location", "")
        return _fail(result, f"{url} redirects to {location or 'another page'}: not a gateway.")
    if response.status_code != 200:
        return _fail(result, f"{url} answered HTTP {response.status_code}, expected 200.")
    state = _json_value(response, "state")
    if state is None:
        return _fail(result, f"{url} did not answer like an Ignition gateway (no JSON state).")
    result.state = str(state)
    details = _json_value(response, "details")
    if details:
        result.details["details"] = str(details)
    if result.state != "RUNNING" or details == "COMMISSIONING":
        suffix = " (commissioning not finished)" if details == "COMMISSIONING" else ""
        return _fail(result, f"The gateway is reachable but {result.state}{suffix}.")
    result.ok = True
    result.message = f"The gateway is RUNNING ({result.elapsed_ms} ms)."
    return result


def gateway_info(
    base_url: str, *, token: str, timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> ProbeResult:
    """GET the 8.3 ``gateway-info`` with an API token: ok when the token may read."""
    url = validate_base_url(base_url) + GATEWAY_INFO_PATH
    response, result = _get(url, timeout=timeout, headers={TOKEN_HEADER: token})
    if response is None:
        return result
    message = _TOKEN_FAILURES.get(response.status_code)
    if message:
        return _fail(result, message)
    if response.status_code != 200:
        return _fail(result, f"{url} answered HTTP {response.status_code}, expected 200.")
    name = _json_value(response, "name")
    version = _json_value(response, "ignitionVersion")
    if name is None and version is None:
        return _fail(result, f"{url} did not answer with gateway information.")
    result.details = {"name": str(name or ""), "ignition_version": str(version or "")}
    result.ok = True
    result.message = f"The API token is accepted by gateway {name or '?'} ({version or '?'})."
    return result


_TOKEN_FAILURES = {
    301: "The gateway redirected the API call: it is not commissioned yet, or this is 8.1.",
    302: "The gateway redirected the API call: it is not commissioned yet, or this is 8.1.",
    401: "The gateway rejected the API token (401): send the whole name:secret value.",
    403: (
        "The API token is known but not allowed (403): give it a security level that "
        "satisfies the gateway read permission, or use HTTPS if it requires secure connections."
    ),
    404: "The gateway has no REST API at this address (404): is it an 8.1 gateway?",
    503: "The gateway is restarting (503): try again when it is RUNNING.",
}


def _get(url: str, *, timeout: float, headers: dict | None = None):
    result = ProbeResult(ok=False, message="")
    started = time.monotonic()
    try:
        response = httpx.get(url, headers=headers, timeout=timeout, follow_redirects=False)
    except httpx.TimeoutException:
        result.message = f"No answer from {url} within {timeout:g} s."
        return None, result
    except httpx.HTTPError as exc:
        result.message = f"Cannot reach {url}: {_reason(exc)}."
        return None, result
    finally:
        result.elapsed_ms = int((time.monotonic() - started) * 1000)
    result.status_code = response.status_code
    return response, result


def _reason(exc: httpx.HTTPError) -> str:
    text = str(exc).strip()
    return text or exc.__class__.__name__


def _json_value(response: httpx.Response, key: str):
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get(key) if isinstance(body, dict) else None


def _fail(result: ProbeResult, message: str) -> ProbeResult:
    result.ok = False
    result.message = message
    return result
