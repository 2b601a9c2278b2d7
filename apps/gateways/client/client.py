"""``GatewayClient``: one gateway, its login, and authenticated REST calls (8.3 ``/data/api/v1``).

No ORM or settings here: the caller passes the URL, credentials and limits. Operations built on
these calls (restart, backups, modules, ...) live in ``operations.py`` and ``content.py``.
"""

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from apps.gateways.client import auth
from apps.gateways.client.errors import (
    GatewayAuthError,
    GatewayError,
    GatewayUnsupportedError,
    status_error,
)
from apps.gateways.client.http import Http

API = "/data/api/v1"
READ_METHODS = frozenset({"GET", "HEAD"})
PROBE_TIMEOUT_S = 10.0


def api_path(path: str) -> str:
    """``gateway-info`` → ``/data/api/v1/gateway-info``; a leading ``/`` keeps the path as is."""
    return path if path.startswith("/") else f"{API}/{path}"


class GatewayClient:
    """A gateway at ``base_url``: token or web-session auth, version detection, REST calls.

    ``token`` is an 8.3 API key (``name:secret``). ``username``/``password`` log in through the
    web UI on first need and again when the session expired (a restart drops sessions).
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        version: str | None = None,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        bearer: bool = False,
    ) -> None:
        self.http = Http(base_url, timeout=timeout, retries=retries, backoff=backoff)
        self.base_url = self.http.base_url
        self._version = version
        self.token: str | None = None
        self.bearer = bearer
        self.username, self.password = username, password
        self.session_open = False
        self.csrf = ""
        if token:
            self.use_token(token)

    # Lifecycle ---------------------------------------------------------------------------------
    def bind(
        self, *, sleep: Callable[[float], None] | None, check: Callable[[], None] | None
    ) -> "GatewayClient":
        """Make waits and calls cancellable by the current step (``context.sleep``/``check``)."""
        self.http.sleep = sleep or time.sleep
        self.http.check = check
        return self

    def abort(self) -> None:
        self.http.abort()

    def close(self) -> None:
        self.http.close()

    # Version -----------------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """``8.1`` or ``8.3``, from ``/system/gwinfo`` (asked once)."""
        if self._version is None:
            full = self.gwinfo().get("Version", "")
            self._version = "8.1" if full.startswith(("8.0", "8.1", "7.")) else "8.3"
        return self._version

    @property
    def is_81(self) -> bool:
        return self.version == "8.1"

    def require_rest(self, what: str, instead: str) -> None:
        """Raise a clear error on 8.1, which has no REST API for ``what``."""
        if self.is_81:
            raise GatewayUnsupportedError(
                f"Ignition 8.1 has no REST API to {what}; {instead}", retryable=False
            )

    # Unauthenticated probes ------------------------------------------------------------------
    def status_ping(self, *, timeout: float = PROBE_TIMEOUT_S, retry: bool = True) -> dict:
        """``/StatusPing`` as a dict (``{"state": "RUNNING"}`` when up)."""
        response = self.http.request("GET", "/StatusPing", timeout=timeout, retry=retry)
        if response.status_code != 200:
            raise status_error("GET", "/StatusPing", response)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise GatewayError(f"GET /StatusPing did not answer JSON: {response.text[:100]!r}")
        return body

    def gwinfo(self) -> dict[str, str]:
        """``/system/gwinfo``: a ``Key=Value;`` line (not JSON), as a dict."""
        response = self.http.request("GET", "/system/gwinfo", timeout=PROBE_TIMEOUT_S)
        if response.status_code != 200:
            raise status_error("GET", "/system/gwinfo", response)
        pairs = (item.partition("=") for item in response.text.strip().split(";"))
        return {key.strip(): value.strip() for key, _, value in pairs if key.strip()}

    # Authentication ----------------------------------------------------------------------------
    def use_token(self, token: str) -> None:
        self.http.headers.update(auth.token_headers(token, bearer=self.bearer))
        self.token = token

    def login(self, username: str, password: str) -> str:
        """Open a web session (8.3 IdP or 8.1 form); remember the credentials for re-login."""
        self.username, self.password = username, password
        self.token = None
        self.http.headers.clear()
        self.http.clear_cookies()
        if self.is_81:
            auth.web_login_81(self.http, username, password)
        else:
            self.csrf = auth.idp_login(self.http, username, password)
        self.session_open = True
        return "session"

    def logout(self) -> str:
        """Forget the session, credentials and token; return what that means at the gateway.

        No logout route of Ignition is known (8.3's ``/data/app/logout`` and 8.1's
        ``/web/logout`` are not evidenced), so this is local only: the gateway's web session
        ends when it expires there.
        """
        self.http.clear_cookies()
        self.http.headers.clear()
        self.token = self.username = self.password = None
        self.session_open, self.csrf = False, ""
        return (
            "Forgot the login here (best effort: Ignition has no known logout route, so a web "
            "session ends on the gateway only when it expires)."
        )

    @property
    def mode(self) -> str:
        """``token``, ``session`` or ``none``: how REST calls authenticate."""
        if self.token:
            return "token"
        return "session" if self.session_open or self.username else "none"

    # REST --------------------------------------------------------------------------------------
    def api(
        self,
        method: str,
        path: str,
        *,
        expected: tuple[int, ...] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send an authenticated request; raise for a status outside ``expected`` (any 2xx)."""
        method, full = method.upper(), api_path(path)
        if full.startswith("/data/api/"):
            self.require_rest(
                f"call {full}", "use the browser steps against its web UI (/web/...) instead."
            )
        extra = kwargs.pop("headers", None) or {}
        response = self._authenticated(
            lambda auth_headers: self.http.request(
                method, full, headers={**extra, **auth_headers}, **kwargs
            ),
            method,
        )
        ok = response.status_code in expected if expected else response.is_success
        if not ok:
            raise status_error(method, full, response)
        return response

    def api_json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.api(method, path, **kwargs)
        try:
            return response.json()
        except ValueError as exc:
            raise GatewayError(
                f"{method} {api_path(path)} did not answer JSON: {response.text[:200]!r}"
            ) from exc

    def download(self, path: str, target: Path, **kwargs: Any) -> httpx.Response:
        """Stream an authenticated GET into ``target`` (backups, exports)."""
        full = api_path(path)
        self.require_rest(f"download {full}", "use the browser steps against its web UI.")

        return self._authenticated(
            lambda _headers: self.http.download(full, target, **kwargs), "GET", raises=True
        )

    def _authenticated(self, send, method: str, *, raises: bool = False) -> httpx.Response:
        """Send with the session's CSRF header; log in (again) once when the session is gone.

        A lost session answers 401 on some 8.3 versions and 403 on others (8.3.0, 8.3.8+),
        where 403 also means "not allowed": a 403 counts as a lost session only when
        ``/data/app/session`` no longer knows the session.
        """
        if self.mode == "session" and not self.session_open:
            self.login(self.username or "", self.password or "")
        try:
            response = send(self._csrf(method))
        except GatewayAuthError as exc:
            if not (raises and self._session_lost(exc.status_code)):
                raise
            response = None
        if response is not None and not self._session_lost(response.status_code):
            return response
        self.login(self.username or "", self.password or "")
        return send(self._csrf(method))

    def _session_lost(self, status: int | None) -> bool:
        if status not in (401, 403) or not self._can_relogin():
            return False
        if status == 401:
            return True
        check = self.http.request("GET", "/data/app/session", retry=False)
        return check.status_code != 200

    def _can_relogin(self) -> bool:
        return self.mode == "session" and bool(self.username)

    def _csrf(self, method: str) -> dict[str, str]:
        if self.token or not self.csrf or method in READ_METHODS:
            return {}
        return {auth.CSRF_HEADER: self.csrf}
