"""Logging in: 8.3 API tokens, the 8.3 identity-provider web login, and the 8.1 web login.

8.3 web login (spec 1.4): ``/data/app/login`` redirects to the IdP, which hands out a login
token that rotates on every call (``next-challenge`` → ``submit-challenge/basic`` →
``next-challenge``); the final token goes back to ``/idp/default/oidc/auth`` whose redirect to
the callback sets the ``webui-sid-*`` session cookie. ``/data/app/session`` then gives the
CSRF token that session-authenticated mutations send as ``X-CSRF-Token``.
8.1: the sign-in form behind ``#login-link`` on ``/web/home`` (username, then password).
"""

import re
from html import unescape

import httpx

from apps.gateways.client.errors import GatewayAuthError, GatewayError, status_error
from apps.gateways.client.http import Http

TOKEN_HEADER = "X-Ignition-API-Token"  # noqa: S105 - a header name
CSRF_HEADER = "X-CSRF-Token"  # noqa: S105 - a header name
IDP = "/idp/default/authn"
_LOGIN_LINK = re.compile(
    r'<a[^>]*id="login-link"[^>]*href="([^"]+)"|<a[^>]*href="([^"]+)"[^>]*id="login-link"'
)
_FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"', re.I)


def token_headers(token: str, *, bearer: bool = False) -> dict[str, str]:
    """Headers of an 8.3 API token ``name:secret`` (the whole string the gateway showed)."""
    if ":" not in token:
        raise GatewayAuthError(
            "An Ignition API token is the whole 'name:secret' string the gateway showed once; "
            "the secret alone is refused with 401."
        )
    return {"Authorization": f"Bearer {token}"} if bearer else {TOKEN_HEADER: token}


def idp_login(http: Http, username: str, password: str) -> str:
    """Log in through the 8.3 identity provider; return the session's CSRF token."""
    start = _expect_redirect(http, "GET", "/data/app/login")
    authorize = httpx.URL(start)
    challenge_page = httpx.URL(_expect_redirect(http, "GET", start))
    token = challenge_page.params.get("token", "")
    token = idp_call(http, "next-challenge", {"token": token})["token"]
    body = {
        "token": token,
        "rememberMe": False,
        "challenge": {"username": username, "password": password},
    }
    submitted = idp_call(http, "submit-challenge/basic", body)
    if not submitted.get("success"):
        raise GatewayAuthError(f"Gateway login refused for user '{username}': wrong password?")
    done = idp_call(http, "next-challenge", {"token": submitted["token"]})
    if not done.get("complete"):
        raise GatewayAuthError(
            f"Gateway login for '{username}' needs another challenge "
            f"({done.get('nextChallenge')}); only basic username/password is supported."
        )
    finish = authorize.copy_merge_params({"token": done["token"]})
    callback = _expect_redirect(http, "GET", str(finish))
    _expect_redirect(http, "GET", callback)
    return session_csrf(http)


def session_csrf(http: Http) -> str:
    """The CSRF token of the current 8.3 web session."""
    response = http.request("GET", "/data/app/session")
    if response.status_code != 200:
        raise status_error("GET", "/data/app/session", response)
    return str(response.json().get("csrfToken", ""))


def web_login_81(http: Http, username: str, password: str) -> None:
    """Sign in through the 8.1 gateway home page's two-step form."""
    home = http.request("GET", "/web/home")
    match = _LOGIN_LINK.search(home.text)
    link = unescape(next(g for g in match.groups() if g)) if match else "/web/login"
    page = http.request("GET", link)
    action_match = _FORM_ACTION.search(page.text)
    action = unescape(action_match.group(1)) if action_match else link
    http.request("POST", action, data={"username": username}, retry=False)
    answer = http.request(
        "POST", action, data={"username": username, "password": password}, retry=False
    )
    signed_in = answer.status_code in (301, 302, 303) and "login" not in answer.headers.get(
        "location", ""
    )
    if not signed_in:
        raise GatewayAuthError(
            f"Gateway login refused for user '{username}' (HTTP "
            f"{answer.status_code}): wrong user name or password?"
        )


def _expect_redirect(http: Http, method: str, path: str) -> str:
    response = http.request(method, path)
    location = response.headers.get("location")
    if response.status_code not in (301, 302, 303, 307) or not location:
        error = status_error(method, path.split("?")[0], response)
        raise GatewayAuthError(
            f"Gateway web login failed: {error.message}",
            status_code=response.status_code,
            path=error.path,
        )
    return location


def idp_call(http: Http, step: str, body: dict) -> dict:
    path = f"{IDP}/{step}"
    response = http.request("POST", path, json=body, retry=False)
    if response.status_code != 200:
        raise GatewayAuthError(
            f"Gateway web login failed: {status_error('POST', path, response).message}",
            status_code=response.status_code,
            path=path,
        )
    data = response.json()
    if not isinstance(data, dict) or "token" not in data:
        raise GatewayError(f"POST {path} answered without a login token: {response.text[:200]}")
    return data
