"""Timeouts, transient retries and interruptible calls, against faults of a live simulator."""

import threading
import time

import pytest

from apps.executions.engine.control import RunControl, StepInterrupted
from apps.gateways.client import GatewayClient, GatewayError
from tests.gateways.client.sim import TOKEN


def fast_client(url: str, **kwargs) -> GatewayClient:
    return GatewayClient(url, token=TOKEN, backoff=0.01, version="8.3", **kwargs)


def test_503_twice_is_retried_and_then_succeeds(sim):
    sim.fault("/data/api/v1/gateway-info", "503", count=2)
    client = fast_client(sim.url)

    assert client.api_json("GET", "gateway-info")["name"] == "Ignition-simulator"


def test_a_persistent_503_fails_as_retryable_after_the_retries(sim):
    sim.fault("/data/api/v1/gateway-info", "503", count=10)
    client = fast_client(sim.url, retries=2)

    with pytest.raises(GatewayError) as caught:
        client.api("GET", "gateway-info")

    assert (
        caught.value.message == "GET /data/api/v1/gateway-info answered HTTP 503: Simulated fault"
    )
    assert (caught.value.status_code, caught.value.retryable) == (503, True)
    assert sim.gateway.faults.rules[0].remaining == 7


def test_a_500_is_not_retried(sim):
    sim.fault("/data/api/v1/gateway-info", "500", count=2)
    client = fast_client(sim.url)

    with pytest.raises(GatewayError, match="HTTP 500") as caught:
        client.api("GET", "gateway-info")

    assert caught.value.retryable is False
    assert sim.gateway.faults.rules[0].remaining == 1


def test_a_dropped_connection_is_retried_for_a_get(sim):
    sim.fault("/data/api/v1/projects/names", "reset", count=1)
    client = fast_client(sim.url)

    assert "SimDemo" in client.api_json("GET", "projects/names")["items"]


def test_a_dropped_connection_is_not_retried_for_a_post(sim):
    sim.fault("/data/api/v1/scan/projects", "reset", count=1)
    client = fast_client(sim.url)

    with pytest.raises(GatewayError, match="POST /data/api/v1/scan/projects lost the connection"):
        client.api("POST", "scan/projects")


def test_nothing_listening_is_retried_then_reported(closed_port_url):
    client = fast_client(closed_port_url, retries=1)

    with pytest.raises(GatewayError, match="GET /StatusPing could not connect") as caught:
        client.status_ping()

    assert caught.value.retryable is True


def test_a_hanging_gateway_times_out(sim):
    sim.fault("/data/api/v1/overview", "hang", seconds=30)
    client = fast_client(sim.url, timeout=0.3)

    with pytest.raises(GatewayError, match="GET /data/api/v1/overview timed out"):
        client.api("GET", "overview")


def test_a_bound_check_interrupts_a_hanging_call_at_once(sim):
    sim.fault("/data/api/v1/overview", "hang", seconds=30)
    control = RunControl()
    control.begin_step(None)
    client = fast_client(sim.url).bind(sleep=None, check=control.check)
    threading.Timer(0.2, control.cancel).start()

    with pytest.raises(StepInterrupted, match="cancel"):
        client.api("GET", "overview")

    assert client.http._client is None  # aborted; the next call opens a new pool


def test_a_bound_check_passes_errors_of_the_call_through(closed_port_url):
    control = RunControl()
    control.begin_step(None)
    client = fast_client(closed_port_url, retries=0).bind(sleep=time.sleep, check=control.check)

    with pytest.raises(GatewayError, match="could not connect"):
        client.status_ping()


def test_download_streams_to_a_file_and_retries_a_503(sim, tmp_path):
    sim.fault("/data/api/v1/backup", "503", count=1)
    client = fast_client(sim.url)
    target = tmp_path / "backup.gwbk"

    response = client.download("backup", target)

    assert response.status_code == 200
    assert target.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("_case", "kind", "message"),
    [
        ("error status", "500", "GET /data/api/v1/backup answered HTTP 500"),
        ("dropped", "reset", "GET /data/api/v1/backup lost the connection"),
    ],
)
def test_download_failures_are_reported(sim, tmp_path, _case, kind, message):
    sim.fault("/data/api/v1/backup", kind, count=5)
    client = fast_client(sim.url, retries=1)

    with pytest.raises(GatewayError, match=message):
        client.download("backup", tmp_path / "backup.gwbk")


def test_abort_keeps_the_session_cookies(sim):
    client = GatewayClient(sim.url)
    client.login("admin", "password")

    client.abort()
    client.abort()

    assert client.api_json("GET", "gateway-info")["name"] == "Ignition-simulator"
    client.close()
