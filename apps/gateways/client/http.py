"""HTTP plumbing of the gateway client: timeouts, transient retries, interruptible calls.

Every call has a timeout. Only transient failures are retried, with exponential backoff:
connection failures (the request never reached the gateway), 502/503/504, and for GET/HEAD
also a connection dropped mid-answer. When a ``check`` callable is bound (a step's
``context.check``), each call runs in a helper thread while the caller keeps checking, so a
cancel or a step timeout returns at once even when the gateway hangs: closing a socket from
another thread does not wake a blocked read.
"""

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from apps.gateways.client.errors import GatewayError, status_error

logger = logging.getLogger(__name__)
TRANSIENT_STATUS = frozenset({502, 503, 504})
SAFE_METHODS = frozenset({"GET", "HEAD"})
CHECK_SLICE_S = 0.05
CHUNK_BYTES = 64 * 1024


class Http:
    """One gateway's HTTP session (cookies survive ``abort``); never follows redirects."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep: Callable[[float], None] = time.sleep
        self.check: Callable[[], None] | None = None
        self.headers: dict[str, str] = {}
        self._client: httpx.Client | None = None
        self._cookies = httpx.Cookies()
        self._lock = threading.Lock()

    @property
    def client(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(
                    base_url=self.base_url, cookies=self._cookies, follow_redirects=False
                )
            return self._client

    @property
    def cookies(self) -> httpx.Cookies:
        return self._client.cookies if self._client is not None else self._cookies

    def clear_cookies(self) -> None:
        self.cookies.clear()
        self._cookies = httpx.Cookies()

    def abort(self) -> None:
        """Drop the connection pool (the next call opens a new one, keeping the cookies)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            self._cookies = httpx.Cookies(client.cookies)
            client.close()

    def close(self) -> None:
        self.abort()

    # Calls -----------------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        retry: bool = True,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one request (with retries); any status is returned, transport errors raise."""
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(1, attempts + 1):
            try:
                response = self.interruptible(
                    lambda: self._send(method, path, timeout, kwargs)  # noqa: B023 - called now
                )
            except httpx.TransportError as exc:
                if attempt == attempts or not _transient(method, exc):
                    raise transport_error(method, path, exc) from exc
            else:
                log_call(method, path, response.status_code)
                if attempt == attempts or response.status_code not in TRANSIENT_STATUS:
                    return response
            self.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def download(
        self, path: str, target: Path, *, params: dict | None = None, timeout: float | None = None
    ) -> httpx.Response:
        """Stream a GET body into ``target``; return the (closed) response for its headers."""

        def fetch() -> httpx.Response:
            request = self.client.build_request(
                "GET", path, params=params, headers=self.headers, timeout=self._timeout(timeout)
            )
            response = self.client.send(request, stream=True)
            try:
                if response.status_code == 200:
                    with target.open("wb") as handle:
                        for chunk in response.iter_bytes(CHUNK_BYTES):
                            handle.write(chunk)
                else:
                    response.read()
            finally:
                response.close()
            return response

        for attempt in range(1, self.retries + 2):
            try:
                response = self.interruptible(fetch)
            except httpx.TransportError as exc:
                if attempt > self.retries or not _transient("GET", exc):
                    raise transport_error("GET", path, exc) from exc
            else:
                log_call("GET", path, response.status_code)
                if response.status_code == 200:
                    return response
                if attempt > self.retries or response.status_code not in TRANSIENT_STATUS:
                    raise status_error("GET", path, response)
            self.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def interruptible(self, call: Callable[[], Any]) -> Any:
        """Run ``call``; with a bound ``check``, keep checking while it runs elsewhere."""
        if self.check is None:
            return call()
        done, box = threading.Event(), {}

        def work() -> None:
            try:
                box["value"] = call()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=work, name="gateway-call", daemon=True).start()
        try:
            while not done.wait(CHECK_SLICE_S):
                self.check()
        except BaseException:
            self.abort()
            raise
        if "error" in box:
            raise box["error"]
        return box["value"]

    def _send(self, method: str, path: str, timeout: float | None, kwargs: dict):
        headers = {**self.headers, **(kwargs.get("headers") or {})}
        rest = {key: value for key, value in kwargs.items() if key != "headers"}
        return self.client.request(
            method, path, headers=headers, timeout=self._timeout(timeout), **rest
        )

    def _timeout(self, seconds: float | None) -> httpx.Timeout:
        return httpx.Timeout(seconds or self.timeout, connect=self.connect_timeout)


def log_call(method: str, path: str, status_code: int) -> None:
    """One line per answered call: method and path only (a query string may carry secrets)."""
    logger.info("%s %s answered HTTP %s", method, path.split("?", 1)[0], status_code)


def _transient(method: str, exc: httpx.TransportError) -> bool:
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
        return True
    dropped = isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError))
    return dropped and method in SAFE_METHODS


def transport_error(method: str, path: str, exc: httpx.TransportError) -> GatewayError:
    """A readable error for a call that got no (complete) answer."""
    if isinstance(exc, httpx.TimeoutException):
        what = "timed out"
    elif isinstance(exc, httpx.ConnectError):
        what = "could not connect"
    else:
        what = "lost the connection"
    detail = str(exc) or type(exc).__name__
    return GatewayError(f"{method} {path} {what}: {detail}", path=path, retryable=True)
