import re

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_redirect_anonymous_users_to_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_login_page_renders(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b"csrfmiddlewaretoken" in response.content


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_pages_name_their_icon_so_browsers_do_not_ask_for_a_missing_favicon(client, path):
    response = client.get(path)

    icon = re.search(r'<link rel="icon" href="([^"]+)"', response.content.decode()).group(1)
    assert icon.endswith("img/favicon.svg")
    assert finders.find("img/favicon.svg") is not None


def test_the_admin_carries_the_product_name(client):
    html = client.get("/admin/login/").content.decode()

    assert "<title>Log in | Ignition Automation Portal</title>" in html
    assert "Ignition Automation Portal administration" in html


def test_login_then_shell(client, editor, team):
    response = client.post(
        "/accounts/login/", {"username": editor.username, "password": PASSWORD}, follow=True
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="current-user">erin-editor<' in html
    assert "<li>Line 1</li>" in html
    assert '<span class="badge">editor</span>' in html


def test_wrong_password_is_refused(client, editor):
    response = client.post("/accounts/login/", {"username": editor.username, "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_RATE_LIMIT=3)
def test_repeated_failures_lock_the_login(client, editor):
    for _ in range(3):
        client.post("/accounts/login/", {"username": editor.username, "password": "nope"})

    response = client.post("/accounts/login/", {"username": editor.username, "password": PASSWORD})

    assert response.status_code == 429
    assert (
        "Too many failed logins for this user. Try again in 5 minutes." in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_RATE_LIMIT=3)
def test_a_successful_login_clears_the_failure_count(client, editor):
    for _ in range(2):
        client.post("/accounts/login/", {"username": editor.username, "password": "nope"})
    client.post("/accounts/login/", {"username": editor.username, "password": PASSWORD})
    client.logout()

    client.post("/accounts/login/", {"username": editor.username, "password": "nope"})
    response = client.post("/accounts/login/", {"username": editor.username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_logout_requires_post_and_ends_the_session(client, editor):
    client.force_login(editor)

    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_navigation_shows_admin_only_to_staff(client, editor, admin_user):
    client.force_login(editor)
    assert ">Admin</a>" not in client.get("/").content.decode()

    client.force_login(admin_user)
    assert '<a href="/admin/">Admin</a>' in client.get("/").content.decode()


def test_user_without_team_is_told_why_they_see_nothing(client):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(roles=["viewer"]))

    html = client.get("/").content.decode()

    assert "You are in no team yet" in html
