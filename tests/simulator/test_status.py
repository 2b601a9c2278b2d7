"""Unauthenticated status, commissioning and fallback routes (spec 1.1, 1.6, 9.2, 9.4)."""

import pytest

from apps.simulator.state import Phase

from .helpers import client_for, make


async def test_status_ping_is_exactly_running(client):
    response = await client.get("/StatusPing")

    assert response.status_code == 200
    assert response.content == b'{"state":"RUNNING"}'


async def test_gwinfo_is_one_line_of_key_value_pairs(client):
    response = await client.get("/system/gwinfo")

    assert response.text.startswith("ContextStatus=RUNNING;PlatformName=Ignition-simulator;")
    pairs = dict(p.split("=", 1) for p in response.text.rstrip(";").split(";"))
    assert pairs["Version"] == "8.3.6"
    assert pairs["RequireSsl"] == "false"
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("_case", "phase", "ping", "context"),
    [
        ("starting", Phase.STARTING, {"state": "STARTING"}, "STARTING"),
        ("stopping", Phase.STOPPING, {"state": "STOPPING"}, "STOPPING"),
        ("faulted", Phase.FAULTED, {"state": "FAULTED"}, "FAULTED"),
    ],
)
async def test_status_bodies_per_state(_case, phase, ping, context):
    app, gateway = make()
    gateway.set_phase(phase)

    async with client_for(app) as http:
        ping_response = await http.get("/StatusPing")
        info = await http.get("/system/gwinfo")
        api = await http.get("/data/api/v1/gateway-info")
        page = await http.get("/app/home")

    assert ping_response.json() == ping
    assert info.text.startswith(f"ContextStatus={context};")
    assert api.status_code == 503
    assert api.json()["status"] == "503"
    assert page.status_code == 503
    assert context in page.text


async def test_uncommissioned_83_redirects_everything_but_status_to_welcome():
    app, _ = make(commissioned=False)

    async with client_for(app) as http:
        ping = await http.get("/StatusPing")
        info = await http.get("/system/gwinfo")
        api = await http.get("/data/api/v1/gateway-info")
        perspective = await http.get("/data/perspective/client/SimDemo")
        welcome = await http.get("/welcome")
        bootstrap = await http.get("/bootstrap")

    assert ping.json() == {"state": "RUNNING", "details": "COMMISSIONING"}
    assert info.text == "ContextStatus=NEEDS_COMMISSIONING;"
    assert (api.status_code, api.headers["location"]) == (302, "/welcome")
    assert (perspective.status_code, perspective.headers["location"]) == (302, "/welcome")
    assert welcome.status_code == 200
    assert "Finish Setup" in welcome.text
    assert bootstrap.json() == {
        "edition": "NOT_SET",
        "steps": {
            "edition": False,
            "activated": False,
            "authSetup": False,
            "connections": False,
            "eula": False,
        },
    }


async def test_commissioning_steps_then_finished_starts_the_gateway():
    app, gateway = make(commissioned=False, version="8.1.x")

    async with client_for(app) as http:
        connections = await http.get("/get-step", params={"step": "connections"})
        eula_step = await http.get("/get-step", params={"step": "eula"})
        unknown_step = await http.get("/get-step", params={"step": "nope"})
        steps = [
            {"step": "edition", "data": {"edition": "standard"}},
            {"step": "authSetup", "data": {"username": "boss", "password": "secret"}},
            {"step": "modules", "data": {"acceptedCertificates": ["abc"]}},
            {"step": "activation", "data": {}},
        ]
        created = [(await http.post("/post-step", json={"id": 1, **s})).status_code for s in steps]
        bad = await http.post("/post-step", json={"id": 1, "step": "bogus", "data": {}})
        broken = await http.post("/post-step", content=b"not json")
        left = (await http.get("/bootstrap")).json()
        finished = await http.post(
            "/post-step", json={"id": 9, "step": "finished", "data": {"startGateway": True}}
        )
        starting = (await http.get("/StatusPing")).json()
        gateway.clock.advance(35)
        running = (await http.get("/StatusPing")).json()
        again = await http.post("/post-step", json={"id": 1, "step": "eula", "data": {}})
        welcome = await http.get("/welcome")

    assert connections.json()["data"][0] == {"name": "httpPort", "port": 8088}
    assert eula_step.json() == {"data": {}}
    assert unknown_step.status_code == 400
    assert created == [201, 201, 201, 201]
    assert (bad.status_code, broken.status_code) == (400, 400)
    assert left == {"edition": "standard", "steps": {"connections": False, "eula": False}}
    assert finished.status_code == 200
    assert starting == {"state": "STARTING"}
    assert running == {"state": "RUNNING"}
    assert again.status_code == 403
    assert welcome.headers["location"] == "/"
    assert gateway.auth.users == {"boss": "secret"}
    assert "abc" in gateway.modules.accepted_certs


async def test_finished_without_start_keeps_commissioning():
    app, gateway = make(commissioned=False)
    async with client_for(app) as http:
        response = await http.post("/post-step", json={"step": "finished", "data": {}})

    assert response.status_code == 200
    assert gateway.phase is Phase.NEEDS_COMMISSIONING


async def test_system_status_ping_differs_per_version():
    app81, _ = make(version="8.1.x")
    async with client_for(app81) as http:
        rich = (await http.get("/system/StatusPing")).json()
        gwinfo = (await http.get("/system/gwinfo")).text
    async with client_for(make()[0]) as http:
        plain = (await http.get("/system/StatusPing")).json()

    assert rich == {"state": "RUNNING", "version": "8.1.48", "os": "Linux", "role": "Independent"}
    assert plain == {"state": "RUNNING"}
    assert "RequireSsl" not in gwinfo


async def test_unknown_routes(client):
    data = await client.get("/data/api/v1/no/such/thing")
    other = await client.delete("/data/foo/bar")
    servlet = await client.get("/system/nothing")
    main = await client.get("/main/web/home")
    inventory = await client.get("/data/api/v1/designers")
    page = await client.get("/nowhere")
    root = await client.get("/")

    assert data.status_code == 404
    assert data.json() == {
        "message": "No route match for path: /v1/no/such/thing",
        "url": "/data/api/v1/no/such/thing",
        "status": "404",
    }
    assert other.json()["message"] == "No route match for path: /foo/bar"
    assert servlet.status_code == 404
    assert (
        "No servlet &#x27;nothing&#x27; found" in servlet.text
        or "No servlet 'nothing' found" in servlet.text
    )
    assert (main.status_code, main.headers["location"]) == (302, "/web/home")
    assert inventory.status_code == 501
    assert page.status_code == 404
    assert root.headers["location"] == "/app/home"


async def test_81_has_no_rest_api_and_no_83_pages():
    app, _ = make(version="8.1.x")
    async with client_for(app) as http:
        api = await http.get("/data/api/v1/gateway-info", headers={"X-Ignition-API-Token": "a:b"})
        app_page = await http.get("/app/home")
        openapi = await http.get("/openapi.json")
        root = await http.get("/")
        inventory = await http.get("/data/api/v1/designers")

    assert api.status_code == 404
    assert app_page.status_code == 404
    assert openapi.status_code == 404
    assert root.headers["location"] == "/web/home"
    assert inventory.status_code == 404
