"""Errors of the gateway client, each with a message fit to show a user as is."""

import html
import json
import re

import httpx

_JETTY_MESSAGE = re.compile(r"<th>MESSAGE:</th>\s*<td>(.*?)</td>", re.S | re.I)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")
MAX_MESSAGE = 300
# 8.3 gateways answer a missing login with 401 or 403 depending on the version, and 403 also
# means "not allowed": the message names both causes.
AUTH_CAUSES = (
    "either no valid login: a missing, malformed or unknown API token, wrong credentials or an "
    "expired web session; or the user or API token lacks the permission, or the token "
    "requires HTTPS"
)


class GatewayError(Exception):
    """A gateway call failed; ``retryable`` says whether trying again later may help."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        path: str = "",
        retryable: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.path = path
        self.retryable = retryable


class GatewayAuthError(GatewayError):
    """Not logged in, bad credentials, or a token without the needed permission."""


class GatewayUnsupportedError(GatewayError):
    """The gateway's version has no interface for the operation (8.1 has no REST API)."""


class GatewayTimeoutError(GatewayError):
    """A wait (ready, module running) did not finish in time."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


def gateway_message(response: httpx.Response) -> str:
    """The gateway's own explanation in an error response, whatever its body format."""
    content_type = response.headers.get("content-type", "")
    text = response.text
    if "json" in content_type:
        try:
            return _json_message(json.loads(text)) or text[:MAX_MESSAGE]
        except ValueError:
            return text[:MAX_MESSAGE]
    if "html" in content_type:
        match = _JETTY_MESSAGE.search(text) or _TITLE.search(text)
        text = _TAGS.sub(" ", match.group(1) if match else text)
        text = html.unescape(text)
    return " ".join(text.split())[:MAX_MESSAGE]


def _json_message(body) -> str:
    if not isinstance(body, dict):
        return ""
    if body.get("message"):
        return str(body["message"])
    if body.get("messages"):
        return "; ".join(str(m) for m in body["messages"])
    problem = body.get("problem")
    if isinstance(problem, dict) and problem.get("message"):
        return str(problem["message"])
    return ""


def status_error(method: str, path: str, response: httpx.Response) -> GatewayError:
    """The error for an unexpected HTTP status, naming the call, the status and the reason."""
    status = response.status_code
    reason = gateway_message(response) or response.reason_phrase
    message = f"{method} {path} answered HTTP {status}: {reason}"
    if status in (401, 403):
        return GatewayAuthError(f"{message} ({AUTH_CAUSES})", status_code=status, path=path)
    if status in (302, 303, 307) and "/welcome" in response.headers.get("location", ""):
        message = f"{method} {path}: the gateway is not commissioned yet (redirects to /welcome)"
    return GatewayError(
        message, status_code=status, path=path, retryable=status in (429, 502, 503, 504)
    )
