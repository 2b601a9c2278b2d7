"""Token and web-session authentication (spec 2.1, 3, 9.3) and the IdP login flow (1.4)."""

import httpx
import pytest

from apps.simulator.config import TokenSpec

from .helpers import API, TOKEN, client_for, make, web_login

UNAUTHORIZED = {"message": "Unauthorized", "url": f"{API}/gateway-info", "status": "401"}
FORBIDDEN = {"message": "Forbidden", "url": f"{API}/gateway-info", "status": "403"}


@pytest.mark.parametrize(
    ("_case", "headers"),
    [
        ("missing", {}),
        ("secret only", {"X-Ignition-API-Token": "simulator-secret"}),
        ("unknown name", {"X-Ignition-API-Token": "nobody:simulator-secret"}),
        ("wrong secret", {"X-Ignition-API-Token": "simulator:wrong"}),
        ("basic auth", {"Authorization": "Basic YWRtaW46cGFzc3dvcmQ="}),
        ("basic beats a valid token", {**TOKEN, "Authorization": "Basic YWRtaW46cGFzc3dvcmQ="}),
    ],
)
async def test_token_failures_are_401_json(client, _case, headers):
    response = await client.get(f"{API}/gateway-info", headers=headers)

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


@pytest.mark.parametrize("headers", [TOKEN, {"Authorization": "Bearer simulator:simulator-secret"}])
async def test_both_token_headers_work(client, headers):
    response = await client.get(f"{API}/gateway-info", headers=headers)

    assert response.status_code == 200
    body = response.json()
    assert body["ignitionVersion"] == "8.3.6 (b2026042713)"
    assert body["license"]["mode"] == "Trial"
    assert "version" not in body


async def test_html_error_style_is_the_jetty_page():
    app, _ = make(error_style="html")
    async with client_for(app) as http:
        response = await http.get(f"{API}/gateway-info")

    assert response.status_code == 401
    assert response.headers["content-type"] == "text/html;charset=iso-8859-1"
    assert "<title>Error 401 Unauthorized</title>" in response.text
    assert "<h2>HTTP ERROR 401 Unauthorized</h2>" in response.text
    assert f"<tr><th>URI:</th><td>{API}/gateway-info</td></tr>" in response.text


async def test_permissions_and_secure_connections():
    tokens = [
        TokenSpec("reader", "r-secret", read=True, write=False),
        TokenSpec("nobody", "n-secret", levels=["Authenticated"], read=False, write=False),
        TokenSpec("secure", "s-secret", secure_required=True),
    ]
    app, _ = make(tokens=tokens)
    async with client_for(app) as http:
        read = await http.get(
            f"{API}/gateway-info", headers={"X-Ignition-API-Token": "reader:r-secret"}
        )
        write = await http.post(
            f"{API}/scan/projects", headers={"X-Ignition-API-Token": "reader:r-secret"}
        )
        none = await http.get(
            f"{API}/gateway-info", headers={"X-Ignition-API-Token": "nobody:n-secret"}
        )
        plain = await http.get(
            f"{API}/gateway-info", headers={"X-Ignition-API-Token": "secure:s-secret"}
        )
    async with client_for(app, "https://testserver") as https:
        secure = await https.get(
            f"{API}/gateway-info", headers={"X-Ignition-API-Token": "secure:s-secret"}
        )

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["url"] == f"{API}/scan/projects"
    assert none.json() == FORBIDDEN
    assert plain.json() == FORBIDDEN
    assert secure.status_code == 200


async def test_unauthenticated_routes_answer_without_a_token(client):
    trial = await client.get(f"{API}/trial")
    banners = await client.get(f"{API}/overview/banners")

    assert trial.status_code == 200
    assert trial.json()["trialSecondsLeft"] == 7200
    assert banners.json()["banners"][0]["data"]["severity"] == "info"


async def test_web_login_sets_the_session_cookie_and_csrf(client, gateway):
    csrf = await web_login(client)

    session_cookie = client.cookies.get(f"webui-sid-{gateway.gateway_id}")
    info = await client.get(f"{API}/gateway-info")
    without_csrf = await client.post(f"{API}/scan/projects")
    with_csrf = await client.post(f"{API}/scan/projects", headers={"X-CSRF-Token": csrf})
    token_write = await client.post(f"{API}/scan/projects", headers=TOKEN)

    assert session_cookie is not None
    assert info.status_code == 200
    assert without_csrf.status_code == 403
    assert without_csrf.json()["message"] == "Missing or invalid CSRF token"
    assert with_csrf.status_code == 200
    assert token_write.status_code == 200


async def test_login_redirect_chain_matches_the_idp_flow(client):
    start = await client.get("/data/app/login")
    location = httpx.URL(start.headers["location"])
    auth = await client.get(str(location))
    login_url = httpx.URL(auth.headers["location"])
    page = await client.get(str(login_url))

    assert start.status_code == 302
    assert location.path == "/idp/default/oidc/auth"
    assert location.params["redirect_uri"] == "/data/federate/callback/internal"
    assert location.params["client_id"] == "ignition"
    assert any(name.startswith("idp-relay--") for name in start.cookies)
    assert "idp-sid-default--" in auth.headers["set-cookie"]
    assert "Path=/idp/default" in auth.headers["set-cookie"]
    assert "SameSite=strict" in auth.headers["set-cookie"]
    assert login_url.path == "/idp/default/authn/login"
    assert 'class="username-field"' in page.text
    assert "CONTINUE" in page.text


