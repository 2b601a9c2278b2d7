"""Served simulators for gateway client and step tests (fast restarts, control surface on)."""

import httpx

from tests.simulator.conftest import LiveSimulator

FAST = {"time_scale": 0.01}
TOKEN = "simulator:simulator-secret"  # noqa: S105 - the simulator's documented default


class Sim(LiveSimulator):
    """A live simulator plus shortcuts to its ``/__sim/`` control surface."""

    def control(self, method: str, path: str, **kwargs) -> httpx.Response:
        response = httpx.request(method, f"{self.url}/__sim/{path}", timeout=5, **kwargs)
        response.raise_for_status()
        return response

    def fault(self, route: str, kind: str, **extra) -> None:
        self.control("POST", "fault", json={"route": route, "kind": kind, **extra})

    def clear_faults(self) -> None:
        self.control("DELETE", "fault")


def start_sim(started: list, **values) -> Sim:
    from apps.simulator.config import SimConfig

    simulator = Sim(SimConfig(control=True, **{**FAST, **values})).start()
    started.append(simulator)
    return simulator
