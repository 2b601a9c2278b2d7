"""Lock-out after repeated failed logins holds on every way in, keyed on the real client address."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WAYS = ["page", "admin", "token", "jwt"]
PATHS = {
    "page": "/accounts/login/",
    "admin": "/admin/login/",
    "token": "/api/v1/auth/token/",
    "jwt": "/api/v1/auth/jwt/",
}
LOCKED = "Too many failed logins for this user. Try again in 5 minutes."
CLIENT = "198.51.100.7"


def sign_in(way, username, password, *, address=CLIENT, forwarded=None):
    """One login attempt through ``way`` from ``address``; returns the response and client."""
    client = APIClient()
    headers = {"REMOTE_ADDR": address}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    data = {"username": username, "password": password}
    if way == "admin":
        data["next"] = "/admin/"
    fmt = "json" if way in ("token", "jwt") else "multipart"
    return client.post(PATHS[way], data, format=fmt, **headers), client


def signed_in(way, response, client) -> bool:
    if way in ("page", "admin"):
        return response.status_code == 302 and "_auth_user_id" in client.session
    key = "token" if way == "token" else "access"
    return response.status_code == 200 and key in response.json()


def assert_locked_out(way, response, client):
    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    if way in ("page", "admin"):
        assert LOCKED in response.content.decode()
        assert "_auth_user_id" not in client.session
    else:
        assert response.json() == {"detail": LOCKED}


@pytest.fixture
def staff(db):
    return UserFactory(username="sam-staff", roles=["admin"], is_staff=True)


@pytest.mark.parametrize("failing_way", [*WAYS, "mixed"])
@override_settings(LOGIN_RATE_LIMIT=3)
def test_failures_on_any_way_lock_every_way(staff, failing_way):
    ways = WAYS[:3] if failing_way == "mixed" else [failing_way] * 3
    for way in ways:
        response, client = sign_in(way, staff.username, "wrong")
        assert not signed_in(way, response, client)

    for way in WAYS:
        response, client = sign_in(way, staff.username, PASSWORD)
        assert_locked_out(way, response, client)
    assert Token.objects.count() == 0
    assert OutstandingToken.objects.count() == 0


@pytest.mark.parametrize("way", WAYS)
@override_settings(LOGIN_RATE_LIMIT=3)
def test_the_lock_holds_only_that_user_from_that_address(staff, way):
    other = UserFactory(username="olga-other", roles=["admin"], is_staff=True)
    for _ in range(3):
        sign_in(way, staff.username, "wrong")

    same_user_elsewhere = sign_in(way, staff.username, PASSWORD, address="198.51.100.8")
    other_user_here = sign_in(way, other.username, PASSWORD)

    assert signed_in(way, *same_user_elsewhere)
    assert signed_in(way, *other_user_here)


@pytest.mark.parametrize("way", WAYS)
@override_settings(LOGIN_RATE_LIMIT=3)
def test_rotating_x_forwarded_for_does_not_escape_the_lock(staff, way):
    for number in range(3):
        sign_in(way, staff.username, "wrong", forwarded=f"203.0.113.{number}")

    response, client = sign_in(way, staff.username, PASSWORD, forwarded="203.0.113.99")

    assert_locked_out(way, response, client)


@pytest.mark.parametrize("way", ["token", "jwt"])
def test_rotating_x_forwarded_for_does_not_escape_the_login_throttle(way):
    """Ten tries a minute per address, each for another user so no lock-out interferes."""
    answers = [
        sign_in(way, f"user-{number}", "wrong", forwarded=f"203.0.113.{number}")[0].status_code
        for number in range(11)
    ]

    assert answers[:10] == [401] * 10
    assert answers[10] == 429


@override_settings(LOGIN_RATE_LIMIT=3, TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(staff):
    proxy = "10.1.2.3"
    for _ in range(3):
        sign_in("token", staff.username, "wrong", address=proxy, forwarded=f"1.1.1.1, {CLIENT}")

    locked, _ = sign_in("token", staff.username, PASSWORD, address=proxy, forwarded=CLIENT)
    neighbour = sign_in("token", staff.username, PASSWORD, address=proxy, forwarded="192.0.2.5")

    assert locked.status_code == 429
    assert signed_in("token", *neighbour)


@override_settings(LOGIN_RATE_LIMIT=3, TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(staff):
    for number in range(3):
        sign_in("jwt", staff.username, "wrong", forwarded=f"10.0.0.{number}")

    response, client = sign_in("jwt", staff.username, PASSWORD, forwarded="10.0.0.99")

    assert_locked_out("jwt", response, client)


@override_settings(LOGIN_RATE_LIMIT=3)
def test_a_successful_login_clears_the_failures(staff):
    for _ in range(2):
        sign_in("jwt", staff.username, "wrong")
    assert signed_in("jwt", *sign_in("jwt", staff.username, PASSWORD))

    for _ in range(2):
        sign_in("token", staff.username, "wrong")

    assert signed_in("token", *sign_in("token", staff.username, PASSWORD))


@override_settings(LOGIN_RATE_LIMIT=3)
def test_an_administrator_unlocks_a_user(staff):
    for _ in range(3):
        sign_in("page", staff.username, "wrong")

    call_command("axes_reset_username", staff.username, stdout=io.StringIO())

    assert signed_in("page", *sign_in("page", staff.username, PASSWORD))