async def test_tokens_rotate_and_reuse_is_rejected(client):
    start = await client.get("/data/app/login")
    auth = await client.get(start.headers["location"])
    first = httpx.URL(auth.headers["location"]).params["token"]

    step = (await client.post("/idp/default/authn/next-challenge", json={"token": first})).json()
    replay = await client.post("/idp/default/authn/next-challenge", json={"token": first})
    bad = await client.post(
        "/idp/default/authn/submit-challenge/basic",
        json={"token": step["token"], "challenge": {"username": "admin", "password": "nope"}},
    )
    garbage = await client.post("/idp/default/authn/next-challenge", content=b"{oops")
    early = await client.get(f"/idp/default/oidc/auth?token={bad.json()['token']}")
    stale_page = await client.get(f"/idp/default/authn/login?token={first}")

    assert step["nextChallenge"] == [{"type": "basic", "config": {}}]
    assert step["complete"] is False
    assert step["token"] != first
    assert replay.status_code == 400
    assert "Invalid token" in replay.text
    assert bad.status_code == 200
    assert bad.json()["success"] is False
    assert garbage.status_code == 400
    assert early.status_code == 400
    assert stale_page.status_code == 400


async def test_session_endpoints_without_a_session(client):
    session = await client.get("/data/app/session")
    callback = await client.get("/data/federate/callback/internal?code=x&state=y")
    api = await client.get(f"{API}/modules/healthy")

    assert session.status_code == 401
    assert "HTTP ERROR 401" in session.text
    assert callback.status_code == 400
    assert api.status_code == 401


async def test_trial_reset_needs_session_csrf_and_an_expired_trial(client, gateway):
    by_token = await client.post(f"{API}/trial", headers=TOKEN)
    csrf = await web_login(client)
    not_expired = await client.post(f"{API}/trial", headers={"X-CSRF-Token": csrf})
    gateway.expire_trial()
    expired = (await client.get(f"{API}/trial")).json()
    banner = (await client.get(f"{API}/overview/banners")).json()["banners"][0]["data"]
    reset = await client.post(f"{API}/trial", headers={"X-CSRF-Token": csrf})

    assert by_token.status_code == 403
    assert not_expired.status_code == 403
    assert expired["expired"] is True
    assert expired["trialSecondsLeft"] == 0
    assert banner == {"severity": "warning", "expireTime": None, "toolTips": [], "actions": []}
    assert reset.status_code == 200
    assert reset.json()["expired"] is False
    assert reset.json()["trialSecondsLeft"] == 7200


async def test_trial_counts_down_only_while_running(client, gateway):
    gateway.clock.advance(100)
    gateway.restart()
    gateway.clock.advance(5 + 1 + 35)

    left = (await client.get(f"{API}/trial")).json()["trialSecondsLeft"]

    assert left == 7200 - 100 - 5


async def test_generated_key_becomes_a_working_token(client):
    csrf = await web_login(client)
    headers = {"X-CSRF-Token": csrf}
    generated = (await client.post(f"{API}/api-token/generate", headers=headers)).json()
    levels = [
        {
            "name": "Authenticated",
            "children": [
                {"name": "Roles", "children": [{"name": "Administrator", "children": []}]}
            ],
        }
    ]
    resource = [
        {
            "name": "ci",
            "collection": "core",
            "enabled": True,
            "config": {
                "profile": {
                    "type": "basic-token",
                    "secureChannelRequired": False,
                    "securityLevels": levels,
                },
                "settings": {"tokenHash": generated["hash"]},
            },
        }
    ]
    created = await client.post(
        f"{API}/resources/ignition/api-token", json=resource, headers=headers
    )
    client.cookies.clear()

    ok = await client.get(
        f"{API}/gateway-info", headers={"X-Ignition-API-Token": f"ci:{generated['key']}"}
    )
    write = await client.post(
        f"{API}/scan/projects", headers={"X-Ignition-API-Token": f"ci:{generated['key']}"}
    )

    assert created.status_code == 200
    assert ok.status_code == 200
    assert write.status_code == 200


async def test_a_password_with_non_ascii_characters_logs_in():
    app, gateway = make(admin_password="Pässwörd-é")  # noqa: S106
    async with client_for(app) as http:
        await web_login(http, password="Pässwörd-é")  # noqa: S106

        assert (await http.get(f"{API}/gateway-info")).status_code == 200


@pytest.mark.parametrize(
    ("version", "knob", "status"),
    [
        ("8.3.0", 0, 403),
        ("8.3.9", 0, 403),
        ("8.3.6", 0, 401),
        ("8.3.9", 401, 401),
        ("8.3.6", 403, 403),
    ],
)
async def test_anonymous_and_malformed_token_status_follows_the_version(version, knob, status):
    app, _ = make(version=version, auth_failure_status=knob)
    async with client_for(app) as http:
        anonymous = await http.get(f"{API}/gateway-info")
        bare_secret = await http.get("/openapi.json", headers={"X-Ignition-API-Token": "secret"})
        basic = await http.get(f"{API}/modules/healthy", headers={"Authorization": "Basic eDp5"})

    assert [r.status_code for r in (anonymous, bare_secret, basic)] == [status] * 3
    assert anonymous.json()["status"] == str(status)
