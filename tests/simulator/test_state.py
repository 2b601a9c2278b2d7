"""The state machine of spec 9.2 against a paused clock, and one real time-scaled restart."""

import asyncio

import pytest

from apps.simulator.clock import Clock
from apps.simulator.gate import SimulatedResetError
from apps.simulator.state import Lifecycle, Phase

from .helpers import API, TOKEN, client_for, make


def test_clock_scales_pauses_and_advances():
    now = [100.0]
    clock = Clock(time_scale=0.5, real=lambda: now[0])
    now[0] = 101.0
    assert clock.now() == 2.0
    clock.pause()
    now[0] = 200.0
    clock.advance(3)
    assert clock.now() == 5.0
    clock.resume()
    clock.resume()
    now[0] = 201.0
    assert clock.now() == 7.0
    clock.advance(1)
    assert clock.now() == 8.0
    assert clock.real_seconds(10) == 5.0


def test_lifecycle_passes_several_phases_in_one_tick_and_counts_running_time():
    started = []
    life = Lifecycle(started.append)
    life.settle(Phase.RUNNING, 0)
    life.schedule([(Phase.RUNNING, 5), (Phase.STOPPING, 1), (Phase.STARTING, 4)], 10)

    life.tick(100)

    assert life.phase is Phase.RUNNING
    assert started == [0, 20]
    assert life.running_total == 15 + 80
    assert life.running_since == 20
    assert life.busy is False


async def test_soft_restart_walks_grace_stopping_starting_running(client, gateway):
    restart = await client.post(f"{API}/restart-tasks/restart?confirm=true", headers=TOKEN)
    seen = []
    for seconds in (4.9, 0.2, 1.0, 34.0, 1.0):
        gateway.clock.advance(seconds)
        seen.append((await client.get("/StatusPing")).json()["state"])
    again = await client.get(f"{API}/gateway-info", headers=TOKEN)

    assert (restart.status_code, restart.content) == (200, b"true")
    assert seen == ["RUNNING", "STOPPING", "STARTING", "STARTING", "RUNNING"]
    assert again.status_code == 200
    assert gateway.lifecycle.restarts == 1


async def test_restart_needs_confirm_and_a_second_request_is_ignored(client, gateway):
    refused = await client.post(f"{API}/restart-tasks/restart", headers=TOKEN)
    first = gateway.restart()
    second = await client.post(f"{API}/restart-tasks/restart?confirm=true", headers=TOKEN)

    assert refused.status_code == 400
    assert refused.json()["message"] == "Restart requires confirm=true."
    assert first is True
    assert second.content == b"true"
    assert gateway.lifecycle.restarts == 1


async def test_hard_restart_drops_connections_while_down():
    app, gateway = make(restart_style="hard")
    gateway.restart()
    gateway.clock.advance(6.5)

    async with client_for(app) as http:
        with pytest.raises(SimulatedResetError):
            await http.get("/StatusPing")
        control = await http.get("/__sim/state")
        gateway.clock.advance(10)
        starting = await http.get("/StatusPing")

    assert control.json()["state"] == "DOWN"
    assert starting.json() == {"state": "STARTING"}


async def test_faulted_gateway_restarts_straight_into_starting(client, gateway):
    gateway.set_phase(Phase.FAULTED)
    assert (await client.get(f"{API}/gateway-info", headers=TOKEN)).status_code == 503

    gateway.restart()
    starting = (await client.get("/StatusPing")).json()
    gateway.clock.advance(35)

    assert starting == {"state": "STARTING"}
    assert (await client.get("/StatusPing")).json() == {"state": "RUNNING"}


async def test_set_phase_down_and_stopping_continue_like_a_restart(gateway):
    gateway.set_phase(Phase.STOPPING)
    gateway.clock.advance(1)
    assert gateway.tick() is Phase.STARTING
    gateway.set_phase(Phase.DOWN)
    gateway.clock.advance(10)
    assert gateway.tick() is Phase.STARTING
    gateway.set_phase(Phase.NEEDS_COMMISSIONING)
    assert gateway.restart() is False
    assert gateway.bootstrap_done == set()


async def test_cold_start_and_auth_warmup():
    app, gateway = make(cold_start_s=60, auth_warmup_s=15)

    async with client_for(app) as http:
        cold = (await http.get("/StatusPing")).json()
        gateway.clock.advance(60)
        running = (await http.get("/StatusPing")).json()
        warming = await http.get("/data/app/login")
        gateway.clock.advance(15)
        ready = await http.get("/data/app/login")

    assert cold == {"state": "STARTING"}
    assert running == {"state": "RUNNING"}
    assert warming.status_code == 401
    assert ready.status_code == 302


async def test_time_scaled_restart_completes_in_real_time():
    """A 41 s restart at time_scale 0.005 takes about 0.2 s of real time."""
    app, gateway = make(time_scale=0.005)
    gateway.clock.resume()
    seen: list[str] = []

    async with client_for(app) as http:
        await http.post(f"{API}/restart-tasks/restart?confirm=true", headers=TOKEN)
        for _ in range(2000):
            seen.append((await http.get("/StatusPing")).json()["state"])
            if "STARTING" in seen and seen[-1] == "RUNNING":
                break
            await asyncio.sleep(0.005)

    assert seen[0] == "RUNNING"
    assert "STARTING" in seen
    assert seen[-1] == "RUNNING"
    assert gateway.lifecycle.restarts == 1
