"""Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE: a 413 naming the limit (JSON for the API)."""

import json
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token

from apps.executions.models import Execution
from apps.schedules.models import Schedule

pytestmark = pytest.mark.django_db

LIMIT = "2.5\xa0MB"  # DATA_UPLOAD_MAX_MEMORY_SIZE's default, as Django writes sizes
OVER = 3 * 1024 * 1024


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def big_launch() -> str:
    return json.dumps({"playbook": "x", "parameters": {"note": "x" * OVER}})


def assert_json_413(response) -> None:
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert f"at most {LIMIT}" in detail
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in detail
    assert response.json()["limit_bytes"] == 2621440


def test_api_json_body_over_the_limit_is_a_json_413(operator):
    response = logged_in(operator).post(
        "/api/v1/executions/", big_launch(), content_type="application/json"
    )

    assert_json_413(response)
    assert Execution.objects.count() == 0


def test_api_json_body_over_the_limit_with_a_token_is_a_json_413(operator):
    token = Token.objects.create(user=operator)
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.post("/api/v1/executions/", big_launch(), content_type="application/json")

    assert_json_413(response)
    assert Execution.objects.count() == 0


def test_api_multipart_field_over_the_limit_is_a_json_413(editor):
    response = logged_in(editor).post("/api/v1/playbooks/import/", {"content": "x" * OVER})

    assert_json_413(response)


def test_api_file_upload_over_the_limit_reaches_the_view(editor):
    upload = SimpleUploadedFile("big.yaml", b"x" * OVER)

    response = logged_in(editor).post("/api/v1/playbooks/import/", {"file": upload})

    assert response.status_code == 400
    assert response.json() == {"file": ["The file is larger than 1 MB."]}


@pytest.mark.parametrize("_case", ["urlencoded", "multipart"])
def test_page_form_over_the_limit_is_a_413_page_naming_the_limit(operator, _case):
    data = {"name": "x" * OVER, "kind": "weekly"}
    client = logged_in(operator)

    if _case == "urlencoded":
        body = urlencode(data)
        response = client.post(
            "/schedules/new/", body, content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post("/schedules/new/", data)

    page = response.content.decode()
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert f"at most {LIMIT}" in page
    assert 'data-testid="current-user"' in page  # inside the portal's shell
    assert 'href="/"' in page
    assert Schedule.objects.count() == 0
