import pytest

from apps.core import gateway_probe as probe
from apps.core.errors import ApplicationError
from tests.gateways.fixtures import Route


def test_running_gateway_is_ok(fake_gateway):
    result = probe.status_ping(fake_gateway.url + "/")

    assert (result.ok, result.state, result.status_code) == (True, "RUNNING", 200)
    assert result.message.startswith("The gateway is RUNNING (")
    assert [path for path, _ in fake_gateway.requests] == ["/StatusPing"]


@pytest.mark.parametrize(
    ("_case", "route", "message"),
    [
        ("starting", Route(body={"state": "STARTING"}), "The gateway is reachable but STARTING."),
        (
            "commissioning",
            Route(body={"state": "RUNNING", "details": "COMMISSIONING"}),
            "The gateway is reachable but RUNNING (commissioning not finished).",
        ),
        ("not json", Route(body="<html>hello</html>"), "did not answer like an Ignition gateway"),
        ("json list", Route(body=["RUNNING"]), "did not answer like an Ignition gateway"),
        ("server error", Route(status=500, body={}), "answered HTTP 500, expected 200."),
        (
            "redirect",
            Route(status=302, body="", headers={"Location": "/welcome"}),
            "redirects to /welcome: not a gateway.",
        ),
    ],
)
def test_status_ping_explains_failures(fake_gateway, _case, route, message):
    fake_gateway.routes["/StatusPing"] = route

    result = probe.status_ping(fake_gateway.url)

    assert result.ok is False
    assert message in result.message


def test_commissioning_details_are_reported(fake_gateway):
    fake_gateway.routes["/StatusPing"] = Route(
        body={"state": "RUNNING", "details": "COMMISSIONING"}
    )

    assert probe.status_ping(fake_gateway.url).details == {"details": "COMMISSIONING"}


def test_timeout_is_reported(fake_gateway):
    fake_gateway.routes["/StatusPing"] = Route(body={"state": "RUNNING"}, delay_seconds=1.0)

    result = probe.status_ping(fake_gateway.url, timeout=0.2)

    assert result.ok is False
    assert result.message == f"No answer from {fake_gateway.url}/StatusPing within 0.2 s."


def test_connection_refused_is_reported(closed_port_url):
    result = probe.status_ping(closed_port_url)

    assert result.ok is False
    assert result.message.startswith(f"Cannot reach {closed_port_url}/StatusPing: ")
    assert result.status_code is None


@pytest.mark.parametrize(
    "url", ["", "gateway:8088", "ftp://gw", "http://", "http://[", "http://[::1"]
)
def test_only_http_urls_are_probed(url):
    with pytest.raises(ApplicationError, match="is not a gateway URL: write it like"):
        probe.status_ping(url)


def test_gateway_info_sends_the_token(fake_gateway):
    fake_gateway.routes[probe.GATEWAY_INFO_PATH] = Route(
        body={"name": "plant-gw", "ignitionVersion": "8.3.6 (b2026042713)"}
    )

    result = probe.gateway_info(fake_gateway.url, token="toolkit:abc")

    assert result.ok is True
    assert result.message == "The API token is accepted by gateway plant-gw (8.3.6 (b2026042713))."
    assert result.details == {"name": "plant-gw", "ignition_version": "8.3.6 (b2026042713)"}
    path, headers = fake_gateway.requests[-1]
    assert (path, headers["X-Ignition-API-Token"]) == (probe.GATEWAY_INFO_PATH, "toolkit:abc")


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (401, "The gateway rejected the API token (401): send the whole name:secret value."),
        (403, "The API token is known but not allowed (403)"),
        (404, "The gateway has no REST API at this address (404): is it an 8.1 gateway?"),
        (503, "The gateway is restarting (503): try again when it is RUNNING."),
        (302, "The gateway redirected the API call"),
        (500, "answered HTTP 500, expected 200."),
    ],
)
def test_gateway_info_explains_refusals(fake_gateway, status, message):
    fake_gateway.routes[probe.GATEWAY_INFO_PATH] = Route(status=status, body={"status": "x"})

    result = probe.gateway_info(fake_gateway.url, token="t")

    assert (result.ok, result.status_code) == (False, status)
    assert message in result.message


def test_gateway_info_needs_gateway_fields(fake_gateway):
    fake_gateway.routes[probe.GATEWAY_INFO_PATH] = Route(body={"unexpected": True})

    result = probe.gateway_info(fake_gateway.url, token="t")

    assert result.ok is False
    assert result.message.endswith("did not answer with gateway information.")


def test_gateway_info_transport_failure(closed_port_url):
    result = probe.gateway_info(closed_port_url, token="t")

    assert result.ok is False
    assert result.message.startswith("Cannot reach ")
