"""8.3 web session login through the gateway's identity provider (spec 1.4)."""

import json
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..auth import AuthError
from ..errors import jetty_error
from .render import page


def _gateway(request: Request):
    return request.app.state.gateway


def _warming(request: Request) -> Response | None:
    gw = _gateway(request)
    return jetty_error(401, request.url.path) if gw.auth_warming_up else None


async def app_login(request: Request) -> Response:
    refused = _warming(request)
    if refused:
        return refused
    state, url = _gateway(request).auth.start_relay()
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(f"idp-relay--{state}", "1", path="/data", httponly=True, samesite="lax")
    return response


async def oidc_auth(request: Request) -> Response:
    auth = _gateway(request).auth
    params = {k: v for k, v in request.query_params.items() if k != "token"}
    token = request.query_params.get("token")
    if token:
        target = auth.finish_login(token)
        if target is None:
            return jetty_error(400, request.url.path, "Invalid token")
        return RedirectResponse(target, status_code=302)
    txn = auth.begin_login(params)
    query = urlencode({"app": "gateway", "token": txn.token})
    response = RedirectResponse(f"/idp/default/authn/login?{query}", status_code=302)
    response.set_cookie(
        f"idp-sid-default--{txn.sid}",
        txn.sid,
        path="/idp/default",
        httponly=True,
        samesite="strict",
    )
    return response


async def login_page(request: Request) -> Response:
    auth = _gateway(request).auth
    txn = auth.transactions.get(request.query_params.get("token", ""))
    if txn is None:
        return jetty_error(400, request.url.path, "Invalid token")
    return page(
        "idp_login.html",
        token=txn.token,
        auth_query=urlencode(txn.params),
        gateway=_gateway(request).config.gateway_name,
    )


async def _token_call(request: Request, call) -> Response:
    try:
        body = json.loads(await request.body() or b"{}")
        return JSONResponse(call(body))
    except (json.JSONDecodeError, AttributeError, AuthError):
        return jetty_error(400, request.url.path, "Invalid token")


async def next_challenge(request: Request) -> Response:
    auth = _gateway(request).auth
    return await _token_call(request, lambda body: auth.next_challenge(str(body.get("token"))))


async def submit_basic(request: Request) -> Response:
    auth = _gateway(request).auth

    def submit(body: dict) -> dict:
        challenge = body.get("challenge") or {}
        return auth.submit_basic(
            str(body.get("token")),
            str(challenge.get("username", "")),
            str(challenge.get("password", "")),
        )

    return await _token_call(request, submit)


async def callback(request: Request) -> Response:
    gw = _gateway(request)
    q = request.query_params
    session = gw.auth.redeem(q.get("code", ""), q.get("state", ""))
    if session is None:
        return jetty_error(400, request.url.path, "Invalid authorization code")
    gw.log.add("gateway.Security", f"User {session.username} logged in to the web UI")
    response = RedirectResponse("/app", status_code=302)
    response.set_cookie(gw.auth.cookie_name, session.sid, path="/", httponly=True, samesite="lax")
    response.delete_cookie(f"idp-relay--{q.get('state', '')}", path="/data")
    return response


async def app_session(request: Request) -> Response:
    gw = _gateway(request)
    session = gw.auth.session_for(request.cookies)
    if session is None or gw.auth_warming_up:
        return jetty_error(401, request.url.path)
    return JSONResponse({"csrfToken": session.csrf, "username": session.username})


ROUTES = [
    Route("/data/app/login", app_login),
    Route("/data/app/session", app_session),
    Route("/data/federate/callback/internal", callback),
    Route("/idp/default/oidc/auth", oidc_auth),
    Route("/idp/default/authn/login", login_page),
    Route("/idp/default/authn/next-challenge", next_challenge, methods=["POST"]),
    Route("/idp/default/authn/submit-challenge/basic", submit_basic, methods=["POST"]),
]
