"""The /__sim/ control surface and fault injection (spec 9.1)."""

import asyncio

import pytest

from apps.simulator.app import create_app
from apps.simulator.config import SimConfig
from apps.simulator.gate import SimulatedResetError

from .helpers import API, TOKEN, client_for

INFO = f"{API}/gateway-info"


async def test_control_surface_is_off_by_default():
    async with client_for(create_app(SimConfig())) as http:
        response = await http.get("/__sim/state")

    assert response.status_code == 404
    assert response.json()["message"] == "No route match for path: /__sim/state"


async def test_state_snapshot_and_setting_state_and_knobs(client):
    snapshot = (await client.get("/__sim/state")).json()
    changed = await client.post(
        "/__sim/state", json={"state": "FAULTED", "error_style": "html", "auth_warmup_s": 2}
    )
    faulted = await client.get("/StatusPing")
    html_401 = await client.post("/__sim/state", json={"state": "RUNNING"})
    unauthorized = await client.get(INFO)

    assert snapshot["state"] == "RUNNING"
    assert snapshot["profile"] == "8.3"
    assert snapshot["clock"]["paused"] is True
    assert snapshot["knobs"]["restart_style"] == "soft"
    assert changed.json()["knobs"]["error_style"] == "html"
    assert faulted.json() == {"state": "FAULTED"}
    assert html_401.json()["state"] == "RUNNING"
    assert "HTTP ERROR 401" in unauthorized.text


@pytest.mark.parametrize(
    ("_case", "body"),
    [
        ("unknown key", {"colour": "red"}),
        ("bad knob", {"error_style": "xml"}),
        ("bad state", {"state": "ASLEEP"}),
        ("not an object", []),
    ],
)
async def test_state_rejects_bad_input(client, _case, body):
    response = await client.post("/__sim/state", json=body)

    assert response.status_code == 400
    assert response.json()["error"]


async def test_state_rejects_broken_json(client):
    assert (await client.post("/__sim/state", content=b"{")).status_code == 400


async def test_advance_clock_restart_and_trial_expiry(client):
    paused = (await client.post("/__sim/clock", json={"paused": True})).json()
    restart = (await client.post("/__sim/restart?style=hard")).json()
    advanced = (await client.post("/__sim/advance?seconds=6.5")).json()
    bad_advance = await client.post("/__sim/advance?seconds=soon")
    bad_clock = await client.post("/__sim/clock", content=b"[")
    expired = (await client.post("/__sim/trial/expire")).json()
    resumed = (await client.post("/__sim/clock", json={"paused": False})).json()

    assert paused["clock"]["paused"] is True
    assert restart["started"] is True
    assert advanced["state"] == "DOWN"
    assert bad_advance.status_code == 400
    assert bad_clock.status_code == 400
    assert expired["trial"]["expired"] is True
    assert resumed["clock"]["paused"] is False


async def test_reset_restores_a_fresh_gateway(client, app83):
    await client.post(f"{API}/projects", json={"name": "Temp"}, headers=TOKEN)
    await client.post("/__sim/state", json={"state": "FAULTED"})

    reset = (await client.post("/__sim/reset")).json()

    assert reset["state"] == "RUNNING"
    assert app83.state.gateway.projects.find("Temp") is None


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        ("500", 500, "Simulated fault"),
        ("503", 503, "Simulated fault"),
        ("429", 429, "Too Many Requests"),
    ],
)
async def test_status_faults(client, kind, status, message):
    added = await client.post("/__sim/fault", json={"route": INFO, "kind": kind})
    faulty = await client.get(INFO, headers=TOKEN)
    other = await client.get(f"{API}/overview", headers=TOKEN)

    assert added.status_code == 201
    assert faulty.status_code == status
    assert faulty.json() == {"message": message, "url": INFO, "status": str(status)}
    assert other.status_code == 200


async def test_fault_count_glob_and_clear(client):
    await client.post(
        "/__sim/fault", json={"route": "/data/api/v1/overview*", "kind": "503", "count": 1}
    )
    await client.post("/__sim/fault", json={"route": "/StatusPing", "kind": "500"})
    listed = (await client.get("/__sim/state")).json()["faults"]
    first = await client.get(f"{API}/overview/name", headers=TOKEN)
    second = await client.get(f"{API}/overview/name", headers=TOKEN)
    cleared = await client.delete("/__sim/fault")
    ping = await client.get("/StatusPing")

    assert [f["kind"] for f in listed] == ["503", "500"]
    assert (first.status_code, second.status_code) == (503, 200)
    assert cleared.json() == {"faults": []}
    assert ping.status_code == 200


async def test_latency_fault_delays_then_answers(client):
    await client.post("/__sim/fault", json={"route": INFO, "kind": "latency", "latency_ms": 1})
    await client.post("/__sim/fault", json={"route": INFO, "kind": "500", "count": 1})

    first = await client.get(INFO, headers=TOKEN)
    second = await client.get(INFO, headers=TOKEN)

    assert (first.status_code, second.status_code) == (500, 200)


async def test_reset_fault_drops_the_connection(client):
    await client.post("/__sim/fault", json={"route": "/StatusPing", "kind": "reset"})

    with pytest.raises(SimulatedResetError):
        await client.get("/StatusPing")


async def test_hang_holds_the_request_until_faults_are_cleared(client):
    await client.post("/__sim/fault", json={"route": INFO, "kind": "hang"})

    request = asyncio.create_task(client.get(INFO, headers=TOKEN))
    for _ in range(5):
        await asyncio.sleep(0)
    hanging = not request.done()
    await client.delete("/__sim/fault")
    response = await request

    assert hanging is True
    assert response.status_code == 200


async def test_hang_gives_up_after_its_seconds(client):
    await client.post("/__sim/fault", json={"route": INFO, "kind": "hang", "seconds": 0.001})

    assert (await client.get(INFO, headers=TOKEN)).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"route": "x", "kind": "500"},
        {"route": "/x", "kind": "teapot"},
        {"route": "/x", "kind": "500", "count": "many"},
    ],
)
async def test_bad_faults_are_rejected(client, body):
    assert (await client.post("/__sim/fault", json=body)).status_code == 400


async def test_lifespan_messages_pass_through_the_gate(app83):
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent = []

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message["type"])

    await app83({"type": "lifespan", "state": {}}, receive, send)

    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
