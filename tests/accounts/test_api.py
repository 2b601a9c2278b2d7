import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient(enforce_csrf_checks=True)


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/me/", "/api/v1/teams/", "/api/v1/schema/"])
def test_anonymous_requests_are_refused(api, path):
    response = api.get(path)

    assert response.status_code in (401, 403)
    assert response.data["detail"] == "Authentication credentials were not provided."


def test_me_lists_roles_and_teams(api, editor, team):
    api.force_authenticate(editor)

    response = api.get("/api/v1/me/")

    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["is_admin"], body["roles"]) == ("erin-editor", False, ["editor"])
    assert [t["name"] for t in body["teams"]] == ["Line 1"]


def test_teams_list_is_paginated_and_scoped(
    api, editor, team, other_team, django_assert_num_queries
):
    api.force_authenticate(editor)

    with django_assert_num_queries(3):
        response = api.get("/api/v1/teams/")

    body = response.json()
    assert (body["count"], [t["name"] for t in body["results"]]) == (1, ["Line 1"])


def test_other_teams_are_not_found(api, editor, other_team):
    api.force_authenticate(editor)

    assert api.get(f"/api/v1/teams/{other_team.pk}/").status_code == 404


def test_token_exchange_then_token_authentication(api, editor):
    response = api.post("/api/v1/auth/token/", {"username": editor.username, "password": PASSWORD})

    token = response.json()["token"]
    assert token == Token.objects.get(user=editor).key
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["username"] == editor.username


def test_token_exchange_refuses_bad_passwords_with_401_like_the_jwt_sign_in(api, editor):
    response = api.post("/api/v1/auth/token/", {"username": editor.username, "password": "bad"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Unable to log in with provided credentials."}
    assert Token.objects.count() == 0


def test_session_writes_need_the_csrf_token(api, editor):
    api.force_login(editor)

    response = api.post("/api/v1/auth/token/", {})
    assert response.status_code == 400  # the token view takes no session; it validates input

    response = api.put("/api/v1/me/", {})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_schema_and_docs_are_served_to_users(api, viewer):
    api.force_authenticate(viewer)

    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = api.get("/api/v1/docs/")

    assert schema.status_code == 200
    assert "/api/v1/me/" in schema.json()["paths"]
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_application_errors_become_json_answers():
    from apps.core.errors import ConflictError
    from apps.core.exceptions import api_exception_handler

    response = api_exception_handler(ConflictError("Run already finished.", extra={"id": 7}), {})

    assert (response.status_code, response.data) == (
        409,
        {"detail": "Run already finished.", "id": 7},
    )
