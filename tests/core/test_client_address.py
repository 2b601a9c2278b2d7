"""The client address: the connecting peer, or the forwarded client behind a trusted proxy."""

import json

import pytest
from channels.testing import HttpCommunicator
from django.test import RequestFactory, override_settings

from apps.core.client_address import client_address

PROXIES = ["10.0.0.0/8", "192.168.1.1", "2001:db8::/32"]


def request(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("_case", "remote", "forwarded", "expected"),
    [
        ("no header", "198.51.100.7", None, "198.51.100.7"),
        ("untrusted peer's header ignored", "198.51.100.7", "203.0.113.1", "198.51.100.7"),
        ("one trusted proxy", "10.1.2.3", "203.0.113.1", "203.0.113.1"),
        ("client-written entries ignored", "10.1.2.3", "1.1.1.1, 203.0.113.1", "203.0.113.1"),
        ("chain of trusted proxies", "10.1.2.3", "203.0.113.1, 192.168.1.1", "203.0.113.1"),
        ("only proxies", "10.1.2.3", "10.9.9.9, 192.168.1.1", "10.9.9.9"),
        ("empty header", "10.1.2.3", "", "10.1.2.3"),
        ("garbage hop stops the walk", "10.1.2.3", "203.0.113.1, nonsense", "10.1.2.3"),
        ("garbage left of the client", "10.1.2.3", "nonsense, 203.0.113.1", "203.0.113.1"),
        ("IPv6", "2001:db8::1", "2001:db9::5", "2001:db9::5"),
    ],
)
@override_settings(TRUSTED_PROXIES=PROXIES)
def test_client_address(_case, remote, forwarded, expected):
    assert client_address(request(remote, forwarded)) == expected


def test_without_trusted_proxies_the_header_is_never_believed():
    assert client_address(request("10.1.2.3", "203.0.113.1")) == "10.1.2.3"


def test_a_mistyped_trusted_proxy_stops_the_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from toolkit_project.settings.env import ip_networks

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1,10.0.0.x")

    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES: '10.0.0.x' is not an IP"):
        ip_networks("TRUSTED_PROXIES")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(LOGIN_RATE_LIMIT=2)
async def test_under_asgi_the_client_is_the_connection_peer(editor):
    """Daphne hands the TCP peer as ``scope["client"]``: that, not the header, is locked
    (the failure that reaches the limit already answers that the user is locked out)."""

    async def sign_in(peer: str, forwarded: str, password: str) -> int:
        body = json.dumps({"username": editor.username, "password": password}).encode()
        headers = [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-forwarded-for", forwarded),
        ]
        comm = HttpCommunicator(application(), "POST", "/api/v1/auth/token/", body, headers)
        comm.scope["client"] = [peer, 40000]
        return (await comm.get_response(timeout=10))["status"]

    failures = [await sign_in("198.51.100.7", f"203.0.113.{n}".encode(), "no") for n in range(2)]
    locked = await sign_in("198.51.100.7", b"203.0.113.9", "correct-horse-battery-staple")
    elsewhere = await sign_in("198.51.100.8", b"203.0.113.0", "correct-horse-battery-staple")

    assert (failures, locked, elsewhere) == ([401, 429], 429, 200)


def application():
    from toolkit_project.asgi import application

    return application
