"""JWT: obtain an access and refresh pair, use it, rotate the refresh token, log out."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def obtain(api, username, password=PASSWORD):
    return api.post(
        "/api/v1/auth/jwt/", {"username": username, "password": password}, format="json"
    )


def test_an_access_token_authenticates_api_calls(api, editor):
    pair = obtain(api, editor.username).json()

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    response = api.get("/api/v1/me/")

    assert set(pair) == {"access", "refresh"}
    assert response.status_code == 200
    assert response.json()["username"] == editor.username


def test_a_refresh_token_is_not_an_access_token(api, editor):
    pair = obtain(api, editor.username).json()

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['refresh']}")
    response = api.get("/api/v1/me/")

    assert response.status_code == 403  # session authentication comes first: no 401 challenge
    assert response.json()["detail"] == "Given token not valid for any token type"


def test_refresh_rotates_and_the_old_refresh_token_is_refused(api, editor):
    old = obtain(api, editor.username).json()["refresh"]

    rotated = api.post("/api/v1/auth/jwt/refresh/", {"refresh": old}, format="json")
    reused = api.post("/api/v1/auth/jwt/refresh/", {"refresh": old}, format="json")

    assert rotated.status_code == 200
    assert set(rotated.json()) == {"access", "refresh"}
    assert rotated.json()["refresh"] != old
    assert reused.status_code == 401
    assert reused.json()["detail"] == "Token is blacklisted"
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {rotated.json()['access']}")
    assert api.get("/api/v1/me/").status_code == 200


def test_logout_blacklists_the_refresh_token(api, editor):
    refresh = obtain(api, editor.username).json()["refresh"]

    logout = api.post("/api/v1/auth/jwt/logout/", {"refresh": refresh}, format="json")
    after = api.post("/api/v1/auth/jwt/refresh/", {"refresh": refresh}, format="json")

    assert logout.status_code == 200
    assert BlacklistedToken.objects.get().token.jti == OutstandingToken.objects.get().jti
    assert after.status_code == 401


def test_a_wrong_password_gets_no_token(api, editor):
    response = obtain(api, editor.username, "wrong")

    assert response.status_code == 401
    assert response.json()["detail"] == "No active account found with the given credentials"
    assert OutstandingToken.objects.count() == 0


def test_an_inactive_user_gets_no_token(api):
    user = UserFactory(username="ivy-inactive", roles=["editor"], is_active=False)

    response = obtain(api, user.username)

    assert response.status_code == 401
    assert OutstandingToken.objects.count() == 0


def test_a_deactivated_user_can_neither_refresh_nor_use_a_token(api, editor):
    pair = obtain(api, editor.username).json()
    editor.is_active = False
    editor.save(update_fields=["is_active"])

    refreshed = api.post("/api/v1/auth/jwt/refresh/", {"refresh": pair["refresh"]}, format="json")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    used = api.get("/api/v1/me/")

    assert refreshed.status_code == 401
    assert used.status_code == 403
    assert used.json()["detail"] == "User is inactive"


def test_a_deleted_user_cannot_refresh(api, editor):
    refresh = obtain(api, editor.username).json()["refresh"]
    editor.delete()

    response = api.post("/api/v1/auth/jwt/refresh/", {"refresh": refresh}, format="json")

    assert response.status_code == 401


def test_a_garbage_token_is_refused_with_a_clear_answer(api):
    response = api.post("/api/v1/auth/jwt/refresh/", {"refresh": "not-a-token"}, format="json")

    assert response.status_code == 401
    assert response.json()["detail"] == "Token is invalid"


def test_the_schema_documents_the_jwt_endpoints(api, viewer):
    api.force_authenticate(viewer)

    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert {"/api/v1/auth/jwt/", "/api/v1/auth/jwt/refresh/", "/api/v1/auth/jwt/logout/"} <= set(
        schema["paths"]
    )
    assert "jwtAuth" in schema["components"]["securitySchemes"]
